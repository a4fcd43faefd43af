import vm from 'node:vm';
import type { AssertionResult } from '@vigil/core';
import { assertion } from './assertion.js';
import { compilePattern, forgetPattern } from './pattern.js';

/** Worst-case steps (text length × program size) that may run without the watchdog: a few ms. */
export const INLINE_STEPS = 200_000;
/** Time every pattern match of one response may take together. */
export const MATCH_BUDGET_MS = 100;

export type PatternVerdict = boolean | 'over_budget';

const sandbox = vm.createContext({ job: null });
const watched = new vm.Script('job.re.test(job.text)');

/**
 * The matches of one response: each runs until the shared budget is spent, then the rest report
 * `over_budget` instead of a verdict. A cheap match runs directly; a costly one under a watchdog
 * that stops it when the budget runs out, so no pattern holds the event loop for longer.
 */
export class MatchBudget {
  private readonly endsAt: number;

  constructor(readonly ms = MATCH_BUDGET_MS) {
    this.endsAt = performance.now() + ms;
  }

  test(source: string, text: string): PatternVerdict {
    const left = Math.floor(this.endsAt - performance.now());
    if (left <= 0) return 'over_budget';
    const re = compilePattern(source);
    if (text.length * re.programSize() <= INLINE_STEPS) return re.test(text);
    sandbox.job = { re, text };
    try {
      return watched.runInContext(sandbox, { timeout: left }) as boolean;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
      // stopped mid-match: its caches may be half-built, so the next use compiles afresh
      forgetPattern(source);
      return 'over_budget';
    } finally {
      sandbox.job = null;
    }
  }
}

/** `to match /source/` against `text`; an absent text fails, and so does a match stopped by the budget. */
export function matchPattern(
  name: string,
  source: string,
  text: string | undefined,
  seen: string,
  budget: MatchBudget,
): AssertionResult {
  const expected = `to match /${source}/`;
  if (text === undefined) return assertion(name, false, expected, seen);
  const verdict = budget.test(source, text);
  if (verdict !== 'over_budget') return assertion(name, verdict, expected, seen);
  const why = `no verdict: the response's ${budget.ms}ms pattern-matching budget ran out (text of ${text.length} characters)`;
  return assertion(name, false, expected, why);
}
