import { z } from 'zod';
import type { AssertionResult } from '@vigil/core';
import { regexSchema } from './compare.js';
import { assertion, HIDDEN, isCredentialHeader, show } from './assertion.js';
import { MatchBudget, matchPattern } from './match-budget.js';
import { valueOrMapError } from './value-or-map.js';

/** A header or body expectation: a plain string means "equals". */
export const textMatcherSchema = z.union(
  [
    z.string(),
    z
      .strictObject({
        equals: z.string().optional(),
        contains: z.string().optional(),
        notContains: z.string().optional(),
        regex: regexSchema.optional(),
        exists: z.boolean().optional(),
      })
      .refine((o) => Object.keys(o).length > 0, {
        error: 'expected at least one of equals, contains, notContains, regex, exists',
        when: (payload) => payload.issues.length === 0,
      }),
  ],
  { error: valueOrMapError('expected a string or { equals | contains | notContains | regex | exists }') },
);
export type TextMatcher = z.infer<typeof textMatcherSchema>;

/**
 * One assertion per condition; `actual` undefined means the header (or body) was absent. `exists`
 * shows only whether it was there; a credential header's value (`header authorization`,
 * `header x-api-key`, `header set-cookie`) is shown as `"[REDACTED]"`.
 */
export function matchText(
  name: string,
  m: TextMatcher,
  actual: string | undefined,
  budget = new MatchBudget(),
): AssertionResult[] {
  const spec = typeof m === 'string' ? { equals: m } : m;
  const hidden = name.startsWith('header ') && isCredentialHeader(name.slice('header '.length));
  const seen = actual === undefined ? 'nothing' : hidden ? HIDDEN : show(actual);
  const out: AssertionResult[] = [];
  if (spec.exists !== undefined)
    out.push(
      assertion(
        name,
        (actual !== undefined) === spec.exists,
        spec.exists ? 'present' : 'absent',
        actual === undefined ? 'nothing' : 'present',
      ),
    );
  if (spec.equals !== undefined) out.push(assertion(name, actual === spec.equals, show(spec.equals), seen));
  if (spec.contains !== undefined)
    out.push(
      assertion(name, actual?.includes(spec.contains) ?? false, `to contain ${show(spec.contains)}`, seen),
    );
  if (spec.notContains !== undefined)
    out.push(
      assertion(
        name,
        actual === undefined || !actual.includes(spec.notContains),
        `not to contain ${show(spec.notContains)}`,
        seen,
      ),
    );
  if (spec.regex !== undefined) out.push(matchPattern(name, spec.regex, actual, seen, budget));
  return out;
}
