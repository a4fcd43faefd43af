import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ApiHarness } from './harness.js';

type Json = Record<string, unknown>;
interface OpDoc {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

/**
 * Checks responses against an OpenAPI document: the operation (by method and path template), the status
 * declared, the content type declared, and a JSON body valid against its schema. Throws on a mismatch.
 */
export function openApiChecker(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: 'vigil', components: doc.components }, 'vigil');
  const paths = doc.paths as Record<string, Record<string, OpDoc>>;
  const routes = Object.entries(paths).map(([p, ops]) => ({
    re: new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
    ops,
  }));
  const seen = new Set<string>();
  return {
    seen,
    /** The body (parsed JSON, or text) after checking the response against the document. */
    async check(method: string, url: string, res: Response): Promise<unknown> {
      const path = new URL(url, 'http://x').pathname;
      const route = routes.find((r) => r.re.test(path));
      const o = route?.ops[method.toLowerCase()];
      if (!o) throw new Error(`${method} ${path}: no operation in the OpenAPI document`);
      const declared = o.responses[String(res.status)];
      if (!declared)
        throw new Error(`${method} ${path}: status ${res.status} not declared for ${o.operationId}`);
      seen.add(`${o.operationId} ${res.status}`);
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const text = await res.text();
      if (!declared.content) {
        if (text !== '') throw new Error(`${o.operationId} ${res.status}: a body where none is declared`);
        return null;
      }
      const media = declared.content[type];
      if (!media) throw new Error(`${o.operationId} ${res.status}: content type ${type} not declared`);
      if (type !== 'application/json' || media.schema.type === 'string')
        return type === 'application/json' ? JSON.parse(text) : text;
      const ref = media.schema.$ref;
      if (typeof ref !== 'string')
        throw new Error(`${o.operationId} ${res.status}: the schema is no component`);
      const body: unknown = JSON.parse(text);
      const validate = ajv.getSchema(`vigil${ref}`);
      if (!validate) throw new Error(`${ref}: no such schema`);
      if (!validate(body))
        throw new Error(
          `${o.operationId} ${res.status}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 2000)}`,
        );
      return body;
    },
  };
}

export type Checked = { status: number; headers: Headers; body: unknown };

/** `h.request`, with every response checked against the document (see openApiChecker). */
export function checkedRequest(h: ApiHarness, doc: Json) {
  const checker = openApiChecker(doc);
  const request = async (path: string, init: RequestInit & { token?: string } = {}): Promise<Checked> => {
    const res = await h.request(path, init);
    const headers = res.headers;
    const status = res.status;
    const body = await checker.check(init.method ?? 'GET', path, res);
    return { status, headers, body };
  };
  return Object.assign(request, { seen: checker.seen });
}
