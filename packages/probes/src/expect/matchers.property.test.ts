import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssertionResult } from '@vigil/core';
import { evaluateHttpExpect, httpExpectSchema } from '../kinds/http/expect.js';
import { show } from './assertion.js';
import { regexSchema } from './compare.js';
import { jsonExpectSchema, matchJson } from './json-matcher.js';
import { getPath, parseJsonPath, type PathStep } from './json-path.js';
import { MatchBudget } from './match-budget.js';
import { compilePattern, patternProblem } from './pattern.js';
import { matchText, textMatcherSchema } from './text-matcher.js';

/**
 * Random and mutated JSON paths, patterns, expectations and target responses through the schemas
 * and the matchers: every case must end (a hang fails the per-case guard), never throw, and come
 * back as diagnostics (config) or assertion results (run).
 */
const RUNS = 300;
/** a hang guard, far above the few milliseconds a case takes */
const CASE_MS = 5_000;
/** each property is bounded by its runs; this is the budget for one on a loaded machine */
const PROPERTY_MS = 60_000;

function guarded<T>(fn: () => T): T {
  const started = performance.now();
  const out = fn();
  expect(performance.now() - started).toBeLessThan(CASE_MS);
  return out;
}

/** `text` with a few characters inserted, deleted or replaced at random places. */
const mutated = (base: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      base,
      fc.array(
        fc.record({
          op: fc.constantFrom('insert', 'delete', 'replace'),
          at: fc.nat(),
          ch: fc.constantFrom(...alphabet),
        }),
        { maxLength: 4 },
      ),
    )
    .map(([text, edits]) =>
      edits.reduce((s, { op, at, ch }) => {
        const i = s.length === 0 ? 0 : at % (s.length + 1);
        if (op === 'insert') return s.slice(0, i) + ch + s.slice(i);
        if (op === 'delete') return s.slice(0, i) + s.slice(i + 1);
        return s.slice(0, i) + ch + s.slice(i + 1);
      }, text),
    );

const identifier = fc.stringMatching(/^[A-Za-z_$][\w$-]{0,8}$/);
const step: fc.Arbitrary<PathStep> = fc.oneof(identifier, fc.nat({ max: 20 }), fc.string({ maxLength: 6 }));
const formatPath = (steps: readonly PathStep[]): string =>
  `$${steps
    .map((s) =>
      typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`,
    )
    .join('')}`;
const validPath = fc.array(step, { maxLength: 5 }).map(formatPath);
const anyPath = fc.oneof(validPath, mutated(validPath, `$.[]"'\\x0-`), fc.string({ maxLength: 12 }));

const REGEX_ALPHABET = 'ab()[]{}*+?|^$\\.-,:=!<>Pkuxcdwsbz019';
const realPattern = fc.constantFrom(
  '^ok$',
  '"status"\\s*:\\s*"(ok|healthy)"',
  '(?i)^W/"[0-9a-f]{8}"$',
  '(?<id>x-\\d+)',
  '[[:alpha:]]+\\b',
  '(a+)+$',
  '^(\\w+\\s?)*$',
);
const anyPattern = fc.oneof(
  realPattern,
  mutated(realPattern, REGEX_ALPHABET),
  fc.string({ unit: fc.constantFrom(...REGEX_ALPHABET), maxLength: 16 }),
);

const matcherObject = fc.record(
  {
    equals: fc.jsonValue({ maxDepth: 2 }),
    exists: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
    oneOf: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    contains: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
    notContains: fc.string({ maxLength: 4 }),
    regex: fc.oneof(anyPattern, fc.integer()),
    '<': fc.oneof(fc.double({ noNaN: true }), fc.string({ maxLength: 2 })),
    '>=': fc.integer(),
    between: fc.tuple(fc.integer(), fc.integer()),
  },
  { requiredKeys: [] },
);
const matcherValue = fc.oneof(fc.jsonValue({ maxDepth: 1 }), matcherObject);
const jsonExpectation = fc.dictionary(anyPath, matcherValue, { maxKeys: 6 });

/** nested past any recursion limit (JSON.stringify overflows the stack at about 10,000 levels) */
const deepJson = fc
  .oneof(fc.nat({ max: 50 }), fc.integer({ min: 20_000, max: 100_000 }))
  .map((d) => `{"a":${'['.repeat(d)}0${']'.repeat(d)}}`);
const anyBody = fc.oneof(
  fc.json({ maxDepth: 4 }),
  mutated(fc.json({ maxDepth: 3 }), '{}[]",:0a\\'),
  fc.string({ maxLength: 200 }),
  deepJson,
);

function wellFormed(results: AssertionResult[]): void {
  for (const a of results) {
    expect(typeof a.ok).toBe('boolean');
    for (const text of [a.name, a.expected, a.actual, a.message]) expect(typeof text).toBe('string');
    expect(a.actual.length).toBeLessThanOrEqual(400);
  }
}

function wellFormedIssues(issues: readonly { message: string; path: PropertyKey[] }[]): void {
  expect(issues.length).toBeGreaterThan(0);
  for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
}

describe('matchers under random and mutated input', () => {
  it(
    'parse any text as a JSON path or refuse it, and read back every path they print',
    () => {
      fc.assert(
        fc.property(fc.oneof(anyPath, fc.string()), fc.array(step, { maxLength: 5 }), (text, steps) => {
          const parsed = guarded(() => parseJsonPath(text));
          if (parsed !== null) expect(parseJsonPath(formatPath(parsed))).toEqual(parsed);
          expect(parseJsonPath(formatPath(steps))).toEqual(steps);
          expect(() => getPath({ a: [1, { b: null }] }, steps)).not.toThrow();
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_MS,
  );

  it(
    'accept a pattern iff RE2 compiles it, and explain a refusal with a position inside the pattern',
    () => {
      fc.assert(
        fc.property(anyPattern, fc.string({ maxLength: 300 }), (source, text) => {
          const r = guarded(() => regexSchema.safeParse(source));
          const problem = patternProblem(source);
          expect(r.success).toBe(problem === null);
          if (problem === null) {
            const verdict = guarded(() => new MatchBudget().test(source, text));
            expect([true, false, 'over_budget']).toContain(verdict);
            expect(compilePattern(source)).toBe(compilePattern(source));
          } else {
            expect(r.error?.issues[0]?.message).toMatch(/^expected a valid regular expression, got /);
            if (problem.index !== null) {
              expect(problem.index).toBeGreaterThanOrEqual(0);
              expect(problem.index).toBeLessThanOrEqual([...source].length);
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_MS,
  );

  it(
    'turn any JSON expectation into diagnostics naming every bad path, or into results for any body',
    () => {
      fc.assert(
        fc.property(jsonExpectation, anyBody, (expectation, body) => {
          const r = guarded(() => jsonExpectSchema.safeParse(expectation));
          if (!r.success) {
            wellFormedIssues(r.error.issues);
            const named = new Set(r.error.issues.map((i) => i.path[0]));
            for (const path of Object.keys(expectation))
              if (parseJsonPath(path) === null) expect(named).toContain(path);
            return;
          }
          const results = guarded(() => matchJson(r.data, body));
          wellFormed(results);
          expect(results.length).toBeGreaterThanOrEqual(Object.keys(r.data).length);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_MS,
  );

  it(
    'turn any header or body expectation into diagnostics, or into results for any response',
    () => {
      const response = fc.record({
        status: fc.integer({ min: 100, max: 599 }),
        headers: fc.dictionary(
          fc.constantFrom('x-a', 'etag', 'content-type'),
          fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
        ),
        bodyText: fc.option(anyBody),
        totalMs: fc.double({ min: 0, max: 1e5, noNaN: true }),
        tlsDaysLeft: fc.option(fc.integer({ min: -10, max: 400 })),
      });
      const expectation = fc.record(
        {
          status: fc.oneof(fc.constant(200), fc.constant('2xx')),
          headers: fc.dictionary(
            fc.constantFrom('x-a', 'ETag', 'content-type'),
            fc.oneof(fc.string({ maxLength: 6 }), matcherObject),
            { maxKeys: 3 },
          ),
          json: jsonExpectation,
          body: matcherObject,
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(expectation, response, (e, o) => {
          const r = guarded(() => httpExpectSchema.safeParse(e));
          if (!r.success) return wellFormedIssues(r.error.issues);
          wellFormed(guarded(() => evaluateHttpExpect(r.data, o)));
          for (const m of Object.values(r.data.headers ?? {}))
            wellFormed(guarded(() => matchText('header x-a', m, o.bodyText ?? undefined)));
          expect(textMatcherSchema.safeParse(r.data.body ?? 'x').success).toBe(true);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_MS,
  );

  it(
    'show any JSON value as its JSON, cut short, however large or deep',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            { arbitrary: fc.jsonValue(), weight: 9 },
            { arbitrary: deepJson.map((t) => JSON.parse(t) as unknown), weight: 1 },
          ),
          (value) => {
            const shown = guarded(() => show(value));
            let full: string | null = null;
            try {
              full = JSON.stringify(value);
            } catch (err) {
              if (!(err instanceof RangeError)) throw err;
            }
            if (full !== null) expect(shown).toBe(full.length > 120 ? `${full.slice(0, 120)}…` : full);
            else expect(shown.length).toBe(121);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_MS,
  );
});
