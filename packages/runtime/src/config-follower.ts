import { formatDiagnostic, type LoadResult, type VigilConfig } from '@vigil/config';
import { loadVigilConfig, type ConfigSource } from './config.js';
import type { Logger } from './log.js';

export interface ConfigFollower {
  current(): VigilConfig | null;
  reload(): Promise<boolean>;
  close(): void;
}

/**
 * Follows vigil.yaml + probes/ for a process that does not own the schedules: reloads periodically and
 * on demand (SIGHUP), and never replaces the last good config with a broken one.
 */
export async function followConfig(
  source: ConfigSource,
  log: Logger,
  o: { everyMs?: number; load?: (s: ConfigSource) => Promise<LoadResult> } = {},
): Promise<ConfigFollower> {
  let good: VigilConfig | null = null;
  const reload = async (): Promise<boolean> => {
    const { config, diagnostics } = await (o.load ?? loadVigilConfig)(source);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!config || errors.length > 0) {
      log.error({ errors: errors.map(formatDiagnostic) }, 'config invalid; keeping the last good config');
      return false;
    }
    good = config;
    return true;
  };
  await reload();
  const timer = setInterval(() => {
    reload().catch((err: unknown) => log.error({ err: (err as Error).message }, 'config reload failed'));
  }, o.everyMs ?? 60_000);
  timer.unref();
  return { current: () => good, reload, close: () => clearInterval(timer) };
}
