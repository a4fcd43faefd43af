import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slotOffsetMs } from '@vigil/core';
import { insertResults, listOutbox } from '@vigil/db';
import { readStatus } from '@vigil/evaluation';
import { manualClock } from '@vigil/testing';
import { createEvaluator } from './evaluator.js';
import { config, result, spec } from './testing/builders.js';
import { testDb } from './testing/db.js';

// node-postgres (>= 8.16) warns once per process when a query is queued behind another on one client:
// this file runs in a process of its own, so the listener sees the first overlap of the path below.
const MIN = 60_000;
const p = spec();
const T0 = Date.parse('2025-03-03T10:00:00Z') + slotOffsetMs(p.id, MIN);

describe('the evaluator on Postgres (distributed mode)', () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  let db: Awaited<ReturnType<typeof testDb>>;
  beforeEach(async () => {
    db = await testDb('postgres');
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    process.off('warning', onWarning);
    await db.cleanup();
  });

  it('opens, notifies and reports an incident with one query at a time on each connection', async () => {
    const clock = manualClock(T0 - 1);
    const cfg = config([p]);
    const ev = createEvaluator({ db: db.h.db, config: () => cfg, clock, holder: 'a', graceMs: 10_000 });
    await ev.tick();
    for (let i = 0; i < 3; i++) {
      const at = T0 + i * MIN;
      await insertResults(
        db.h.db,
        ['eu', 'us'].map((r) => result(p.id, r, at, 'down')),
      );
      clock.set(at + 2_000);
      await ev.tick();
    }
    // the alert's 24 h / 30 d figures are read inside the tick's transaction
    expect((await listOutbox(db.h.db)).length).toBeGreaterThan(0);
    await readStatus(db.h.db, cfg, clock.now());
    await ev.release();
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });
});
