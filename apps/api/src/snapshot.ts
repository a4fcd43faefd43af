import type { VigilConfig } from '@vigil/config';
import { readStatus, type StatusReport } from '@vigil/evaluation';
import type { ApiDeps } from './deps.js';

/**
 * How long one computed status serves the routes that show it (status page, badges, /api/v1/status), on
 * the injected clock. The evaluator commits once a second and the page itself says `max-age=30`; a
 * status a second old costs nothing to trust, and 100 clients then cost one read, not 100.
 */
export const STATUS_MAX_AGE_MS = 1_000;

interface Memo {
  at: number;
  config: VigilConfig;
  report: Promise<StatusReport>;
}

const memos = new WeakMap<ApiDeps, Memo>();

/**
 * `readStatus` for the config in force, shared: while one is being read every caller waits for it, and a
 * result younger than STATUS_MAX_AGE_MS for the same config is reused. A failed read is not kept.
 */
export function sharedStatus(deps: ApiDeps, config: VigilConfig): Promise<StatusReport> {
  const now = deps.clock.now();
  const last = memos.get(deps);
  if (last && last.config === config && now >= last.at && now - last.at < STATUS_MAX_AGE_MS)
    return last.report;
  const report = readStatus(deps.db, config, now);
  const memo = { at: now, config, report };
  memos.set(deps, memo);
  report.catch(() => {
    if (memos.get(deps) === memo) memos.delete(deps);
  });
  return report;
}
