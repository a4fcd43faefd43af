import type { Child } from '../lib/children.js';
import type { BenchOptions } from '../lib/options.js';

export type KeyValue = number | string | boolean | null;

/** One line of the readable table. */
export interface Row {
  metric: string;
  value: KeyValue;
  unit?: string;
  note?: string;
}

export interface SectionResult {
  /** keys of the JSON line */
  keys: Record<string, KeyValue>;
  rows: Row[];
}

export interface SectionContext {
  opts: BenchOptions;
  /** temp folder of this run: configs and child logs */
  dir: string;
  /** progress on stderr */
  log(msg: string): void;
  /** the simulator child (started once per run, on first use) */
  simulator(): Promise<{ child: Child; url: string }>;
}

export interface Section {
  name: string;
  run(ctx: SectionContext): Promise<SectionResult>;
}
