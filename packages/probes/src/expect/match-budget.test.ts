import { describe, expect, it } from 'vitest';
import { MatchBudget, matchPattern } from './match-budget.js';
import { compilePattern } from './pattern.js';
import { matchText } from './text-matcher.js';

/**
 * `[ab]*a[ab]{300}$` defeats RE2's DFA (2^300 states), so it runs on the NFA at about
 * text length × 300 steps: a second or more for 100,000 characters, against budgets of 5-20 ms.
 */
const COSTLY = '[ab]*a[ab]{300}$';
const abText = (n: number): string => {
  let seed = 7;
  let s = '';
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    s += seed & 1024 ? 'a' : 'b';
  }
  return `${s}${'b'.repeat(301)}`;
};

describe('the pattern-matching budget of one response', () => {
  it('gives the verdict of a match within the budget', () => {
    const budget = new MatchBudget(60_000);
    expect(budget.test('"status":\\s*"ok"', `{"status": "ok"}${' '.repeat(10_000)}`)).toBe(true);
    expect(budget.test('"status":\\s*"ok"', '{"status": "down"}')).toBe(false);
  });

  it('stops a match that would hold the event loop for seconds once the budget is spent', () => {
    const budget = new MatchBudget(20);
    expect(budget.test(COSTLY, abText(100_000))).toBe('over_budget');
  });

  it('still answers correctly with a pattern whose match was stopped', () => {
    const source = '[ab]*a[ab]{20}$';
    const before = compilePattern(source);
    expect(new MatchBudget(1).test(source, abText(200_000))).toBe('over_budget');
    expect(compilePattern(source)).not.toBe(before);
    const budget = new MatchBudget(60_000);
    expect(budget.test(source, `a${'b'.repeat(20)}`)).toBe(true);
    expect(budget.test(source, 'b'.repeat(21))).toBe(false);
  });

  it('leaves no verdict to the matches after the budget is spent, and says why', () => {
    const budget = new MatchBudget(10);
    const body = abText(100_000);
    const [first] = matchText('body', { regex: COSTLY }, body, budget);
    const [second] = matchText('header x', { regex: '^ok$' }, 'ok', budget);
    for (const a of [first, second]) expect(a?.ok).toBe(false);
    expect(first?.message).toBe(
      `expected body to match /${COSTLY}/, got no verdict: the response's 10ms pattern-matching budget ran out (text of ${body.length} characters)`,
    );
    expect(second?.actual).toContain('budget ran out (text of 2 characters)');
  });

  it('fails a pattern against an absent text without matching', () => {
    expect(matchPattern('header x', '.*', undefined, 'nothing', new MatchBudget(0))).toMatchObject({
      ok: false,
      message: 'expected header x to match /.*/, got nothing',
    });
  });
});
