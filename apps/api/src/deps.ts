import type { VigilConfig } from '@vigil/config';
import type { Clock, Env, PingStore } from '@vigil/core';
import type { Db } from '@vigil/db';
import type { Logger } from '@vigil/runtime';

/** What every route of the web surface reads from: the store, the config in force, the clock. */
export interface ApiDeps {
  db: Db;
  /** the config in force (e.g. `() => scheduler.current()`); null before the first valid one */
  config: () => VigilConfig | null;
  clock: Clock;
  log: Logger;
  /** where `api.tokens` references are resolved */
  env: Env;
  /**
   * loopback requests need no token (embedded `vigil run` on 127.0.0.1 with `api.localAccess`);
   * @defaultValue false
   */
  localAccess?: boolean;
  /** where push probes' pings are recorded (`/ping/<probe-id>`); without it those routes answer 503 */
  pings?: PingStore;
  /**
   * how often the dashboard's live feed polls the reads while a browser listens; 0: only on explicit
   * ticks (tests); @defaultValue 2000
   */
  liveIntervalMs?: number;
}
