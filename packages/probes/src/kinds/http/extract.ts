import { z } from 'zod';
import { getPath, parseJsonPath } from '../../expect/json-path.js';
import type { ResponseHeaders } from './exchange.js';
import { VAR_NAME } from './templating.js';

const jsonPath = z.string().refine((s) => parseJsonPath(s) !== null, {
  error: (iss) => `expected a JSON path like "$.data.items[0].id", got ${JSON.stringify(iss.input)}`,
});

const EXTRACT_FORMS =
  'expected a JSON path like "$.access_token", { json: PATH, secret?: BOOLEAN } or { header: NAME, secret?: BOOLEAN }';

/**
 * Where a variable comes from: a JSON path into the response body (the same subset as `expect.json`:
 * `$.a.b[0]["x-y"]`, one value, no wildcards or filters), or a response header. A value from the response
 * to a request that carried a secret (an access token from a token endpoint) is a secret of the run;
 * `secret: true` makes any value one, `secret: false` declares one that is not (an id, a path) so that
 * it is shown in results.
 */
export const extractSourceSchema = z.union(
  [
    jsonPath,
    z.strictObject({ json: jsonPath, secret: z.boolean().optional() }),
    z.strictObject({ header: z.string().min(1), secret: z.boolean().optional() }),
  ],
  { error: EXTRACT_FORMS },
);
export type ExtractSource = z.infer<typeof extractSourceSchema>;

export const extractSchema = z.record(
  z.string().regex(VAR_NAME, {
    error: (iss) =>
      `expected a variable name (letters, digits and "_", not starting with a digit), got ${JSON.stringify(iss.input)}`,
  }),
  extractSourceSchema,
);
export type Extract = z.infer<typeof extractSchema>;

export interface ExtractedValue {
  variable: string;
  value: string;
  /** as declared: `secret: true` or `false`; undefined leaves it to whether the request carried a secret */
  secret: boolean | undefined;
}

/** Why a variable could not be extracted; never holds the value (it may be a secret). */
export interface ExtractFailure {
  variable: string;
  /** `$.access_token` or `header request-id` */
  source: string;
  reason: string;
}

/** The body parsed once for every JSON path of a step. */
type Doc = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Every variable of `extract` from one response. A value must be a string, a number or a boolean (a
 * number or boolean as its JSON text); an object, a list, null or nothing is a failure naming the
 * variable and where it was looked for, never the value found.
 */
export function extractValues(
  extract: Extract,
  response: { headers: ResponseHeaders; bodyText: string | null },
): { values: ExtractedValue[]; failures: ExtractFailure[] } {
  const values: ExtractedValue[] = [];
  const failures: ExtractFailure[] = [];
  let doc: Doc | null = null;
  for (const [variable, src] of Object.entries(extract)) {
    const secret = typeof src === 'object' ? src.secret : undefined;
    if (typeof src === 'object' && 'header' in src) {
      const name = src.header.toLowerCase();
      const raw = response.headers[name];
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      if (value === undefined)
        failures.push({ variable, source: `header ${name}`, reason: 'is not in the response' });
      else values.push({ variable, value, secret });
      continue;
    }
    const path = typeof src === 'string' ? src : src.json;
    doc ??= parseBody(response.bodyText);
    if (!doc.ok) {
      failures.push({ variable, source: path, reason: doc.reason });
      continue;
    }
    const found = getPath(doc.value, parseJsonPath(path) ?? []);
    const value = scalarText(found);
    if (value === null) failures.push({ variable, source: path, reason: describeMiss(found) });
    else values.push({ variable, value, secret });
  }
  return { values, failures };
}

function parseBody(text: string | null): Doc {
  if (text === null) return { ok: false, reason: 'cannot be read: the body was not read completely' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return { ok: false, reason: 'cannot be read: the body is not JSON' };
  }
}

function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return null;
}

function describeMiss(v: unknown): string {
  if (v === undefined) return 'is not in the response body';
  if (v === null) return 'is null, expected a string, a number or a boolean';
  return `is ${Array.isArray(v) ? 'a list' : 'an object'}, expected a string, a number or a boolean`;
}
