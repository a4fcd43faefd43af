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
  await assertNoEviction(o.redisUrl);
  const onError = o.onError ?? (() => undefined);
  const connection = connect(o.redisUrl);
  const shutdown = new AbortController();
  const parsed = new WeakMap<Job, ProbeJob>();

  async function processJob(job: Job, token?: string, signal?: AbortSignal): Promise<void> {
    const payload = toProbeJob(job, o.region);
    parsed.set(job, payload);
    const run = new AbortController();
    const abortRun = (reason: unknown) => run.abort(reason);
    const onCancel = () => abortRun(signal?.reason);
    const onShutdown = () => abortRun(shutdown.signal.reason);
    signal?.addEventListener('abort', onCancel, { once: true });
    shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    try {
      await untilAborted(o.handler(payload, run.signal), shutdown.signal, (late) => onError(late, payload));
    } catch (err) {
      if (!shutdown.signal.aborted) throw err;
      await job.moveToWait(token);
      throw new WaitingError();
    } finally {
      signal?.removeEventListener('abort', onCancel);
      shutdown.signal.removeEventListener('abort', onShutdown);
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

/** Settles like `work`, or rejects as soon as `signal` aborts; a later failure of `work` goes to `late`. */
function untilAborted(work: Promise<void>, signal: AbortSignal, late: (err: Error) => void): Promise<void> {
  if (signal.aborted) return Promise.reject(toError(signal.reason));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      work.catch((err: unknown) => late(toError(err)));
      reject(toError(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toError(err));
      },
    );
  });
}
