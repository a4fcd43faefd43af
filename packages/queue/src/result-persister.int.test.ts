import type { ProbeResult } from '@vigil/core';
import { createTestRedis, type TestRedis } from '@vigil/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMissingConsumerGroup, startResultPersister, type ResultPersister } from './result-persister.js';
import { createResultStream, PERSISTER_GROUP, resultStreamKey, type ResultStream } from './result-stream.js';

const result = (slotAt: number, probeId = 'stripe'): ProbeResult => ({
  probeId,
  region: 'eu',
  slotAt,
  startedAt: slotAt + 3,
  phases: { dnsMs: 1, connectMs: 2, tlsMs: null, ttfbMs: 40, transferMs: 2, totalMs: 45 },
  outcome: 'up',
  httpStatus: 200,
  errorClass: null,
  message: null,
  assertions: [{ name: 'status', ok: true, expected: '200', actual: '200', message: 'status 200' }],
  retryAfterS: null,
  tlsDaysLeft: 80,
  workerId: 'w1',
});

/** Records what was persisted and resolves `until(n)` once n results arrived. */
function sink(failFirst = 0) {
  const stored: ProbeResult[] = [];
  let calls = 0;
  let waiter: { n: number; resolve: () => void } | undefined;
  return {
    stored,
    get calls() {
      return calls;
    },
    async persist(rs: ProbeResult[]) {
      calls++;
      if (calls <= failFirst) throw new Error('postgres is down');
      stored.push(...rs);
      if (waiter && stored.length >= waiter.n) waiter.resolve();
    },
    until(n: number): Promise<void> {
      if (stored.length >= n) return Promise.resolve();
      return new Promise((resolve) => (waiter = { n, resolve }));
    },
  };
}

describe('result stream and persister', () => {
  let redis: TestRedis;
  let stream: ResultStream;
  const persisters: ResultPersister[] = [];

  beforeEach(async () => {
    redis = await createTestRedis();
    stream = createResultStream({ redisUrl: redis.url, prefix: redis.prefix });
  });
  afterEach(async () => {
    await Promise.all(persisters.splice(0).map((p) => p.close()));
    await stream.close();
    await redis.cleanup();
  });

  const start = async (
    o: Partial<Parameters<typeof startResultPersister>[0]> &
      Pick<Parameters<typeof startResultPersister>[0], 'persist'>,
  ) => {
    const p = await startResultPersister({
      redisUrl: redis.url,
      prefix: redis.prefix,
      consumer: 'c1',
      blockMs: 200,
      ...o,
    });
    persisters.push(p);
    return p;
  };
  const streamLength = () => redis.client.xlen(resultStreamKey(redis.prefix));

  it('keeps results in Redis while persist throws, backs off, then stores every result once', async () => {
    const s = sink(3);
    const waits: number[] = [];
    const errors: Error[] = [];
    for (let i = 0; i < 25; i++) await stream.append(result(i * 60_000));
    const p = await start({
      persist: (rs) => s.persist(rs),
      batchSize: 10,
      lingerMs: 0,
      retryDelaysMs: [10, 20],
      sleep: async (ms) => void waits.push(ms),
      onError: (e) => errors.push(e),
    });
    await s.until(25);
    await p.close();

    expect(waits).toEqual([10, 20, 20]);
    expect(errors.map((e) => e.message)).toEqual([
      'postgres is down',
      'postgres is down',
      'postgres is down',
    ]);
    expect(s.stored.map((r) => r.slotAt)).toEqual(Array.from({ length: 25 }, (_, i) => i * 60_000));
    expect(s.stored[0]).toEqual(result(0));
    expect(await streamLength()).toBe(0);
  });

  it('tells persist failures apart from Redis errors, and the batch that ends them with the backlog', async () => {
    const s = sink(3);
    const failed: [string, number][] = [];
    const persisted: unknown[] = [];
    const errors: Error[] = [];
    for (let i = 0; i < 25; i++) await stream.append(result(i * 60_000));
    const p = await start({
      persist: (rs) => s.persist(rs),
      batchSize: 10,
      lingerMs: 0,
      retryDelaysMs: [1],
      onError: (e) => errors.push(e),
      onPersistFailed: (e, b) => failed.push([e.message, b.rows]),
      onPersisted: (b) => persisted.push(b),
    });
    await s.until(25);
    await p.close();

    expect(errors).toEqual([]);
    expect(failed).toEqual(Array.from({ length: 3 }, () => ['postgres is down', 10]));
    expect(persisted).toEqual([
      { rows: 10, afterFailures: 3, backlog: 15 },
      { rows: 10, afterFailures: 0, backlog: null },
      { rows: 5, afterFailures: 0, backlog: null },
    ]);
  });

  it('picks up results appended while it waits for new ones', async () => {
    const s = sink();
    await start({ persist: (rs) => s.persist(rs) });
    await stream.append(result(1));
    await stream.append(result(2));
    await s.until(2);
    expect(s.stored.map((r) => r.slotAt)).toEqual([1, 2]);
  });

  it("carries a multi-step result's steps and a not-sent reason through Redis unchanged", async () => {
    const s = sink();
    await start({ persist: (rs) => s.persist(rs) });
    const steps: ProbeResult = {
      ...result(1, 'paypal'),
      outcome: 'down',
      httpStatus: 401,
      errorClass: 'auth',
      message: 'step "call": credentials rejected',
      steps: [
        {
          name: 'token',
          outcome: 'up',
          httpStatus: 200,
          errorClass: null,
          phases: { dnsMs: null, connectMs: 1, tlsMs: null, ttfbMs: 20, transferMs: 1, totalMs: 22 },
        },
        {
          name: 'call',
          outcome: 'down',
          httpStatus: 401,
          errorClass: 'auth',
          phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: 15, transferMs: 0.5, totalMs: 16 },
        },
      ],
    };
    const deferred: ProbeResult = {
      ...result(2, 'paypal'),
      outcome: 'rate_limited',
      httpStatus: null,
      errorClass: 'rate_limited',
      notSent: 'deferred',
    };
    await stream.append(steps);
    await stream.append(deferred);
    await s.until(2);
    expect(s.stored).toStrictEqual([steps, deferred]);
  });

  it('takes the results that arrive while it lingers into the same batch', async () => {
    const s = sink();
    const sizes: number[] = [];
    const lingered: number[] = [];
    await start({
      persist: async (rs) => {
        sizes.push(rs.length);
        await s.persist(rs);
      },
      lingerMs: 50,
      sleep: async (ms) => {
        lingered.push(ms);
        for (let i = 2; i <= 5; i++) await stream.append(result(i));
      },
    });
    await stream.append(result(1));
    await s.until(5);
    expect(lingered).toEqual([50]);
    expect(sizes).toEqual([5]);
    expect(s.stored.map((r) => r.slotAt)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not linger over a batch that is already full', async () => {
    for (let i = 0; i < 6; i++) await stream.append(result(i));
    const s = sink();
    const sizes: number[] = [];
    const lingered: number[] = [];
    await start({
      persist: async (rs) => {
        sizes.push(rs.length);
        await s.persist(rs);
      },
      batchSize: 3,
      lingerMs: 50,
      sleep: async (ms) => void lingered.push(ms),
    });
    await s.until(6);
    expect(sizes).toEqual([3, 3]);
    expect(lingered).toEqual([]);
  });

  it('claims the pending batch of a persister that died before acknowledging it', async () => {
    for (let i = 0; i < 3; i++) await stream.append(result(i));
    const key = resultStreamKey(redis.prefix);
    await redis.client.xgroup('CREATE', key, PERSISTER_GROUP, '0', 'MKSTREAM');
    await redis.client.xreadgroup('GROUP', PERSISTER_GROUP, 'dead', 'COUNT', 10, 'STREAMS', key, '>');

    const s = sink();
    const p = await start({ persist: (rs) => s.persist(rs), consumer: 'alive', claimIdleMs: 0 });
    await s.until(3);
    await p.close();
    expect(s.stored.map((r) => r.slotAt)).toEqual([0, 1, 2]);
    const pending = (await redis.client.xpending(key, PERSISTER_GROUP)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('sets an unreadable entry aside in a dead-letter stream and carries on', async () => {
    const key = resultStreamKey(redis.prefix);
    await redis.client.xadd(key, '*', 'r', '{"probeId":"x"}');
    await stream.append(result(7));
    const s = sink();
    const errors: Error[] = [];
    await start({ persist: (rs) => s.persist(rs), onError: (e) => errors.push(e) });
    await s.until(1);
    expect(s.stored.map((r) => r.slotAt)).toEqual([7]);
    expect(errors).toEqual([expect.objectContaining({ code: 'INVALID_PAYLOAD' })]);
    expect(await redis.client.xlen(`${key}:dead`)).toBe(1);
  });

  it('rejects with CONSUMER_GROUP_FAILED when the group cannot be created on the stream key', async () => {
    await redis.client.set(resultStreamKey(redis.prefix), 'not a stream');
    await expect(start({ persist: async () => undefined })).rejects.toMatchObject({
      name: 'QueueError',
      code: 'CONSUMER_GROUP_FAILED',
      cause: expect.objectContaining({ message: expect.stringContaining('WRONGTYPE') }) as unknown,
    });
  });

  it('reports a lost consumer group (the stream deleted, as by FLUSHALL) as one isMissingConsumerGroup knows', async () => {
    const lost = new Promise<Error>((resolve) => {
      void start({
        persist: async () => undefined,
        onError: (err) => {
          if (isMissingConsumerGroup(err)) resolve(err);
        },
      }).then(() => redis.client.del(resultStreamKey(redis.prefix)));
    });
    expect((await lost).message).toMatch(/^NOGROUP/);
    expect(isMissingConsumerGroup(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(false);
  });

  it('refuses to append a result that is not a ProbeResult', async () => {
    await expect(
      stream.append({ ...result(1), outcome: 'sideways' } as unknown as ProbeResult),
    ).rejects.toMatchObject({
      code: 'INVALID_PAYLOAD',
    });
  });

  it('closes promptly while blocked waiting for results', async () => {
    const p = await start({ persist: async () => undefined, blockMs: 60_000 });
    const t0 = performance.now();
    await p.close();
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
