// `npm run bench`: runs the sections (BENCH_ONLY selects) and prints a readable table, then one JSON line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOptions, selectSections } from './lib/options.js';
import { mergeKeys, renderTable } from './lib/report.js';
import { lazySimulator } from './lib/simulator.js';
import { api } from './sections/api.js';
import { evaluator } from './sections/evaluator.js';
import { fidelity } from './sections/fidelity.js';
import { quarterly } from './sections/quarterly.js';
import { throughput } from './sections/throughput.js';
import { whole } from './sections/whole.js';
import type { Row, Section, SectionContext, SectionResult } from './sections/types.js';

/** Every section, in the order they run. A new one: a file in sections/ and one line here. */
const SECTIONS: Section[] = [throughput, fidelity, whole, evaluator, quarterly, api];

const opts = readOptions(process.env);
const sections = selectSections(SECTIONS, opts.only);
const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-'));
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const sim = lazySimulator(dir);
const ctx: SectionContext = { opts, dir, log, simulator: () => sim.get() };

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping after the current section`);
  });

let failed = false;
const results: ({ name: string } & SectionResult)[] = [];
log(`logs and configs in ${dir}`);
try {
  for (const s of sections) {
    if (interrupted) break;
    log(`section ${s.name}`);
    try {
      results.push({ name: s.name, ...(await s.run(ctx)) });
    } catch (err) {
      failed = true;
      log(`section ${s.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const row: Row = { metric: 'failed', value: err instanceof Error ? err.message : String(err) };
      results.push({ name: s.name, keys: {}, rows: [row] });
    }
  }
} finally {
  await sim.stop();
}
const keys = mergeKeys(results.map((r) => r.keys));
process.stdout.write(`${renderTable(results, keys)}\n`);
process.stdout.write(`${JSON.stringify({ bench_seconds: opts.seconds, ...keys })}\n`);
if (failed || opts.cpuProf) log(`kept ${dir} (logs${opts.cpuProf ? ', profiles/*.cpuprofile' : ''})`);
else await rm(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
