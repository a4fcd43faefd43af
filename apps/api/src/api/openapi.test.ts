import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect, it } from 'vitest';
import { document, OPERATIONS } from '../routes/api-v1.js';

type Json = Record<string, unknown>;

it('is an OpenAPI 3.1 document whose every component compiles as JSON Schema 2020-12 (strict)', () => {
  const doc = document() as {
    openapi: string;
    components: { schemas: Record<string, Json> };
    paths: Record<
      string,
      Record<string, { operationId: string; parameters: { name: string; in: string }[] }>
    >;
  };
  expect(doc.openapi).toBe('3.1.0');
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  for (const [id, s] of Object.entries(doc.components.schemas))
    ajv.addSchema(s, `#/components/schemas/${id}`);
  for (const id of Object.keys(doc.components.schemas))
    expect(() => ajv.getSchema(`#/components/schemas/${id}`), id).not.toThrow();
  const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
  expect(new Set(ids).size).toBe(OPERATIONS.length);
  // every {param} of a path is declared as a path parameter
  for (const [path, ops] of Object.entries(doc.paths))
    for (const o of Object.values(ops))
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
        expect(
          o.parameters.some((p) => p.in === 'path' && p.name === name),
          `${o.operationId} ${name}`,
        ).toBe(true);
});
