// The evidence behind a bench database's incidents (the target is healthy: every one is false): per
// incident the samples and slow results of its degraded window, slow results by slot since the start,
// and what the degraded rule before issue 13's fix opens on the same results. The whole section drops its
// database at the end; point this at one kept alive (a run stopped before its cleanup).
//   node --import tsx bench/tools/incident-evidence.ts postgres://postgres@127.0.0.1:5432/<db> [intervalMs]
import { openDb, queryResults } from '@vigil/db';
import { shadowDegradedOpenings } from '../lib/degraded-shadow.js';
import { describeIncidents, falseIncidents, incidentEvidence, summarizeEvidence } from '../lib/incidents.js';

const url = process.argv[2];
if (!url) throw new Error('usage: incident-evidence.ts <database url> [intervalMs]');
const intervalMs = Number(process.argv[3] ?? 20_000);
const windowMs = Math.max(600_000, 5 * intervalMs);
const THRESHOLD_MS = 300;

const f = await falseIncidents(url);
console.log('incidents', f.total, describeIncidents(f) ?? '');
const ev = await incidentEvidence(url, {
  lookbackMs: windowMs,
  aheadMs: 5 * intervalMs,
  thresholdMs: THRESHOLD_MS,
});
console.log('evidence', summarizeEvidence(ev) ?? 'none');
const h = await openDb({ url, poolSize: 1 });
try {
  const all = await queryResults(h.db, { from: new Date(0), to: new Date(Date.now() + 60_000) });
  const up = all.filter((r) => r.outcome === 'up');
  const slow = up.filter((r) => (r.phases.totalMs ?? 0) > THRESHOLD_MS);
  console.log('results', all.length, 'up', up.length, `over ${THRESHOLD_MS} ms`, slow.length);
  const first = Math.min(...all.map((r) => r.slotAt));
  const bySlot = new Map<number, number>();
  for (const r of slow) {
    const k = Math.floor((r.slotAt - first) / intervalMs);
    bySlot.set(k, (bySlot.get(k) ?? 0) + 1);
  }
  console.log(
    'slow results by slot index since the first slot',
    [...bySlot].sort((a, b) => a[0] - b[0]),
  );
  const sh = shadowDegradedOpenings(
    all.map((r) => ({
      probeId: r.probeId,
      slotAt: r.slotAt,
      outcome: r.outcome,
      totalMs: r.phases.totalMs ?? 0,
    })),
    { windowMs, thresholdMs: THRESHOLD_MS },
  );
  const bySlow = new Map<number, number>();
  for (const x of sh) bySlow.set(x.slow, (bySlow.get(x.slow) ?? 0) + 1);
  console.log(
    'the pre-fix rule opens',
    sh.length,
    'by slow results in the window',
    [...bySlow].sort((a, b) => a[0] - b[0]),
    'with < 20 samples',
    sh.filter((x) => x.samples < 20).length,
  );
  for (const x of sh.filter((y) => y.slow === 0).slice(0, 5)) {
    const w = all.filter((r) => r.probeId === x.probeId && r.slotAt >= x.at - windowMs && r.slotAt <= x.at);
    console.log(
      'opened with no result over the threshold:',
      x.probeId,
      new Date(x.at).toISOString(),
      w.map((r) => r.phases.totalMs?.toFixed(2)).join(' '),
    );
  }
} finally {
  await h.close();
}
