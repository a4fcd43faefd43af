import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { runProbe } from '@vigil/probes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeHandler } from './handler.js';
import { LoopDelayMonitor } from './loop-delay.js';

// a target that answers in under a millisecond; the worker's own event loop is what is slow
let server: Server;
let url: string;
let answered: (() => void) | undefined;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.end('ok');
    answered?.();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const spec = (): ProbeSpec => ({
  id: 'fast',
  name: 'fast',
  provider: 'sim',
  service: 'sim',
  critical: false,
  schedule: { type: 'interval', everyMs: 60_000 },
  timeoutMs: 5_000,
  regions: ['eu'],
  sloTarget: 0.98,
  labels: {},
  runbook: null,
  kind: 'http',
  spec: { url },
  expect: {},
  source: { file: 'probes/p.yaml', line: 1, col: 1 },
});

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until); // synchronous work on the loop, as a long evaluator step in `vigil run`
};

describe('a real run while the event loop is blocked', () => {
  it('measures the stall as latency, and is stored overloaded rather than slow', async () => {
    const loop = new LoopDelayMonitor().start();
    const appended: ProbeResult[] = [];
    const handler = createProbeHandler({
      getSpec: async () => spec(),
      run: runProbe,
      sink: { append: async (r) => void appended.push(r) },
      env: {},
      clock: { now: () => Date.now() },
      workerId: 'eu:w',
      loopDelay: loop,
    });
    // the response is sent at once; the loop is blocked before the worker reads it
    answered = () => setImmediate(() => busy(600));
    const slotAt = Date.now();
    try {
      await handler({ probeId: 'fast', region: 'eu', slotAt, specHash: 'h' }, new AbortController().signal);
    } finally {
      answered = undefined;
      loop.stop();
    }
    expect(appended).toHaveLength(1);
    const [r] = appended;
    expect(r!.phases.totalMs).toBeGreaterThanOrEqual(550);
    expect(r).toMatchObject({ outcome: 'up', errorClass: 'overloaded', httpStatus: 200 });
    expect(r!.message).toMatch(
      /^Vigil overloaded: its event loop was stalled \d+\.\d+ s during the run; not counted against the provider \(measured \d+ ms\)$/,
    );
  });
});
