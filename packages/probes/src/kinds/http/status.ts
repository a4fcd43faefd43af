import { z } from 'zod';
import type { AssertionResult } from '@vigil/core';
import { assertion } from '../../expect/assertion.js';

const code = z.int().min(100).max(599);
const STATUS_FORMS = 'expected a status like 200, [200, 204], "2xx" or { min: 200, max: 299 }';
const family = z
  .string()
  .regex(/^[1-5]xx$/, { error: (iss) => `${STATUS_FORMS}, got ${JSON.stringify(iss.input)}` });

/** `200`, `[200, 204]`, `"2xx"`, `["2xx", 304]` or `{ min: 200, max: 299 }`. */
export const statusExpectSchema = z.union(
  [
    code,
    family,
    z.array(z.union([code, family])).min(1),
    z.strictObject({ min: code, max: code }).refine((r) => r.min <= r.max, { error: 'expected min <= max' }),
  ],
  { error: STATUS_FORMS },
);
export type StatusExpect = z.infer<typeof statusExpectSchema>;

export const DEFAULT_STATUS: StatusExpect = '2xx';

export function statusMatches(e: StatusExpect, status: number): boolean {
  if (typeof e === 'number') return status === e;
  if (typeof e === 'string') return Math.floor(status / 100) === Number(e[0]);
  if (Array.isArray(e)) return e.some((x) => statusMatches(x, status));
  return status >= e.min && status <= e.max;
}

/** Whether the user explicitly expects `status` (e.g. 429), as opposed to matching it by a family or range. */
export function statusNamed(e: StatusExpect | undefined, status: number): boolean {
  if (e === undefined) return false;
  if (Array.isArray(e)) return e.includes(status);
  return e === status;
}

export function describeStatus(e: StatusExpect): string {
  if (typeof e === 'number' || typeof e === 'string') return String(e);
  if (Array.isArray(e)) return `one of ${e.join(', ')}`;
  return `${e.min}..${e.max}`;
}

export function matchStatus(e: StatusExpect | undefined, status: number): AssertionResult {
  const want = e ?? DEFAULT_STATUS;
  return assertion('status', statusMatches(want, status), describeStatus(want), String(status));
}
