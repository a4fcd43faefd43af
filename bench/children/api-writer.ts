// Child process: what the API's store sees in production — results for every probe each minute and the
// evaluator ticking every second — in a process of its own, as the compose `api` service runs apart from
// the evaluator (its ticks must not take the API's event loop).
import type { ProbeResult } from '@vigil/core';
import { insertResults, openDb } from '@vigil/db';
import { createEvaluator } from '@vigil/evaluator';
import { benchConfig, benchProbe } from '../lib/evaluator-load.js';

interface Start {
  type: 'start';
  databaseUrl: string;
  run: string;
  probes: number;
  /** hard stop, so the loop is bounded even if the parent dies */
  maxMs: number;
}

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'start')
    void write(msg as Start).catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
});
process.send?.({ type: 'ready' });

async function write(o: Start): Promise<void> {
  const probes = Array.from({ length: o.probes }, (_, i) => benchProbe(`a${o.run}-${i}`, i, ['r0'], 60_000));
  const cfg = benchConfig(probes, ['r0']);
  const h = await openDb({ url: o.databaseUrl, poolSize: 4 });
  const evaluator = createEvaluator({
    db: h.db,
    config: () => cfg,
    clock: { now: () => Date.now() },
    holder: 'bench-api',
  });
  const deadline = Date.now() + o.maxMs;
  let minute = Math.floor(Date.now() / 60_000);
  let ticks = 0;
  await evaluator.tick();
  process.send?.({ type: 'started' });
  while (!stopping && Date.now() < deadline) {
    const now = Math.floor(Date.now() / 60_000);
    if (now !== minute) {
      minute = now;
      await insertResults(
        h.db,
        probes.map((p) => result(p.id, now * 60_000)),
      );
    }
    await evaluator.tick();
    ticks++;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await h.close();
  process.send?.({ type: 'done', ticks });
  process.exit(0);
}

function result(probeId: string, slotAt: number): ProbeResult {
  return {
    probeId,
    region: 'r0',
    slotAt,
    startedAt: slotAt,
    phases: { dnsMs: 1, connectMs: 5, tlsMs: 10, ttfbMs: 90, transferMs: 2, totalMs: 110 },
    outcome: 'up',
    httpStatus: 200,
    errorClass: null,
    message: null,
    assertions: [],
    retryAfterS: null,
    tlsDaysLeft: null,
    workerId: 'bench',
  };
}
