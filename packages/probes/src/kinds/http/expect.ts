import { z } from 'zod';
import type { AssertionResult } from '@vigil/core';
import { matchDaysLeft, matchResponseTime } from '../../expect/common.js';
import { comparisonSchema, durationComparisonSchema, regexSchema } from '../../expect/compare.js';
import { jsonExpectSchema, matchJson } from '../../expect/json-matcher.js';
import { MatchBudget } from '../../expect/match-budget.js';
import { matchText, textMatcherSchema } from '../../expect/text-matcher.js';
import { matchStatus, statusExpectSchema } from './status.js';

export const httpExpectSchema = z
  .strictObject({
    status: statusExpectSchema.optional(),
    responseTime: durationComparisonSchema.optional(),
    headers: z.record(z.string().min(1), textMatcherSchema).optional(),
    json: jsonExpectSchema.optional(),
    body: z
      .strictObject({
        contains: z.string().optional(),
        notContains: z.string().optional(),
        regex: regexSchema.optional(),
      })
      .refine((o) => Object.keys(o).length > 0, {
        error: 'expected contains, notContains or regex',
        when: (payload) => payload.issues.length === 0,
      })
      .optional(),
    tls: z.strictObject({ daysLeft: comparisonSchema }).optional(),
  })
  .default({});
export type HttpExpect = z.infer<typeof httpExpectSchema>;

export interface HttpObservation {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** the final body as text (empty for HEAD); null when it was not read completely */
  bodyText: string | null;
  totalMs: number;
  tlsDaysLeft: number | null;
}

/** Every assertion of `e` against one final response, status first; its patterns share one budget. */
export function evaluateHttpExpect(
  e: HttpExpect,
  o: HttpObservation,
  budget = new MatchBudget(),
): AssertionResult[] {
  const out: AssertionResult[] = [matchStatus(e.status, o.status)];
  out.push(...matchResponseTime(e.responseTime, o.totalMs));
  for (const [name, m] of Object.entries(e.headers ?? {})) {
    const raw = o.headers[name.toLowerCase()];
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    out.push(...matchText(`header ${name.toLowerCase()}`, m, value, budget));
  }
  if (e.json !== undefined) out.push(...matchJson(e.json, o.bodyText ?? '', budget));
  if (e.body !== undefined) out.push(...matchText('body', e.body, o.bodyText ?? undefined, budget));
  out.push(...matchDaysLeft(e.tls?.daysLeft, o.tlsDaysLeft));
  return out;
}
