// `npm run bench`: runs the sections (BENCH_ONLY selects) and prints a readable table, then one JSON line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, isType, type Child } from './lib/children.js';
import { BenchError } from './lib/errors.js';
import { readOptions, selectSections } from './lib/options.js';
import { mergeKeys, renderTable } from './lib/report.js';
import { fidelity } from './sections/fidelity.js';
import { quarterly } from './sections/quarterly.js';
import { throughput } from './sections/throughput.js';
import type { Row, Section, SectionContext } from './sections/types.js';

/** Every section, in the order they run. A new one: a file in sections/ and one line here. */
const SECTIONS: Section[] = [throughput, fidelity, quarterly];

const opts = readOptions(process.env);
const sections = selectSections(SECTIONS, opts.only);
const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-'));
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
let sim: Promise<{ child: Child; url: string }> | null = null;
const ctx: SectionContext = {
  opts,
  dir,
  log,
  simulator() {
    sim ??= (async () => {
      const child = startChild({ name: 'simulator', entry: 'bench/children/simulator.ts', env: {}, logFile: join(dir, 'simulator.log') });
      const ready = (await child.waitFor((m) => isType(m, 'ready'), 60_000)) as { url: string };
      return { child, url: ready.url };
    })();
    return sim;
  },
};

let failed = false;
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort(new BenchError('CHILD_EXIT', signal)));
const results: { name: string; rows: Row[]; keys: Record<string, unknown> }[] = [];
log(`logs and configs in ${dir}`);
try {
  for (const s of sections) {
    if (stop.signal.aborted) break;
    log(`section ${s.name}`);
    try {
      const r = await s.run(ctx);
      results.push({ name: s.name, ...r });
    } catch (err) {
      failed = true;
      log(`section ${s.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      results.push({ name: s.name, rows: [{ metric: 'failed', value: String((err as Error).message ?? err) }], keys: {} });
    }
  }
} finally {
  if (sim) await (await sim).child.stop();
}
const keys = mergeKeys(results.map((r) => r.keys as Record<string, never>));
process.stdout.write(`${renderTable(results, keys)}\n`);
process.stdout.write(`${JSON.stringify({ bench_seconds: opts.seconds, ...keys })}\n`);
if (failed || opts.cpuProf) log(`kept ${dir} (logs${opts.cpuProf ? ', profiles/*.cpuprofile' : ''})`);
else await rm(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
