import type { PingStore } from '@vigil/core';
import { createTestRedis, type TestRedis } from '@vigil/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessPingStore, createRedisPingStore, pingKey } from './pings.js';

const T0 = Date.parse('2025-03-03T10:00:00Z');

let redis: TestRedis | undefined;
const stores: PingStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await redis?.cleanup();
  redis = undefined;
});

async function redisPair(): Promise<[PingStore, PingStore]> {
  redis = await createTestRedis('vigilpings');
  // the API's store and a worker's: two connections, as in two processes
  const api = createRedisPingStore({ redisUrl: redis.url, prefix: redis.prefix });
  const worker = createRedisPingStore({ redisUrl: redis.url, prefix: redis.prefix });
  stores.push(api, worker);
  return [api, worker];
}

function inProcessPair(): Promise<[PingStore, PingStore]> {
  const s = createInProcessPingStore();
  stores.push(s);
  return Promise.resolve([s, s]);
}

describe.each([
  ['redis', redisPair],
  ['in-process', inProcessPair],
])('%s ping store', (_name, pair) => {
  it('answers the last ping recorded, and since when the probe has been awaited (fixed at the first ask)', async () => {
    const [api, worker] = await pair();
    expect(await worker.lastPing('hb', T0)).toEqual({ lastPingAt: null, watchingSince: T0 });
    await api.record('hb', T0 + 1_000);
    await api.record('hb', T0 + 2_000);
    expect(await worker.lastPing('hb', T0 + 5_000)).toEqual({ lastPingAt: T0 + 2_000, watchingSince: T0 });
    // probes are apart
    expect(await worker.lastPing('other', T0 + 9_000)).toEqual({
      lastPingAt: null,
      watchingSince: T0 + 9_000,
    });
  });
});

describe('redis ping store', () => {
  it('keeps one key per probe under the prefix', async () => {
    const [api] = await redisPair();
    await api.record('hb', T0);
    expect(await redis!.client.get(pingKey(redis!.prefix, 'hb'))).toBe(String(T0));
  });

  it('fails a command fast instead of waiting while Redis is unreachable', async () => {
    const down = createRedisPingStore({ redisUrl: 'redis://127.0.0.1:1', onError: () => undefined });
    stores.push(down);
    await expect(down.record('hb', T0)).rejects.toThrow();
    await expect(down.lastPing('hb', T0)).rejects.toThrow();
  });
});
