// Runs the weekly report benchmark in a process of its own; prints JSON.
import { benchWeekly } from '../lib/weekly-report.js';

process.stdout.write(
  `${JSON.stringify(await benchWeekly(Number(process.env.BENCH_REPORT_PROBES ?? 1000)))}\n`,
);
