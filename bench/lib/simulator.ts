import { join } from 'node:path';
import { isType, startChild, type Child } from './children.js';

export interface LazySimulator {
  /** starts the simulator child on first call */
  get(): Promise<{ child: Child; url: string }>;
  stop(): Promise<void>;
}

/** The simulator as a child process of its own, so its CPU is counted for neither Vigil nor blackbox. */
export function lazySimulator(dir: string): LazySimulator {
  let started: Promise<{ child: Child; url: string }> | null = null;
  return {
    get() {
      started ??= (async () => {
        const child = startChild({
          name: 'simulator',
          entry: 'bench/children/simulator.ts',
          env: {},
          logFile: join(dir, 'simulator.log'),
        });
        const ready = (await child.waitFor((m) => isType(m, 'ready'), 60_000)) as { url: string };
        return { child, url: ready.url };
      })();
      return started;
    },
    async stop() {
      if (started) await (await started).child.stop();
    },
  };
}
