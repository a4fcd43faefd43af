import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { retentionOf, type VigilConfig } from '@vigil/config';
import { DAY_MS, type Clock, type Env } from '@vigil/core';
import {
  dbErrorSummary,
  deleteExpiredCumulative,
  deleteExpiredRollups,
  deleteOldOutbox,
  deleteOldDeclarations,
  type Db,
} from '@vigil/db';
import { startRelay, type OutboxStore, type Relay, type RelayEvent } from '@vigil/notify';
import { OutageLog, type Logger } from '@vigil/runtime';
import { channelSpecs } from './channels.js';
import { createEvaluator, EvaluatorError, type EvaluatorOptions, type TickSummary } from './evaluator.js';
import { Heartbeat, type HeartbeatEvent, type HeartbeatResult, type HeartbeatSend } from './heartbeat.js';
import { pgOutboxStore } from './outbox-store.js';
import {
  createStatusPagePoller,
  type PollOutcome,
  type StatusPageEvent,
  type StatusPageFetch,
} from './statuspage/poller.js';
import { startReportScheduler, type ReportEvent, type ReportSchedulerOptions } from './reports/scheduler.js';

export interface EvaluatorRoleOptions extends Pick<
  EvaluatorOptions,
  'holder' | 'leaseMs' | 'graceMs' | 'healthWindowMs' | 'selfCheck' | 'maxSlotsPerProbe'
> {
  db: Db;
  /** the config in force, e.g. `() => scheduler.current()`; null skips ticks */
  config: () => VigilConfig | null;
  clock: Clock;
  log: Logger;
  /** where channel secrets (`${env:…}`) are resolved, at send time only */
  env: Env;
  /** evaluation period; 0 never ticks on its own (call tick()); @defaultValue 1 000 */
  tickEveryMs?: number;
  /** relay poll period; 0 never polls (call relayTick()); @defaultValue 1 000 */
  relayPollMs?: number;
  /** the `file` channel's folder when no channel is configured; @defaultValue `.vigil/outbox` */
  outboxDir?: string;
  /** outbox claim lease; @defaultValue 60 000 */
  outboxLeaseMs?: number;
  /** per-send timeout of the relay; @defaultValue 5 000 */
  sendTimeoutMs?: number;
  /** rollup (vigil.yaml `retention.rollups`) and outbox retention pass; 0 never; @defaultValue 3 600 000 */
  maintainEveryMs?: number;
  /** how often the heartbeat (vigil.yaml `heartbeat:`) checks whether a ping is due; 0 never; @defaultValue 5 000 */
  heartbeatCheckMs?: number;
  /** @defaultValue a GET with fetch */
  heartbeatSend?: HeartbeatSend;
  /** how often to look whether a provider's status page is due (each polls at its `interval`, claimed in Postgres); 0 never; @defaultValue 5 000 */
  statusPageCheckMs?: number;
  /** @defaultValue a GET with fetch */
  statusPageFetch?: StatusPageFetch;
  /** scheduled reports (vigil.yaml `reports:`); false turns them off; @defaultValue {} */
  reports?: Pick<ReportSchedulerOptions, 'dir' | 'leaseMs' | 'checkEveryMs' | 'cron'> | false;
}

export interface EvaluatorRole {
  /** one evaluation step now (ticks never overlap) */
  tick(): Promise<TickSummary>;
  /** one relay pass now: sends due outbox rows; resolves to the rows handled */
  relayTick(): Promise<number>;
  /** one heartbeat check now: pings when due and every region is fresh */
  heartbeatTick(): Promise<HeartbeatResult>;
  /** one status page pass now: polls the providers' pages that are due and claimed by this process */
  statusPageTick(): Promise<PollOutcome[]>;
  close(): Promise<void>;
}

/**
 * The evaluator process's work: evaluation ticks (only the lease holder evaluates; any number of
 * evaluators may run) and the outbox relay (every evaluator relays; claims are leased).
 */
export async function startEvaluatorRole(o: EvaluatorRoleOptions): Promise<EvaluatorRole> {
  const log = o.log.child({ role: 'evaluator' });
  const evaluator = createEvaluator({
    ...o,
    channelNames: (config) => Object.keys(channelSpecs(config, o.outboxDir)),
  });
  // a Postgres outage is told once per loop (ticks, relay) when it starts and once when it ends
  const outage = new OutageLog({ log, dependency: 'postgres', op: 'evaluate', clock: o.clock });
  const relayOutage = new OutageLog({
    log,
    dependency: 'postgres',
    op: 'relay notifications',
    clock: o.clock,
  });
  const store = watchedStore(pgOutboxStore(o.db, { leaseMs: o.outboxLeaseMs }), relayOutage);
  let relay: { key: string; r: Relay } | null = null;
  let closed = false;
  const heartbeat = new Heartbeat({
    clock: o.clock,
    env: o.env,
    send: o.heartbeatSend,
    onEvent: (e) => logHeartbeatEvent(log, e),
  });
  const heartbeatTick = () => heartbeat.beat(o.config()?.heartbeat);

  const relayFor = async (config: VigilConfig): Promise<Relay> => {
    const channels = channelSpecs(config, o.outboxDir);
    const key = JSON.stringify(channels);
    if (relay?.key === key) return relay.r;
    if (relay) await relay.r.stop();
    relay = {
      key,
      r: startRelay({
        store,
        channels,
        env: o.env,
        clock: o.clock,
        pollMs: o.relayPollMs ?? 1_000,
        timeoutMs: o.sendTimeoutMs,
        onEvent: (e) => logRelayEvent(log, e),
      }),
    };
    return relay.r;
  };

  const tick = async (): Promise<TickSummary> => {
    const config = o.config();
    if (config) await relayFor(config);
    const at = o.clock.now();
    const s = await evaluator.tick();
    heartbeat.noteTick({ at, leader: s.leader, fresh: s.fresh });
    if (s.events > 0 || s.notifications > 0)
      log.info(
        {
          slots: s.slots,
          events: s.events,
          opened: s.opened,
          resolved: s.resolved,
          notifications: s.notifications,
        },
        'evaluated',
      );
    return s;
  };

  const timers: NodeJS.Timeout[] = [];
  const every = o.tickEveryMs ?? 1_000;
  if (every > 0) {
    const loop = () => {
      if (closed) return;
      tick().then(
        () => {
          outage.succeeded();
          schedule();
        },
        (err: unknown) => {
          if (err instanceof EvaluatorError)
            log.error({ err: err.message, code: err.code }, 'evaluation failed');
          else outage.failed(dbErrorSummary(err));
          schedule();
        },
      );
    };
    const schedule = () => {
      if (closed) return;
      const t = setTimeout(loop, every);
      t.unref();
      timers[0] = t;
    };
    schedule();
  }
  const maintainEvery = o.maintainEveryMs ?? 3_600_000;
  if (maintainEvery > 0) {
    const t = setInterval(() => {
      const config = o.config();
      if (!config) return;
      const now = new Date(o.clock.now());
      const days = retentionOf(config).rollups / DAY_MS;
      Promise.all([
        deleteExpiredRollups(o.db, now, days),
        deleteExpiredCumulative(o.db, new Date(now.getTime() - days * DAY_MS)),
        deleteOldOutbox(o.db, now),
        deleteOldDeclarations(o.db, new Date(now.getTime() - days * DAY_MS)),
      ]).then(
        ([rollups, , outbox]) => {
          if (rollups + outbox > 0) log.info({ rollups, outbox }, 'retention applied');
        },
        (err: unknown) => log.error({ err: (err as Error).message }, 'retention failed'),
      );
    }, maintainEvery);
    t.unref();
    timers.push(t);
  }

  const heartbeatEvery = o.heartbeatCheckMs ?? 5_000;
  if (heartbeatEvery > 0) {
    const t = setInterval(() => void heartbeatTick(), heartbeatEvery);
    t.unref();
    timers.push(t);
  }

  const statusPages = createStatusPagePoller({
    db: o.db,
    config: o.config,
    clock: o.clock,
    env: o.env,
    holder: o.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    fetch: o.statusPageFetch,
    onEvent: (e) => logStatusPageEvent(log, e),
  });
  const statusPageTick = () =>
    statusPages.tick().catch((err: unknown) => {
      log.error({ err: dbErrorSummary(err) }, 'status page poll failed');
      return [];
    });
  const statusPageEvery = o.statusPageCheckMs ?? 5_000;
  if (statusPageEvery > 0) {
    const t = setInterval(() => void statusPageTick(), statusPageEvery);
    t.unref();
    timers.push(t);
  }

  const first = o.config();
  if (first) await relayFor(first);
  const reports =
    o.reports === false
      ? null
      : startReportScheduler({
          ...o.reports,
          db: o.db,
          config: o.config,
          clock: o.clock,
          env: o.env,
          holder: o.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
          onEvent: (e) => logReportEvent(log, e, outage),
        });

  return {
    tick,
    async relayTick() {
      const config = o.config();
      return config ? (await relayFor(config)).tick() : 0;
    },
    heartbeatTick,
    statusPageTick,
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await reports?.close();
      await statusPages.idle();
      await evaluator.release();
      await relay?.r.stop();
    },
  };
}

/** The relay's store, reporting every call's failure or success to `outage` (which logs by state). */
function watchedStore(store: OutboxStore, outage: OutageLog): OutboxStore {
  const watch = <T>(p: Promise<T>): Promise<T> =>
    p.then(
      (v) => {
        outage.succeeded();
        return v;
      },
      (err: unknown) => {
        outage.failed(dbErrorSummary(err));
        throw err;
      },
    );
  return {
    claimDue: (now, limit) => watch(store.claimDue(now, limit)),
    markSent: (id, now) => watch(store.markSent(id, now)),
    markRetry: (id, nextAttemptAt, error) => watch(store.markRetry(id, nextAttemptAt, error)),
    markDead: (id, error) => watch(store.markDead(id, error)),
  };
}

function logReportEvent(log: Logger, e: ReportEvent, outage: OutageLog): void {
  if (e.type === 'sent')
    log.info(
      {
        report: e.report,
        period: e.period,
        delivery: e.delivery.delivery,
        ...(e.delivery.delivery === 'files' ? { files: e.delivery.files } : { channel: e.delivery.channel }),
        apis: e.probes,
        attempt: e.attempt,
      },
      'report sent',
    );
  else if (e.type === 'late')
    log.warn({ report: e.report, period: e.period }, 'report sent after its claim ran out');
  else if (e.type === 'failed')
    log.error(
      { report: e.report, period: e.period, err: e.error, code: e.code },
      'report failed; will retry',
    );
  else if (outage.down) log.debug({ err: e.message }, 'report check failed');
  else log.error({ err: e.message }, 'report check failed');
}

function logStatusPageEvent(log: Logger, e: StatusPageEvent): void {
  if (e.outcome === 'failed') {
    log.error(
      { provider: e.provider, url: e.url, err: e.error },
      `status page of ${e.provider} could not be read (${e.url}): ${e.error}; its last good declarations stand`,
    );
    return;
  }
  if (e.outcome === 'updated' && e.unknownComponents)
    log.warn(
      { provider: e.provider, url: e.url, components: e.unknownComponents },
      `status page of ${e.provider} lists no component named ${e.unknownComponents.map((c) => `"${c}"`).join(', ')} (providers.${e.provider}.statusPage.components)`,
    );
  if (e.outcome === 'updated' && e.started + e.ended > 0)
    log.info(
      { provider: e.provider, started: e.started, ended: e.ended, declarations: e.declarations },
      'provider declarations changed',
    );
  else log.debug({ provider: e.provider, outcome: e.outcome }, 'status page polled');
}

function logHeartbeatEvent(log: Logger, e: HeartbeatEvent): void {
  if (e.type === 'sent') log.debug({ status: e.status }, 'heartbeat sent');
  else if (e.type === 'failed') log.warn({ status: e.status, err: e.error }, 'heartbeat failed');
  else if (e.type === 'withheld')
    log.warn(
      { leader: e.lastTick?.leader ?? false, fresh: e.lastTick?.fresh ?? false },
      'heartbeat withheld: no fresh results from every region',
    );
  else log.info('heartbeat resumed');
}

function logRelayEvent(log: Logger, e: RelayEvent): void {
  if (e.type === 'sent')
    log.info(
      { outbox_id: e.id, channel: e.channel, incident_id: e.incidentId, attempt: e.attempt },
      'notification sent',
    );
  else if (e.type === 'retry')
    log.warn(
      {
        outbox_id: e.id,
        channel: e.channel,
        attempt: e.attempt,
        next_attempt_at: e.nextAttemptAt,
        err: e.error,
      },
      'notification failed; will retry',
    );
  else if (e.type === 'dead')
    log.error(
      { outbox_id: e.id, channel: e.channel, attempt: e.attempt, err: e.error },
      'notification given up',
    );
  else if (e.type === 'notification')
    log.info(
      {
        channel: e.entry.channel,
        incident_id: e.entry.incidentId,
        event: e.entry.event,
        severity: e.entry.severity,
        text: e.entry.text,
      },
      'alert',
    );
  else log.debug({ op: e.op, outbox_id: e.id, err: e.error }, 'outbox store failed');
}
