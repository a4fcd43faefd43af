import cron from 'node-cron';
import type { VigilConfig } from '@vigil/config';
import type { Clock, Env } from '@vigil/core';
import {
  claimReportRun,
  failReportRun,
  firstProbeCreatedAt,
  getReportRuns,
  markReportSent,
  type Db,
} from '@vigil/db';
import { generateReport } from '@vigil/evaluation';
import { deliverReport, renderReport, type Delivery } from './deliver.js';
import { cronOf, dueReports, runKey, scheduledReports } from './due.js';

export type ReportEvent =
  | { type: 'sent'; report: string; period: string; delivery: Delivery; probes: number; attempt: number }
  | { type: 'failed'; report: string; period: string; error: string; code: string | null }
  /** sent, but the claim had run out meanwhile (the lease is too short for this report) */
  | { type: 'late'; report: string; period: string }
  /** a check itself failed (the database), not one report */
  | { type: 'error'; message: string };

/** What schedules the checks; node-cron by default, a stand-in in tests. */
export interface CronLike {
  schedule(pattern: string, tz: string, fn: () => Promise<unknown>): { stop(): void };
}

export interface ReportSchedulerOptions {
  db: Db;
  config: () => VigilConfig | null;
  clock: Clock;
  /** where the email channel's `${env:…}` references are resolved, at send time only */
  env: Env;
  /** this process, in the claim rows */
  holder: string;
  /** where reports go when no email channel is configured; @defaultValue `.vigil/reports` */
  dir?: string;
  /** how long a claim holds while the report is built and sent; @defaultValue 600 000 */
  leaseMs?: number;
  /** a check besides the cron's (a missed fire, a failed send); 0 never; @defaultValue 300 000 */
  checkEveryMs?: number;
  /** check once right after start (reports missed while down); @defaultValue true */
  checkOnStart?: boolean;
  sendTimeoutMs?: number;
  cron?: CronLike;
  onEvent?: (e: ReportEvent) => void;
}

export interface ReportScheduler {
  /** sends every due report not sent yet (checks in one process never overlap) */
  check(): Promise<ReportEvent[]>;
  close(): Promise<void>;
}

export const nodeCron: CronLike = {
  schedule(pattern, tz, fn) {
    const task = cron.schedule(pattern, fn, {
      timezone: tz,
      noOverlap: true,
      unref: true,
      suppressMissedWarning: true,
      logger: {
        info: () => undefined,
        debug: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    });
    return { stop: () => void task.destroy() };
  },
};

/**
 * Scheduled reports: node-cron fires a check at each report's send time in its zone, and a check runs
 * at start and every `checkEveryMs`. A check sends each report's latest due period (see dueReports)
 * after claiming (report, period) in report_runs, so any number of evaluators send it once.
 */
export function startReportScheduler(o: ReportSchedulerOptions): ReportScheduler {
  const emit = (e: ReportEvent) => o.onEvent?.(e);
  const scheduler = o.cron ?? nodeCron;
  let tasks: { stop(): void }[] = [];
  let cronKey = '';
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  const sync = (config: VigilConfig) => {
    const list = scheduledReports(config);
    const key = JSON.stringify(list.map((r) => [r.name, r.tz, cronOf(r)]));
    if (key === cronKey || closed) return;
    for (const t of tasks) t.stop();
    cronKey = key;
    tasks = list.map((r) => scheduler.schedule(cronOf(r), r.tz, guarded));
  };

  const sendDue = async (): Promise<ReportEvent[]> => {
    const config = o.config();
    if (!config || closed) return [];
    sync(config);
    const now = o.clock.now();
    const candidates = dueReports(config, new Set(), now);
    if (candidates.length === 0) return [];
    const runs = await getReportRuns(
      o.db,
      candidates.map((c) => ({ report: c.name, periodKey: c.period.key })),
    );
    const sent = new Set(runs.filter((r) => r.status === 'sent').map((r) => runKey(r.report, r.periodKey)));
    const since = (await firstProbeCreatedAt(o.db))?.getTime() ?? Number.POSITIVE_INFINITY;
    const out: ReportEvent[] = [];
    for (const due of dueReports(config, sent, now, since)) {
      const claim = { report: due.name, periodKey: due.period.key, holder: o.holder };
      const at = () => new Date(o.clock.now());
      if (!(await claimReportRun(o.db, { ...claim, now: at(), leaseMs: o.leaseMs ?? 600_000 }))) continue;
      try {
        const model = await generateReport(o.db, config, {
          kind: due.kind,
          name: due.name,
          period: due.period,
          scope: due.scope,
          generatedAt: o.clock.now(),
        });
        const delivery = await deliverReport(await renderReport(model, due.recipients), {
          config,
          env: o.env,
          dir: o.dir ?? '.vigil/reports',
          timeoutMs: o.sendTimeoutMs,
        });
        const held = await markReportSent(o.db, { ...claim, now: at(), delivery: delivery.delivery });
        const [run] = await getReportRuns(o.db, [claim]);
        out.push(
          held
            ? {
                type: 'sent',
                report: due.name,
                period: due.period.key,
                delivery,
                probes: model.headline.apis,
                attempt: run?.attempts ?? 1,
              }
            : { type: 'late', report: due.name, period: due.period.key },
        );
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        await failReportRun(o.db, { ...claim, now: at(), error });
        const code = (err as { code?: unknown }).code;
        out.push({
          type: 'failed',
          report: due.name,
          period: due.period.key,
          error,
          code: typeof code === 'string' ? code : null,
        });
      }
    }
    return out;
  };

  const check = (): Promise<ReportEvent[]> => {
    const run = chain.then(sendDue).then((events) => {
      for (const e of events) emit(e);
      return events;
    });
    chain = run.catch(() => undefined);
    return run;
  };

  const guarded = (): Promise<ReportEvent[]> =>
    check().catch((err: unknown) => {
      emit({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      return [];
    });
  const background = () => void guarded();
  const timer = (o.checkEveryMs ?? 300_000) > 0 ? setInterval(background, o.checkEveryMs ?? 300_000) : null;
  timer?.unref();
  const first = o.config();
  if (first) sync(first);
  if (o.checkOnStart ?? true) background();

  return {
    check,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      for (const t of tasks) t.stop();
      tasks = [];
      await chain;
    },
  };
}
