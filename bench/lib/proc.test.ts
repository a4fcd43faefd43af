import { describe, expect, it } from 'vitest';
import { cpuDelta, cpuSnapshot, parseProcStat, parseRssMb } from './proc.js';

const stat = (comm: string, utime: number, stime: number) =>
  `4242 (${comm}) S 17 4242 4242 0 -1 4194560 1 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 100 1000 10 rest`;

describe('parseProcStat', () => {
  it.each([
    ['node', 150, 50, 200],
    ['postgres: 15/main: walwriter ', 7, 3, 10],
    ['odd) name (x', 1, 2, 3],
  ])('sums user and system ticks of a process named %j', (comm, u, s, ticks) => {
    expect(parseProcStat(stat(comm, u, s))).toEqual({ ticks, ppid: 17 });
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeNull();
  });
});

describe('parseRssMb', () => {
  it('reads VmRSS in MiB', () => {
    expect(parseRssMb('Name:\tnode\nVmRSS:\t  307200 kB\nVmSwap: 0 kB\n')).toBe(300);
  });
  it('returns null when the line is missing (a zombie)', () => {
    expect(parseRssMb('Name:\tnode\n')).toBeNull();
  });
});

describe('cpuDelta', () => {
  it.each([
    [
      'the same pids',
      [
        [1, 2],
        [2, 5],
      ],
      [
        [1, 3.5],
        [2, 5],
      ],
      1.5,
    ],
    [
      'a pid that started in between counts whole',
      [[1, 2]],
      [
        [1, 2],
        [9, 0.25],
      ],
      0.25,
    ],
    [
      'a pid that exited in between is lost',
      [
        [1, 2],
        [2, 4],
      ],
      [[1, 3]],
      1,
    ],
    ['nothing', [], [], 0],
  ] as [string, [number, number][], [number, number][], number][])('%s', (_name, before, after, want) => {
    expect(cpuDelta(new Map(before), new Map(after))).toBeCloseTo(want);
  });
});

describe('cpuSnapshot', () => {
  it('sees this process spend CPU and skips pids that do not exist', async () => {
    const before = await cpuSnapshot([process.pid, 2 ** 22 + 1]);
    const end = performance.now() + 150;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + 1);
    const after = await cpuSnapshot([process.pid, 2 ** 22 + 1]);
    expect(after.size).toBe(1);
    expect(cpuDelta(before, after)).toBeGreaterThan(0.05);
    expect(x).toBeGreaterThan(0);
  });
});
