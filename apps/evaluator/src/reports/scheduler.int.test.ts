import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VigilConfig } from '@vigil/config';
import { HOUR_MS, rollupHour, type HourlyRollup } from '@vigil/core';
import { getReportRuns, openDb, upsertProbes, upsertRollups, type DbHandle } from '@vigil/db';
import { manualClock, startSmtpSink, type ManualClock, type SmtpSink } from '@vigil/testing';
import { pino } from 'pino';
import { startEvaluatorRole } from '../role.js';
import { config as baseConfig, spec } from '../testing/builders.js';
import { testDb } from '../testing/db.js';
import { startReportScheduler, type CronLike, type ReportEvent, type ReportScheduler } from './scheduler.js';

const W46 = Date.parse('2026-11-08T23:00:00Z'); // Monday 9 Nov 00:00 Berlin
const W48 = Date.parse('2026-11-22T23:00:00Z');
const SEND_AT = '2026-11-23T07:00:00Z'; // Monday 08:00 Berlin

const probes = [
  spec({ id: 'stripe-balance', name: 'Stripe balance', provider: 'stripe', service: 'payments' }),
  spec({ id: 'paypal-orders', name: 'PayPal orders', provider: 'paypal', service: 'payments' }),
];

/** Two weeks of hours; Stripe is down 4 hours on Wednesday of W47. */
function rollups(): HourlyRollup[] {
  const out: HourlyRollup[] = [];
  const outage = W46 + 9 * 24 * HOUR_MS + 10 * HOUR_MS;
  for (let h = W46; h < W48; h += HOUR_MS)
    for (const p of probes) {
      const down = p.id === 'stripe-balance' && h >= outage && h < outage + 4 * HOUR_MS;
      out.push(
        rollupHour(p.id, h, [
          down
            ? { at: h, durationMs: HOUR_MS, verdict: 'down', errorClass: 'timeout' }
            : { at: h, durationMs: HOUR_MS, verdict: 'up', latencyMs: 140 },
        ]),
      );
    }
  return out;
}

function vigilConfig(smtpPort: number | null): VigilConfig {
  return baseConfig(probes, {
    timezone: 'Europe/Berlin',
    services: { payments: { name: 'Payments', providers: ['stripe', 'paypal'], mode: 'any' } },
    reports: { weekly: { recipients: ['managers@example.com', 'cto@example.com'] } },
    channels:
      smtpPort === null
        ? {}
        : {
            'platform-email': {
              type: 'email',
              smtp: { host: '127.0.0.1', port: smtpPort },
              from: 'Vigil <vigil@reports.example.com>',
              to: ['oncall@example.com'],
            },
          },
  });
}

/** A cron stand-in: records what was scheduled and fires it on demand. */
function fakeCron() {
  const scheduled: { pattern: string; tz: string; fn: () => Promise<unknown> }[] = [];
  const cron: CronLike = {
    schedule(pattern, tz, fn) {
      const entry = { pattern, tz, fn };
      scheduled.push(entry);
      return { stop: () => void scheduled.splice(scheduled.indexOf(entry), 1) };
    },
  };
  return { cron, scheduled, fire: () => Promise.all(scheduled.map((s) => s.fn())) };
}

let db: Awaited<ReturnType<typeof testDb>>;
let second: DbHandle;
let sink: SmtpSink;
let clock: ManualClock;
let dir: string;
const started: ReportScheduler[] = [];

const seeded = rollups();

beforeEach(async () => {
  db = await testDb('postgres');
  second = await openDb({ url: db.url!, poolSize: 2 });
  await upsertProbes(
    db.h.db,
    probes.map((s) => ({ spec: s, hash: s.id })),
    new Date('2026-11-01T00:00:00Z'),
  );
  await upsertRollups(db.h.db, seeded);
  sink = await startSmtpSink();
  clock = manualClock(SEND_AT);
  dir = await mkdtemp(join(tmpdir(), 'vigil-reports-'));
});
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
  await sink.close();
  await rm(dir, { recursive: true, force: true });
  await second.close();
  await db.cleanup();
});

function start(h: DbHandle, holder: string, config: () => VigilConfig, over = {}) {
  const s = startReportScheduler({
    db: h.db,
    config,
    clock,
    env: {},
    holder,
    dir,
    checkEveryMs: 0,
    checkOnStart: false,
    ...over,
  });
  started.push(s);
  return s;
}

describe('scheduled reports', () => {
  it('sends one email when two evaluators get the same cron tick', async () => {
    const a = fakeCron();
    const b = fakeCron();
    const config = vigilConfig(sink.port);
    start(db.h, 'evaluator-a', () => config, { cron: a.cron });
    start(second, 'evaluator-b', () => config, { cron: b.cron });
    expect(a.scheduled.map((s) => [s.pattern, s.tz])).toEqual([['0 8 * * 1', 'Europe/Berlin']]);

    const [fromA, fromB] = await Promise.all([a.fire(), b.fire()]);
    const events = [...fromA, ...fromB].flat() as ReportEvent[];
    expect(events.filter((e) => e.type === 'sent')).toHaveLength(1);

    const [mail] = await sink.waitFor(1, 5_000);
    expect(mail!.subject).toBe('Vigil weekly uptime 2026-W47: 1/2 APIs met 98%');
    expect(sink.envelopes[0]!.to).toEqual(['managers@example.com', 'cto@example.com']);
    expect(mail!.html).toContain('Payments');
    expect(mail!.text).toContain('Stripe balance');
    const csv = mail!.attachments[0]!.content.toString('utf8');
    expect(mail!.attachments[0]!.filename).toBe('weekly-2026-W47.csv');
    expect(csv.split('\r\n')[0]).toMatch(/^report,period_kind,period,/);
    expect(csv).toContain('weekly,week,2026-W47,');
    expect(csv).toMatch(/stripe-balance,Stripe balance,true,98,97\.619,/);
    expect(mail!.attachments[1]).toMatchObject({
      filename: 'weekly-2026-W47.pdf',
      contentType: 'application/pdf',
    });
    expect(mail!.attachments[1]!.content.subarray(0, 5).toString()).toBe('%PDF-');

    const [run] = await getReportRuns(db.h.db, [{ report: 'weekly', periodKey: '2026-W47' }]);
    expect(run).toMatchObject({ status: 'sent', delivery: 'smtp', attempts: 1 });
    await Promise.all([a.fire(), b.fire()]);
    expect(sink.messages).toHaveLength(1);
  });

  it('sends the report missed while down on the next start, for the period that was due', async () => {
    clock.set('2026-11-25T15:20:00Z');
    const events: ReportEvent[] = [];
    const sent = new Promise<void>((resolve) =>
      start(db.h, 'evaluator-a', () => vigilConfig(sink.port), {
        checkOnStart: true,
        cron: fakeCron().cron,
        onEvent: (e: ReportEvent) => {
          events.push(e);
          resolve();
        },
      }),
    );
    await sent;
    expect(events).toMatchObject([{ type: 'sent', report: 'weekly', period: '2026-W47' }]);
    const [mail] = await sink.waitFor(1, 5_000);
    expect(mail!.subject).toContain('2026-W47');
  });

  it('writes html, text, csv, pdf and eml files when no email channel is configured', async () => {
    const s = start(db.h, 'evaluator-a', () => vigilConfig(null), { cron: fakeCron().cron });
    const [event] = await s.check();
    expect(event).toMatchObject({ type: 'sent', delivery: { delivery: 'files' } });
    const stem = join(dir, 'weekly-2026-W47');
    expect(await readFile(`${stem}.html`, 'utf8')).toContain('Payments');
    expect(await readFile(`${stem}.txt`, 'utf8')).toContain('Stripe balance');
    expect(await readFile(`${stem}.csv`, 'utf8')).toContain('stripe-balance');
    expect((await readFile(`${stem}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
    const eml = await simpleParser(await readFile(`${stem}.eml`));
    expect(eml.subject).toBe('Vigil weekly uptime 2026-W47: 1/2 APIs met 98%');
    expect(eml.attachments.map((a) => a.filename)).toEqual(['weekly-2026-W47.csv', 'weekly-2026-W47.pdf']);
    expect(sink.messages).toHaveLength(0);
  });

  it('retries a failed send at the next check and sends it once', async () => {
    let config = vigilConfig(1);
    const s = start(db.h, 'evaluator-a', () => config, { cron: fakeCron().cron, sendTimeoutMs: 2_000 });
    const [failed] = await s.check();
    expect(failed).toMatchObject({
      type: 'failed',
      report: 'weekly',
      period: '2026-W47',
      code: 'DELIVERY_FAILED',
    });
    config = vigilConfig(sink.port);
    clock.advance(60_000);
    expect(await s.check()).toMatchObject([{ type: 'sent', attempt: 2 }]);
    expect(await s.check()).toEqual([]);
    expect(sink.messages).toHaveLength(1);
  });

  it('owes no report before its send time, nor for weeks before anything was monitored', async () => {
    clock.set('2026-11-23T06:59:00Z');
    const s = start(db.h, 'evaluator-a', () => vigilConfig(sink.port), { cron: fakeCron().cron });
    expect(await s.check()).toMatchObject([{ type: 'sent', period: '2026-W46' }]);
    clock.set('2026-10-26T08:00:00Z');
    expect(await s.check()).toEqual([]);
  });

  it('runs inside the evaluator role, which stops its cron on close', async () => {
    const c = fakeCron();
    const config = vigilConfig(sink.port);
    const role = await startEvaluatorRole({
      db: db.h.db,
      config: () => config,
      clock,
      log: pino({ level: 'silent' }),
      env: {},
      tickEveryMs: 0,
      relayPollMs: 0,
      maintainEveryMs: 0,
      reports: { cron: c.cron, checkEveryMs: 0, dir },
    });
    try {
      await c.fire();
      await sink.waitFor(1, 5_000);
    } finally {
      await role.close();
    }
    expect(c.scheduled).toEqual([]);
    expect(sink.messages).toHaveLength(1);
  });
});
