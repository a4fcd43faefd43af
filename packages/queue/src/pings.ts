import type { EpochMs, PingStore } from '@vigil/core';
import { Redis } from 'ioredis';
import { DEFAULT_PREFIX } from './redis.js';

export interface RedisPingStoreOptions {
  redisUrl: string;
  /** @defaultValue 'vigil' */
  prefix?: string;
  /** connection errors while Redis is unreachable (commands then fail fast; see below) */
  onError?: (err: Error) => void;
}

/** The key holding a probe's last ping time (epoch ms). */
export const pingKey = (prefix: string, probeId: string): string => `${prefix}:ping:${probeId}`;
/** The key holding since when a probe's pings are awaited (set once, by the first run that asks). */
export const pingWatchKey = (prefix: string, probeId: string): string => `${prefix}:ping-watch:${probeId}`;

const epochOrNull = (v: string | null | undefined): EpochMs | null => {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * Pings in Redis, shared by every API and worker process of a deployment: a key per probe holding its
 * last ping time. The connection opens on first use (a worker without push probes never opens it), and a
 * command fails after one reconnect attempt instead of waiting for Redis: the API answers 503, the run
 * is `internal` (the monitor's problem, not the target's).
 */
export function createRedisPingStore(o: RedisPingStoreOptions): PingStore {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const client = new Redis(o.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', (err: Error) => o.onError?.(err));
  let closed = false;
  return {
    async record(probeId, at) {
      await client.set(pingKey(prefix, probeId), String(at));
    },
    async lastPing(probeId, now) {
      const res = await client
        .multi()
        .set(pingWatchKey(prefix, probeId), String(now), 'NX')
        .get(pingKey(prefix, probeId))
        .get(pingWatchKey(prefix, probeId))
        .exec();
      const [, last, since] = (res ?? []).map(([err, v]) => {
        if (err) throw err;
        return v as string | null;
      });
      return { lastPingAt: epochOrNull(last), watchingSince: epochOrNull(since) ?? now };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (client.status === 'wait') client.disconnect();
      else await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * Pings in this process (embedded `vigil run`, where the API and the worker share it). Lost on restart:
 * every probe then counts from the restart (`watchingSince`), so a sender gets one interval and grace.
 */
export function createInProcessPingStore(): PingStore {
  const last = new Map<string, EpochMs>();
  const since = new Map<string, EpochMs>();
  return {
    record(probeId, at) {
      last.set(probeId, at);
      return Promise.resolve();
    },
    lastPing(probeId, now) {
      if (!since.has(probeId)) since.set(probeId, now);
      return Promise.resolve({ lastPingAt: last.get(probeId) ?? null, watchingSince: since.get(probeId)! });
    },
    close: () => Promise.resolve(),
  };
}
