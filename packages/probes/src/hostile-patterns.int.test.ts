import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ProbeResult } from '@vigil/core';
import { manualClock } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCH_BUDGET_MS } from './expect/match-budget.js';
import { runProbe } from './run-probe.js';
import { probeSpec } from './testing/probes.js';

/**
 * Catastrophic-backtracking patterns against texts sized so that JavaScript's RegExp needs about
 * half a second for each (seconds for the nine together), while RE2 needs microseconds.
 */
const HOSTILE = [
  { pattern: '(a+)+$', text: `${'a'.repeat(25)}!` },
  { pattern: '(x+x+)+y', text: 'x'.repeat(26) },
  { pattern: '^(\\w+\\s?)*$', text: `${'a'.repeat(25)}!` },
];
const HEALTHY = 100;
/** the product's default probe timeout */
const TIMEOUT_MS = 10_000;

let server: Server;
let base: string;
/** healthy requests wait here until the hostile probes are done, so all are in flight meanwhile */
let parked: (() => void)[] = [];
let onParked: (() => void) | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const hostile = HOSTILE[Number(url.searchParams.get('i'))]?.text ?? '';
    if (url.pathname === '/healthy') {
      parked.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
      if (parked.length === HEALTHY) onParked?.();
    } else if (url.pathname === '/hostile/text')
      res.writeHead(200, { 'content-type': 'text/plain', 'x-trap': hostile }).end(hostile);
    else if (url.pathname === '/hostile/json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ v: hostile }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ctx = {
  env: {},
  clock: manualClock('2025-03-01T10:00:00Z'),
  region: 'local',
  slotAt: 1_740_823_200_000,
  workerId: 'w1',
};

async function timed(p: ReturnType<typeof probeSpec>): Promise<{ r: ProbeResult; wallMs: number }> {
  const t0 = performance.now();
  const r = await runProbe(p, ctx);
  return { r, wallMs: performance.now() - t0 };
}

describe('user patterns beside a hundred healthy probes', () => {
  it('keep every healthy probe up and the event loop free while catastrophic patterns meet hostile bodies', async () => {
    const healthy = Array.from({ length: HEALTHY }, (_, i) => ({
      ...probeSpec(
        'http',
        { url: `${base}/healthy?n=${i}` },
        { status: 200, body: { regex: '"status"' }, json: { '$.status': { regex: '^ok$' } } },
        TIMEOUT_MS,
      ),
      id: `healthy-${i}`,
    }));
    /** the nine catastrophic probes, against the hostile texts or (`-1`) against empty ones */
    const hostileProbes = (texts: 'hostile' | 'empty') =>
      HOSTILE.flatMap(({ pattern }, i) => {
        const q = texts === 'hostile' ? i : -1;
        return [
          { path: `text?i=${q}`, expect: { body: { regex: pattern } }, name: 'body' },
          {
            path: `text?i=${q}`,
            expect: { headers: { 'x-trap': { regex: pattern } } },
            name: 'header x-trap',
          },
          { path: `json?i=${q}`, expect: { json: { '$.v': { regex: pattern } } }, name: 'json $.v' },
        ].map((h) => ({
          ...probeSpec('http', { url: `${base}/hostile/${h.path}` }, h.expect, TIMEOUT_MS),
          id: `hostile-${i}-${h.name}`,
          assertion: `expected ${h.name} to match /${pattern}/`,
        }));
      });
    const hostile = hostileProbes('hostile');

    // a first round against empty texts compiles every pattern and warms the code paths
    await Promise.all(hostileProbes('empty').map(timed));
    const allParked = new Promise<void>((resolve) => (onParked = resolve));
    const healthyRuns = Promise.all(healthy.map(timed));
    await allParked;
    // from here the loop has nothing to do but run the hostile probes and match their bodies
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const hostileRuns = await Promise.all(hostile.map(timed));
    lag.disable();
    for (const release of parked) release();
    parked = [];

    const notUp = (await healthyRuns).filter(({ r, wallMs }) => r.outcome !== 'up' || wallMs > TIMEOUT_MS);
    expect(notUp.map(({ r }) => `${r.probeId} ${r.outcome} ${r.errorClass}`)).toEqual([]);
    // the longest the loop was held while the hostile bodies were matched: within one response's budget
    expect(lag.max / 1e6).toBeLessThan(MATCH_BUDGET_MS);
    for (const [i, { r, wallMs }] of hostileRuns.entries()) {
      expect(r).toMatchObject({ outcome: 'down', errorClass: 'assertion_failed' });
      expect(r.message).toContain(hostile[i]!.assertion);
      // what the run took beyond its exchange (the assertions) stays within the budget too
      expect(wallMs - r.phases.totalMs).toBeLessThan(MATCH_BUDGET_MS);
    }
  });
});
