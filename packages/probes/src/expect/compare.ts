import { z } from 'zod';
import { describePatternProblem, patternProblem } from './pattern.js';

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export interface Comparison {
  op: CompareOp;
  value: number;
}

const NUMBER_CMP = /^\s*(<=|>=|<|>|==|!=)\s*(-?\d+(?:\.\d+)?)\s*$/;
const DURATION_CMP = /^\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$/;

/** `">= 14"` → { op: '>=', value: 14 }; null when the text is not a comparison. */
export function parseComparison(text: string): Comparison | null {
  const m = NUMBER_CMP.exec(text);
  return m ? { op: m[1] as CompareOp, value: Number(m[2]) } : null;
}

/** `"< 800ms"` or `"<= 1.5s"` → a comparison in milliseconds. */
export function parseDurationComparison(text: string): Comparison | null {
  const m = DURATION_CMP.exec(text);
  if (!m) return null;
  const value = Number(m[2]) * (m[3] === 's' ? 1000 : 1);
  return { op: m[1] as CompareOp, value };
}

export function compare(actual: number, c: Comparison): boolean {
  switch (c.op) {
    case '<':
      return actual < c.value;
    case '<=':
      return actual <= c.value;
    case '>':
      return actual > c.value;
    case '>=':
      return actual >= c.value;
    case '==':
      return actual === c.value;
    case '!=':
      return actual !== c.value;
  }
}

const expected = (example: string) => (iss: { input?: unknown }) =>
  `expected ${example}, got ${JSON.stringify(iss.input)}`;

export const comparisonSchema = z
  .string({ error: expected('a comparison like ">= 14"') })
  .regex(NUMBER_CMP, { error: expected('a comparison like ">= 14"') });

export const durationComparisonSchema = z
  .string({ error: expected('a duration comparison like "< 800ms" or "<= 2s"') })
  .regex(DURATION_CMP, { error: expected('a duration comparison like "< 800ms" or "<= 2s"') });

/** A pattern in RE2 syntax; a rejected one is named with the position of its problem. */
export const regexSchema = z.string().superRefine((source, ctx) => {
  const problem = patternProblem(source);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: describePatternProblem(source, problem) });
});
