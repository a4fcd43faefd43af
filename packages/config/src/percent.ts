import { z } from 'zod';
import { describeValue } from './describe.js';

export const PERCENT_PATTERN = '^\\d+(?:\\.\\d+)?%$';
const PERCENT_RE = new RegExp(PERCENT_PATTERN);

/** "98%", "99.5%" or a number 0–100 → a fraction (0.98); null when out of range or malformed. */
export function parsePercent(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && PERCENT_RE.test(value)) n = Number(value.slice(0, -1));
  else return null;
  if (!Number.isFinite(n) || n < 0 || n > 100) return null;
  return Math.round(n * 1e6) / 1e8;
}

const percentError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'required'
    : `expected a percentage like "98%" or a number from 0 to 100, got ${describeValue(iss.input)}`;

export function percentSchema() {
  return z
    .union(
      [
        z.number({ error: percentError }).min(0, { error: percentError }).max(100, { error: percentError }),
        z.string({ error: percentError }).regex(PERCENT_RE, { error: percentError }),
      ],
      { error: percentError },
    )
    .transform((v, ctx) => {
      const f = parsePercent(v);
      if (f === null) ctx.issues.push({ code: 'custom', input: v, message: percentError({ input: v }) });
      return f ?? 0;
    });
}
