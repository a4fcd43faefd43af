import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { VigilConfig } from '@vigil/config';
import { readStatus, type StatusReport } from '@vigil/evaluation';
import type { ApiDeps } from './deps.js';
import { etagOf } from './pages/status/cache.js';

/**
 * A read the web surface shows to everyone (the status, the status page, its JSON) is served from a
 * snapshot: younger than SNAPSHOT_FRESH_MS it is served as it is; up to SNAPSHOT_STALE_MS old it is still
 * served at once while a new one is read in the background (one read at a time); older, or for another
 * config, the request waits for the read. So under any load a request waits on the store only at start,
 * after a reload or after a quiet spell, and 100 clients cost one read, not 100. Ages are on the injected
 * clock. The evaluator commits once a second and the page itself says `max-age=30`.
 */
export const SNAPSHOT_FRESH_MS = 5_000;
export const SNAPSHOT_STALE_MS = 30_000;

interface Entry<T> {
  config: VigilConfig;
  /** the clock when the value was read */
  at: number;
  value?: T;
  /** the read under way, and when it started */
  pending?: Promise<T>;
}

const gzipAsync = promisify(gzip);

const snapshots = new WeakMap<ApiDeps, Map<string, Entry<unknown>>>();
/**
 * Keys per app, at most (a dashboard's key includes its filters): past it the oldest key is dropped, so
 * a caller trying every query string costs renders, not memory.
 */
export const SNAPSHOT_MAX_KEYS = 256;

/**
 * Drops every snapshot of the app: after a write through it (a silence, an acknowledgement) the next
 * page shows the write. Writes made elsewhere (the CLI) show within SNAPSHOT_FRESH_MS.
 */
export function dropSnapshots(deps: ApiDeps): void {
  snapshots.get(deps)?.clear();
}

/**
 * `read(now)` for `key`, shared as the module comment says. A failed read is not kept: its waiters get
 * the error, and a failed background read leaves the last value (logged once per failure).
 */
export function snapshot<T>(
  deps: ApiDeps,
  key: string,
  config: VigilConfig,
  read: (now: number) => Promise<T>,
): Promise<T> {
  let byKey = snapshots.get(deps);
  if (!byKey) snapshots.set(deps, (byKey = new Map()));
  const now = deps.clock.now();
  let e = byKey.get(key) as Entry<T> | undefined;
  if (e && e.config !== config) e = undefined;
  if (e && e.value !== undefined) {
    const age = now - e.at;
    if (age >= 0 && age < SNAPSHOT_FRESH_MS) return Promise.resolve(e.value);
    if (age >= 0 && age < SNAPSHOT_STALE_MS) {
      if (!e.pending)
        start(e, now, read).catch((err: unknown) =>
          deps.log.warn(
            { key, err: (err as Error).message },
            'snapshot refresh failed; serving the last one',
          ),
        );
      return Promise.resolve(e.value);
    }
  }
  if (e?.pending) return e.pending;
  if (!e) {
    byKey.delete(key);
    if (byKey.size >= SNAPSHOT_MAX_KEYS) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, (e = { config, at: now }));
  }
  return start(e, now, read);
}

function start<T>(e: Entry<T>, now: number, read: (now: number) => Promise<T>): Promise<T> {
  const p = read(now).then(
    (value) => {
      if (e.pending === p) e.pending = undefined;
      if (e.value === undefined || now >= e.at) {
        e.value = value;
        e.at = now;
      }
      return value;
    },
    (err: unknown) => {
      if (e.pending === p) e.pending = undefined;
      throw err;
    },
  );
  e.pending = p;
  return p;
}

/** `readStatus` for the config in force, as a snapshot (the status page, badges, /api/v1/status). */
export function sharedStatus(deps: ApiDeps, config: VigilConfig): Promise<StatusReport> {
  return snapshot(deps, 'status', config, (now) => readStatus(deps.db, config, now));
}

/** A rendered body as it goes out: the text, its gzip and its ETag, made once per snapshot. */
export interface RenderedBody {
  text: string;
  gzip: Buffer;
  etag: string;
}

/** Compressed on libuv's thread pool: a 1 MB status does not hold the event loop while it is gzipped. */
export async function renderedBody(text: string): Promise<RenderedBody> {
  return { text, gzip: await gzipAsync(text, { level: 6 }), etag: etagOf(text) };
}
