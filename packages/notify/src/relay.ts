import { DAY_MS, secretValues, type Clock, type Env } from '@vigil/core';
import { DEFAULT_BACKOFF, nextBackoff, type BackoffOptions } from './backoff.js';
import { DeliveryError, messageOf, scrub } from './errors.js';
import type { OutboxRow, OutboxStore } from './outbox.js';
import { notifierFor, type AnyNotifier, type ChannelSpec } from './registry.js';
import type { NotificationLogEntry } from './types.js';

export type RelayEvent =
  | { type: 'sent'; id: string; channel: string; incidentId: string; attempt: number }
  | { type: 'retry'; id: string; channel: string; attempt: number; nextAttemptAt: number; error: string }
  | { type: 'dead'; id: string; channel: string; attempt: number; error: string }
  /** a line from a `log` channel, for the app's logger */
  | { type: 'notification'; entry: NotificationLogEntry }
  | { type: 'store_error'; op: keyof OutboxStore; id: string | null; error: string };

export interface RelayOptions {
  store: OutboxStore;
  channels: Record<string, ChannelSpec>;
  env: Env;
  clock: Clock;
  /** @defaultValue 5 000 */
  timeoutMs?: number;
  /** a failing row is retried until this long after it was created; @defaultValue 24 h */
  maxAgeMs?: number;
  /** @defaultValue {@link DEFAULT_BACKOFF} */
  backoff?: BackoffOptions;
  /** @defaultValue Math.random */
  random?: () => number;
  /** poll interval; 0 polls never (call tick() yourself); @defaultValue 1 000 */
  pollMs?: number;
  /** rows claimed per tick; keep `batchSize × timeoutMs` below the store's claim lease; @defaultValue 10 */
  batchSize?: number;
  onEvent?: (e: RelayEvent) => void;
}

export interface Relay {
  /** claims due rows and tries each once; resolves to the number of rows handled. Ticks never overlap. */
  tick(): Promise<number>;
  /** stops polling and waits for the tick in flight */
  stop(): Promise<void>;
}

export class ChannelConfigError extends Error {
  readonly code = 'CHANNEL_INVALID';
  constructor(
    readonly channel: string,
    detail: string,
  ) {
    super(`channel "${channel}": ${detail}`);
    this.name = 'ChannelConfigError';
  }
}

interface Channel {
  notifier: AnyNotifier;
  config: unknown;
}

/** Sends outbox rows through their channels: at least once, retried with backoff, secrets never stored. */
export function startRelay(o: RelayOptions): Relay {
  const timeoutMs = o.timeoutMs ?? 5_000;
  const maxAgeMs = o.maxAgeMs ?? DAY_MS;
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  const random = o.random ?? Math.random;
  const batchSize = o.batchSize ?? 10;
  const pollMs = o.pollMs ?? 1_000;
  const emit = (e: RelayEvent) => o.onEvent?.(e);
  const channels = parseChannels(o.channels);
  const secrets = Object.values(channels).flatMap((c) => secretValues(c.config, o.env));
  const clean = (err: unknown) => scrub(messageOf(err), secrets);

  async function mark(op: 'markSent' | 'markRetry' | 'markDead', id: string, run: () => Promise<void>) {
    try {
      await run();
    } catch (err) {
      emit({ type: 'store_error', op, id, error: clean(err) });
    }
  }

  async function deliver(row: OutboxRow): Promise<void> {
    const attempt = row.attempts + 1;
    try {
      const ch = channels[row.channel];
      if (!ch)
        throw new DeliveryError(`unknown channel "${row.channel}"`, {
          channel: row.channel,
          retryable: true,
        });
      const msg: unknown = ch.notifier.render(row.payload, ch.config);
      await withTimeout(timeoutMs, row.channel, (signal) =>
        ch.notifier.send(msg, ch.config, {
          channel: row.channel,
          env: o.env,
          timeoutMs,
          signal,
          log: (entry) => emit({ type: 'notification', entry }),
        }),
      );
    } catch (err) {
      const now = o.clock.now();
      const error = clean(err);
      if ((err instanceof DeliveryError && !err.retryable) || now - row.createdAt >= maxAgeMs) {
        await mark('markDead', row.id, () => o.store.markDead(row.id, error));
        emit({ type: 'dead', id: row.id, channel: row.channel, attempt, error });
      } else {
        const asked = err instanceof DeliveryError ? (err.retryAfterMs ?? 0) : 0;
        const nextAttemptAt = now + Math.max(asked, nextBackoff(attempt, backoff, random));
        await mark('markRetry', row.id, () => o.store.markRetry(row.id, nextAttemptAt, error));
        emit({ type: 'retry', id: row.id, channel: row.channel, attempt, nextAttemptAt, error });
      }
      return;
    }
    await mark('markSent', row.id, () => o.store.markSent(row.id, o.clock.now()));
    emit({ type: 'sent', id: row.id, channel: row.channel, incidentId: row.payload.incidentId, attempt });
  }

  async function runTick(): Promise<number> {
    const rows = await o.store.claimDue(o.clock.now(), batchSize);
    const byChannel = new Map<string, OutboxRow[]>();
    for (const r of rows) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r]);
    // channels run side by side, so a slow one does not hold the others; one channel's rows go in order
    await Promise.all(
      [...byChannel.values()].map(async (list) => {
        for (const r of list) await deliver(r);
      }),
    );
    return rows.length;
  }

  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  function tick(): Promise<number> {
    const p = chain.then(() => (stopped ? 0 : runTick()));
    chain = p.catch(() => undefined);
    return p;
  }

  function schedule(delay: number) {
    if (stopped || pollMs <= 0) return;
    timer = setTimeout(() => {
      tick().then(
        (n) => schedule(n >= batchSize ? 0 : pollMs),
        (err: unknown) => {
          emit({ type: 'store_error', op: 'claimDue', id: null, error: clean(err) });
          schedule(pollMs);
        },
      );
    }, delay);
    timer.unref();
  }
  schedule(0);

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}

function parseChannels(specs: Record<string, ChannelSpec>): Record<string, Channel> {
  const out: Record<string, Channel> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const notifier = notifierFor(spec.type);
    if (!notifier) throw new ChannelConfigError(name, `unknown channel type "${spec.type}"`);
    const parsed = notifier.configSchema.safeParse(spec.config);
    if (!parsed.success)
      throw new ChannelConfigError(
        name,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      );
    out[name] = { notifier, config: parsed.data };
  }
  return out;
}

async function withTimeout(ms: number, channel: string, run: (signal: AbortSignal) => Promise<void>) {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(
        new DeliveryError(`delivery to "${channel}" timed out after ${ms} ms`, { channel, retryable: true }),
      );
    }, ms);
  });
  try {
    await Promise.race([run(ac.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
