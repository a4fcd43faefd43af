import type { VigilConfig } from '@vigil/config';
import type { Db } from '@vigil/db';
import { createEvaluator } from '@vigil/evaluator';
import { loadVigilConfig } from '@vigil/runtime';
import { BenchError } from './errors.js';

/** The evaluator's default grace: a slot is judged at its end plus this when a region is missing. */
const GRACE_MS = 30_000;

/**
 * Runs the real evaluator over results a section stored without one (fidelity): it starts at `from` (the
 * probes' first slots) and, on a clock of its own, judges every slot through `to` in one catch-up tick —
 * the same verdicts and incident tracks a live evaluator reaches once the results are stored. Incidents
 * land in the section's database; count them with `falseIncidents`.
 */
export async function replayEvaluator(o: {
  db: Db;
  configDir: string;
  from: number;
  to: number;
}): Promise<{ slots: number; opened: number }> {
  const { config, diagnostics } = await loadVigilConfig({ root: o.configDir });
  if (!config)
    throw new BenchError(
      'CONFIG',
      `replay config did not load: ${diagnostics.map((d) => d.message).join('; ')}`,
    );
  let now = o.from;
  const ev = createEvaluator({
    db: o.db,
    config: (): VigilConfig => config,
    clock: { now: () => now },
    holder: 'bench-replay',
    leaseName: 'bench-replay',
    leaseMs: 24 * 3_600_000,
    // every slot of the window in one tick (a 60 s window of 1 s probes is 60 slots)
    maxSlotsPerProbe: 10_000,
  });
  try {
    await ev.tick();
    now = o.to + GRACE_MS + 1_000;
    const s = await ev.tick();
    return { slots: s.slots, opened: s.opened };
  } finally {
    await ev.release();
  }
}
