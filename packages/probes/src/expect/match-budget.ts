import vm from 'node:vm';
import type { AssertionResult } from '@vigil/core';
import type { RE2JS } from 're2js';
import { assertion } from './assertion.js';
import { compilePattern, forgetPattern } from './pattern.js';

/**
 * Text length × program size up to which a match runs without the watchdog (which costs ~0.1 ms).
 * A pattern that keeps RE2's DFA building states costs up to ~1.5 µs per character and instruction.
 */
export const INLINE_STEPS = 4096;
/**
 * Time the pattern matches of one response may take together: far above what a real pattern needs
 * (about 20 ms for 1 MB), so a starved CPU does not cut it short, and still a bound on any pause.
 */
export const MATCH_BUDGET_MS = 250;

export type PatternVerdict = boolean | 'over_budget';

let watchdog: { sandbox: vm.Context; script: vm.Script } | null = null;

/**
 * The matches of one response: they may take `ms` together (compiling does not count), then the
 * rest report `over_budget` instead of a verdict. A cheap match runs directly; a costly one under a
 * watchdog that stops it when the budget runs out, so no pattern holds the event loop for longer.
 */
export class MatchBudget {
  private spent = 0;

  constructor(readonly ms = MATCH_BUDGET_MS) {}

  test(source: string, text: string): PatternVerdict {
    const re = compilePattern(source);
    const left = Math.floor(this.ms - this.spent);
    if (left <= 0) return 'over_budget';
    const started = performance.now();
    try {
      if (text.length * re.programSize() <= INLINE_STEPS) return re.test(text);
      return this.watched(source, re, text, left);
    } finally {
      this.spent += performance.now() - started;
    }
  }

  private watched(source: string, re: RE2JS, text: string, timeout: number): PatternVerdict {
    watchdog ??= { sandbox: vm.createContext({ job: null }), script: new vm.Script('job.re.test(job.text)') };
    const { sandbox, script } = watchdog;
    sandbox.job = { re, text };
    try {
      return script.runInContext(sandbox, { timeout }) as boolean;
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
