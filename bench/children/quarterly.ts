// Runs the quarterly report benchmark in a process of its own, so its peak RSS is its own; prints JSON.
import { benchQuarterly } from '../lib/quarterly-report.js';

const probes = Number(process.env.BENCH_REPORT_PROBES ?? 1000);
const daily = process.env.BENCH_REPORT_DAILY !== '0';
process.stdout.write(`${JSON.stringify(await benchQuarterly(probes, { daily }))}\n`);
