import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { AssertionResult } from '@vigil/core';
import { compare, regexSchema, type CompareOp } from './compare.js';
import { assertion, HIDDEN, isCredentialKey, show, typeOf } from './assertion.js';
import { getPath, parseJsonPath } from './json-path.js';
import { MatchBudget, matchPattern } from './match-budget.js';
import { valueOrMapError } from './value-or-map.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const NUMERIC_OPS = ['<', '<=', '>', '>='] as const satisfies readonly CompareOp[];

/** A JSON expectation at one path: a scalar means "equals". */
export const jsonMatcherSchema = z.union(
  [
    scalar,
    z
      .strictObject({
        equals: z.unknown().optional(),
        exists: z.boolean().optional(),
        oneOf: z.array(z.unknown()).min(1).optional(),
        contains: z.string().optional(),
        regex: regexSchema.optional(),
        '<': z.number().optional(),
        '<=': z.number().optional(),
        '>': z.number().optional(),
        '>=': z.number().optional(),
      })
      .refine((o) => Object.keys(o).length > 0, {
        error: 'expected at least one of equals, exists, oneOf, contains, regex, <, <=, >, >=',
        when: (payload) => payload.issues.length === 0,
      }),
  ],
  {
    error: valueOrMapError(
      'expected a value to equal, or { equals | exists | oneOf | contains | regex | "<" | "<=" | ">" | ">=" }',
    ),
  },
);
export type JsonMatcher = z.infer<typeof jsonMatcherSchema>;

/**
 * Paths are checked here rather than as record keys so that the message names the offending path,
 * and even when some matcher value is wrong (`when`), so that every bad path is reported at once.
 */
export const jsonExpectSchema = z.record(z.string(), jsonMatcherSchema).superRefine(
  (rec, ctx) => {
    for (const path of Object.keys(rec))
      if (parseJsonPath(path) === null)
        ctx.addIssue({
          code: 'custom',
          path: [path],
          message: `expected a JSON path like "$.data.items[0].id", got ${JSON.stringify(path)}`,
        });
  },
  { when: (payload) => isMap(payload.value) },
);

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export type JsonExpect = z.infer<typeof jsonExpectSchema>;

/**
 * Evaluates every path; a body that is not JSON fails each of them with the parse error. An `exists`
 * assertion shows only the type of what it found; a string at a credential-named key (`$.access_token`,
 * `$.data.client_secret`) is shown as `"[REDACTED]"` by every assertion, as is one nested in an object
 * shown. (Known secrets, `${env:…}` values and tokens the run obtained, are redacted by runProbe.)
 */
export function matchJson(
  expect: JsonExpect,
  bodyText: string,
  budget = new MatchBudget(),
): AssertionResult[] {
  let doc: unknown;
  let parseError: string | null = null;
  try {
    doc = JSON.parse(bodyText);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    parseError = `a body that is not JSON (${err.message})`;
  }
  const out: AssertionResult[] = [];
  for (const [path, m] of Object.entries(expect)) {
    const name = `json ${path}`;
    const spec = m === null || typeof m !== 'object' ? { equals: m } : m;
    const steps = parseJsonPath(path) ?? [];
    const actual = parseError === null ? getPath(doc, steps) : undefined;
    const last = steps.at(-1);
    const hidden = typeof actual === 'string' && typeof last === 'string' && isCredentialKey(last);
    const seen = parseError ?? (hidden ? HIDDEN : show(actual));
    if (spec.exists !== undefined)
      out.push(
        assertion(
          name,
          (actual !== undefined) === spec.exists,
          spec.exists ? 'to exist' : 'to be absent',
          parseError ?? typeOf(actual),
        ),
      );
    if ('equals' in spec)
      out.push(assertion(name, isDeepStrictEqual(actual, spec.equals), show(spec.equals), seen));
    if (spec.oneOf !== undefined)
      out.push(
        assertion(
          name,
          spec.oneOf.some((v) => isDeepStrictEqual(actual, v)),
          `one of ${spec.oneOf.map(show).join(', ')}`,
          seen,
        ),
      );
    if (spec.contains !== undefined)
      out.push(
        assertion(
          name,
          typeof actual === 'string' && actual.includes(spec.contains),
          `to contain ${show(spec.contains)}`,
          seen,
        ),
      );
    if (spec.regex !== undefined)
      out.push(matchPattern(name, spec.regex, typeof actual === 'string' ? actual : undefined, seen, budget));
    for (const op of NUMERIC_OPS) {
      const value = spec[op];
      if (value === undefined) continue;
      const ok = typeof actual === 'number' && compare(actual, { op, value });
      out.push(assertion(name, ok, `${op} ${value}`, seen));
    }
  }
  return out;
}
