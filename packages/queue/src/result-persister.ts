import type { ProbeResult } from '@vigil/core';
import { QueueError, toError } from './errors.js';
import { connect, DEFAULT_PREFIX } from './redis.js';
import { probeResultSchema } from './result-schema.js';
import { PERSISTER_GROUP, RESULT_FIELD, resultStreamKey } from './result-stream.js';

export interface ResultPersisterOptions {
  redisUrl: string;
  /** @defaultValue 'vigil' */
  prefix?: string;
  /** this process's name in the consumer group; reuse it across restarts to pick up its own pending batch */
  consumer: string;
  /** @defaultValue 1000 */
  batchSize?: number;
  /**
   * Stores a batch. Must be idempotent per (probe, region, slot): a batch whose persister died before
   * acknowledging is delivered again. Throwing (Postgres down) keeps the batch pending; it is retried.
   */
  persist: (rs: ProbeResult[]) => Promise<void>;
  /** unreadable entries, Redis errors, and persist failures unless onPersistFailed is given; a library never logs */
  onError?: (err: Error) => void;
  /** each failed attempt to store a batch (Postgres down): the batch stays pending and is retried */
  onPersistFailed?: (err: Error, e: { rows: number }) => void;
  /** each stored batch; after failed attempts, `backlog` is the results still waiting in the stream */
  onPersisted?: (e: PersistedBatch) => void;
  /** pending entries of a consumer idle this long (it died) are claimed by this one. @defaultValue 60000 */
  claimIdleMs?: number;
  /** waits between retries of a failing batch; the last one repeats. @defaultValue 100 ms … 30 s */
  retryDelaysMs?: readonly number[];
  /** waits `ms`, resolving early when `signal` aborts (injected by tests). @defaultValue setTimeout */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** how long one read waits for new results. @defaultValue 5000 */
  blockMs?: number;
  /**
   * After a read of new results that did not fill a batch, waits this long and takes what arrived
   * meanwhile into the same batch: fewer, larger Postgres transactions for a little latency. 0 turns
   * it off. @defaultValue 200
   */
  lingerMs?: number;
}

export interface PersistedBatch {
  rows: number;
  /** failed attempts to store results just before this batch went through; 0 normally */
  afterFailures: number;
  /** stream length read once the first batch after failures is stored; null otherwise */
  backlog: number | null;
}

export interface ResultPersister {
  /** Finishes the batch in hand (persist and acknowledge), then stops. */
  close(): Promise<void>;
}

type RawEntry = [id: string, fields: string[] | null];
interface Batch {
  ids: string[];
  results: ProbeResult[];
}

const DEFAULT_DELAYS = [100, 500, 1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Whether an error the persister reported (onError) says its consumer group is gone: Redis restarted empty
 * or was flushed. The group is created only at start, so such a persister fails on every read until it is
 * started afresh.
 */
export function isMissingConsumerGroup(err: Error): boolean {
  return err.message.startsWith('NOGROUP');
}

/**
 * Moves results from the Redis stream to `persist` in batches: XREADGROUP → persist → XACK + XDEL.
 * Delivery is at-least-once; with an idempotent `persist` every result is stored once.
 */
export async function startResultPersister(o: ResultPersisterOptions): Promise<ResultPersister> {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const key = resultStreamKey(prefix);
  const deadKey = `${key}:dead`;
  const batchSize = o.batchSize ?? 1000;
  const count = String(batchSize);
  const claimIdle = String(o.claimIdleMs ?? 60_000);
  const block = String(o.blockMs ?? 5_000);
  const lingerMs = o.lingerMs ?? 200;
  const delays = o.retryDelaysMs && o.retryDelaysMs.length > 0 ? o.retryDelaysMs : DEFAULT_DELAYS;
  const sleep = o.sleep ?? defaultSleep;
  const onError = o.onError ?? (() => undefined);
  const client = connect(o.redisUrl);
  client.on('error', (err: Error) => onError(err));

  await ensureGroup();

  const stop = new AbortController();
  let blocked = false;
  const loop = run();

  async function ensureGroup(): Promise<void> {
    try {
      await client.xgroup('CREATE', key, PERSISTER_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) {
        client.disconnect();
        throw new QueueError('CONSUMER_GROUP_FAILED', `could not create consumer group on ${key}`, {
          cause: err,
        });
      }
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    let persistFailures = 0;
    let ownPendingFirst = true;
    while (!stop.signal.aborted) {
      try {
        let raw: RawEntry[] = [];
        if (ownPendingFirst) {
          raw = await readGroup('0');
          ownPendingFirst = raw.length > 0;
        }
        if (raw.length === 0) raw = await autoclaim();
        if (raw.length === 0 && !stop.signal.aborted) {
          blocked = true;
          try {
            raw = await readGroup('>', true);
          } finally {
            blocked = false;
          }
          if (raw.length > 0) raw = await linger(raw);
        }
        if (raw.length === 0) continue;
        const batch = await decode(raw);
        const rows = batch.results.length;
        if (rows > 0)
          await o.persist(batch.results).catch((err: unknown) => {
            throw new PersistFailure(toError(err), rows);
          });
        await acknowledge(batch.ids);
        failures = 0;
        if (rows > 0) {
          const backlog = persistFailures > 0 ? await client.xlen(key) : null;
          o.onPersisted?.({ rows, afterFailures: persistFailures, backlog });
          persistFailures = 0;
        }
      } catch (err) {
        if (stop.signal.aborted) return;
        if (err instanceof PersistFailure) {
          persistFailures++;
          if (o.onPersistFailed) o.onPersistFailed(err.error, { rows: err.rows });
          else onError(err.error);
        } else onError(toError(err));
        ownPendingFirst = true;
        await sleep(delays[Math.min(failures, delays.length - 1)] ?? 0, stop.signal);
        failures++;
      }
    }
  }

  /** Lets a partial batch of new results fill up for `lingerMs` (cut short by close). */
  async function linger(raw: RawEntry[]): Promise<RawEntry[]> {
    if (lingerMs <= 0 || raw.length >= batchSize || stop.signal.aborted) return raw;
    await sleep(lingerMs, stop.signal);
    const more = await readGroup('>', false, batchSize - raw.length);
    return more.length === 0 ? raw : raw.concat(more);
  }

  async function readGroup(from: '0' | '>', blocking = false, max = batchSize): Promise<RawEntry[]> {
    const args = ['GROUP', PERSISTER_GROUP, o.consumer, 'COUNT', String(max)];
    if (blocking) args.push('BLOCK', block);
    const reply = (await client.call('XREADGROUP', ...args, 'STREAMS', key, from)) as
      [string, RawEntry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  }

  async function autoclaim(): Promise<RawEntry[]> {
    const reply = (await client.call(
      'XAUTOCLAIM',
      key,
      PERSISTER_GROUP,
      o.consumer,
      claimIdle,
      '0-0',
      'COUNT',
      count,
    )) as [string, RawEntry[], string[]?];
    return reply[1];
  }

  async function decode(raw: RawEntry[]): Promise<Batch> {
    const batch: Batch = { ids: [], results: [] };
    for (const [id, fields] of raw) {
      batch.ids.push(id);
      if (fields === null) continue; // trimmed past MAXLEN before it was persisted
      const json = fields[fields.indexOf(RESULT_FIELD) + 1];
      const parsed = probeResultSchema.safeParse(parseJson(json));
      if (parsed.success) batch.results.push(parsed.data);
      else {
        await client.xadd(deadKey, 'MAXLEN', '~', '10000', '*', 'id', id, RESULT_FIELD, json ?? '');
        onError(
          new QueueError('INVALID_PAYLOAD', `unreadable result ${id} moved to ${deadKey}`, {
            cause: parsed.error,
          }),
        );
      }
    }
    return batch;
  }

  async function acknowledge(ids: string[]): Promise<void> {
    await client
      .multi()
      .xack(key, PERSISTER_GROUP, ...ids)
      .xdel(key, ...ids)
      .exec();
  }

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        stop.abort();
        if (blocked) client.disconnect();
        await loop;
        if (client.status !== 'end') await client.quit();
      })();
      return closing;
    },
  };
}

/** A persist call's failure inside the loop, told apart from Redis errors. */
class PersistFailure {
  constructor(
    readonly error: Error,
    readonly rows: number,
  ) {}
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    return { unparseable: String(err) };
  }
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
