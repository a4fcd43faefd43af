import { setMaxListeners } from 'node:events';
import { WaitingError, Worker, type Job } from 'bullmq';
import { assertNoEviction } from './eviction.js';
import { QueueError, toError } from './errors.js';
import { parseProbeJob, queueName, slotAtFromJobId, type ProbeJob } from './jobs.js';
import { connect, DEFAULT_PREFIX } from './redis.js';

export interface ProbeWorkerOptions {
  redisUrl: string;
  /** @defaultValue 'vigil' */
  prefix?: string;
  /** the region whose queue (`probes-<region>`) this worker consumes */
  region: string;
  /** @defaultValue 100 */
  concurrency?: number;
  /** runs one probe; rejecting fails the job (no retry: the next slot is the retry) */
  handler: (job: ProbeJob, signal: AbortSignal) => Promise<void>;
  /** a run whose lock is not renewed for this long (a killed worker) is stalled. @defaultValue 30000 */
  lockDurationMs?: number;
  /** how often stalled runs are looked for and re-queued for the same slot. @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** failed runs (with their job when it parsed) and connection errors; a library never logs */
  onError?: (err: Error, job?: ProbeJob) => void;
}

export interface ProbeWorker {
  /**
   * Stops taking jobs and lets in-flight runs finish within `graceMs` (default 10 s). Runs still going
   * then get their signal aborted and their jobs go back to the queue, so another worker runs that slot.
   */
  close(graceMs?: number): Promise<void>;
}

/** A stalled run (its worker died) is re-run once for the same slot, then fails. */
const MAX_STALLED_COUNT = 1;
const DEFAULT_GRACE_MS = 10_000;

/** Starts a worker for one region; rejects with a QueueError unless Redis has `noeviction`. */
export async function createProbeWorker(o: ProbeWorkerOptions): Promise<ProbeWorker> {
  const start = await probeWorkerStarter(o.redisUrl);
  return start(o);
}

/**
 * Checks the Redis at `redisUrl` as createProbeWorker does (a QueueError unless it has `noeviction`) and
 * returns what starts workers on it without checking again: for a caller that must refuse an evicting
 * Redis before it opens anything else (the worker role), and starts its worker later.
 */
export async function probeWorkerStarter(
  redisUrl: string,
): Promise<(o: Omit<ProbeWorkerOptions, 'redisUrl'>) => Promise<ProbeWorker>> {
  await assertNoEviction(redisUrl);
  return (o) => startProbeWorker({ ...o, redisUrl });
}

async function startProbeWorker(o: ProbeWorkerOptions): Promise<ProbeWorker> {
  const onError = o.onError ?? (() => undefined);
  const connection = connect(o.redisUrl);
  const shutdown = new AbortController();
  // every run hears shutdown through this one signal (handlers and their deadlines listen to it)
  setMaxListeners(0, shutdown.signal);
  const inflight = new Set<(err: Error) => void>();
  shutdown.signal.addEventListener(
    'abort',
    () => {
      const reason = toError(shutdown.signal.reason);
      for (const stop of inflight) stop(reason);
    },
    { once: true },
  );
  const parsed = new WeakMap<Job, ProbeJob>();

  /** Settles like `work`, or rejects once shutdown aborts; a later failure of `work` goes to onError. */
  function untilShutdown(work: Promise<void>, payload: ProbeJob): Promise<void> {
    if (shutdown.signal.aborted) return Promise.reject(toError(shutdown.signal.reason));
    return new Promise<void>((resolve, reject) => {
      const stop = (reason: Error) => {
        work.catch((err: unknown) => onError(toError(err), payload));
        reject(reason);
      };
      inflight.add(stop);
      work.then(
        () => {
          inflight.delete(stop);
          resolve();
        },
        (err: unknown) => {
          inflight.delete(stop);
          reject(toError(err));
        },
      );
    });
  }

  // two parameters: BullMQ then builds no per-job AbortController (jobs are never cancelled one by one)
  async function processJob(job: Job, token?: string): Promise<void> {
    const payload = toProbeJob(job, o.region);
    parsed.set(job, payload);
    try {
      await untilShutdown(o.handler(payload, shutdown.signal), payload);
    } catch (err) {
      if (!shutdown.signal.aborted) throw err;
      await job.moveToWait(token);
      throw new WaitingError();
    }
  }

  const worker = new Worker(queueName(o.region), processJob, {
    connection,
    prefix: o.prefix ?? DEFAULT_PREFIX,
    concurrency: o.concurrency ?? 100,
    lockDuration: o.lockDurationMs ?? 30_000,
    stalledInterval: o.stalledIntervalMs ?? 30_000,
    maxStalledCount: MAX_STALLED_COUNT,
    autorun: false,
  });
  worker.on('error', (err: Error) => onError(err));
  worker.on('failed', (job: Job | undefined, err: Error) => onError(err, job ? parsed.get(job) : undefined));
  void worker.run().catch((err: unknown) => onError(toError(err)));
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    close(graceMs = DEFAULT_GRACE_MS) {
      closing ??= (async () => {
        const drained = worker.close();
        const timer = setTimeout(
          () => shutdown.abort(new QueueError('CLOSED', 'worker shut down before the run finished')),
          graceMs,
        );
        try {
          await drained;
        } finally {
          clearTimeout(timer);
          await connection.quit();
        }
      })();
      return closing;
    },
  };
}

function toProbeJob(job: Job, region: string): ProbeJob {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const probeId = typeof data.probeId === 'string' ? data.probeId : '';
  const fromId = job.id === undefined ? null : slotAtFromJobId(job.id, probeId);
  const payload = parseProbeJob({ ...data, slotAt: fromId ?? data.slotAt });
  if (payload.region !== region)
    throw new QueueError(
      'WRONG_REGION',
      `job for region ${payload.region} reached the worker of region ${region}`,
    );
  return payload;
}
