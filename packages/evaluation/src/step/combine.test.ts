import { describe, expect, it } from 'vitest';
import { serviceSlots, type SlotVerdict, type Verdict } from '@vigil/core';
import { combineParts } from './combine.js';

const S = 1_000;
const slots = (start: number, every: number, verdicts: string): SlotVerdict[] =>
  [...verdicts].map((c, i) => ({
    at: start + i * every,
    durationMs: every,
    verdict: ({ u: 'up', d: 'down', n: 'no_data', x: 'excluded', g: 'degraded' } as Record<string, Verdict>)[
      c
    ]!,
  }));

describe('combining parts', () => {
  it.each([
    ['any: up while one part is up', 'any', ['uudd', 'dddu'], 'uudu'],
    ['any: down only when every part is down', 'any', ['dddd', 'dddd'], 'dddd'],
    ['all: down when one part is down', 'all', ['uuuu', 'uduu'], 'uduu'],
    ['any: excluded parts are ignored', 'any', ['xxxx', 'dduu'], 'dduu'],
    ['any: all excluded stays excluded', 'any', ['xx', 'xx'], 'xx'],
  ] as const)('%s', (_name, mode, parts, expected) => {
    const r = combineParts(
      parts.map((p) => ({ slots: slots(0, 10 * S, p), closedThrough: p.length * 10 * S })),
      mode,
      { everyMs: 10 * S, offsetMs: 0 },
      { closed: 0, grid: 0 },
    );
    expect(r.gridSlots.map((s) => s.verdict[0]).join('')).toBe(expected.replace(/x/g, 'e'));
    expect(r.closed).toBe(expected.length * 10 * S);
  });

  it('splits exactly like core serviceSlots over parts with different offsets', () => {
    const a = slots(3 * S, 10 * S, 'uuddduuudu');
    const b = slots(7 * S, 10 * S, 'udddduuudd');
    const c = slots(0, 5 * S, 'uuuuddddddduuuuuuuuuu');
    const parts = [a, b, c].map((s) => ({ slots: s, closedThrough: 100 * S }));
    const r = combineParts(
      parts,
      'any',
      { everyMs: 10 * S, offsetMs: 3 * S },
      { closed: 10 * S, grid: 10 * S },
    );
    const core = serviceSlots([a, b, c], 'any').flatMap((s) => {
      const from = Math.max(s.at, 10 * S);
      const to = Math.min(s.at + s.durationMs, 100 * S);
      return to > from ? [{ from, to, v: s.verdict }] : [];
    });
    const timeIn = (list: { from: number; to: number; v: Verdict }[], v: Verdict) =>
      list.filter((x) => x.v === v).reduce((n, x) => n + x.to - x.from, 0);
    const mine = r.pieces.map((p) => ({ from: p.at, to: p.at + p.durationMs, v: p.verdict }));
    for (const v of ['up', 'down', 'no_data'] as const) expect(timeIn(mine, v)).toBe(timeIn(core, v));
    expect(r.pieces[0]!.at).toBe(10 * S);
    expect(mine.reduce((n, x) => n + x.to - x.from, 0)).toBe(90 * S);
    const coreGrid = serviceSlots([a, b, c], 'any', { everyMs: 10 * S, offsetMs: 3 * S }).filter(
      (s) => s.at >= 10 * S && s.at < 100 * S,
    );
    expect(r.gridSlots).toEqual(coreGrid);
    expect(r.grid).toBe(103 * S);
  });

  it('waits for the slowest part', () => {
    const r = combineParts(
      [
        { slots: slots(0, 10 * S, 'uuu'), closedThrough: 30 * S },
        { slots: slots(0, 10 * S, 'u'), closedThrough: 10 * S },
      ],
      'any',
      { everyMs: 10 * S, offsetMs: 0 },
      { closed: 10 * S, grid: 10 * S },
    );
    expect(r).toEqual({ pieces: [], gridSlots: [], closed: 10 * S, grid: 10 * S });
  });
});
