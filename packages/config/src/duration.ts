import { z } from 'zod';
import { describeValue } from './describe.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const UNITS = ['d', 'h', 'm', 's', 'ms'] as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const NUMBER = '\\d+(?:\\.\\d+)?';
/**
 * Each unit at most once, largest first ("1h30m", never "30m1h" or "1h30m30m"). Alternatives by first
 * unit instead of a lookahead, so the pattern stays in the subset JSON Schema validators share.
 */
const alternative = (first: number): string =>
  `${NUMBER}${UNITS[first]}${UNITS.slice(first + 1)
    .map((u) => `(?:${NUMBER}${u})?`)
    .join('')}`;
export const DURATION_PATTERN = `^(?:${UNITS.map((_, i) => alternative(i)).join('|')})$`;
const DURATION_RE = new RegExp(DURATION_PATTERN);

/** "500ms" "30s" "5m" "1h" "2d" "1h30m" → milliseconds (rounded); null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  if (!DURATION_RE.test(text)) return null;
  let ms = 0;
  for (const m of text.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Math.round(ms);
}

/** The shortest exact rendering: 90000 → "1m30s", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

const LOOSE_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const durationError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'required'
    : typeof iss.input === 'string' && LOOSE_RE.test(iss.input)
      ? `expected each unit at most once, largest first, like "1h30m", got ${describeValue(iss.input)}`
      : `expected a duration like "5s", got ${describeValue(iss.input)}`;

/** A duration string validated and turned into milliseconds, with optional bounds. */
export function durationSchema(bounds: { minMs?: number; maxMs?: number } = {}) {
  return z
    .string({ error: durationError })
    .regex(DURATION_RE, { error: durationError })
    .transform((text, ctx) => {
      const ms = parseDuration(text) ?? 0;
      if (bounds.minMs !== undefined && ms < bounds.minMs)
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: `expected at least ${formatDuration(bounds.minMs)}, got "${text}"`,
        });
      if (bounds.maxMs !== undefined && ms > bounds.maxMs)
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: `expected at most ${formatDuration(bounds.maxMs)}, got "${text}"`,
        });
      return ms;
    });
}
