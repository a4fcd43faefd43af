import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOUR_MS, rollupHour, type HourlyRollup, type ProbeSpec } from '@vigil/core';
import { migrate, openDb, upsertProbes, upsertRollups } from '@vigil/db';
import { startSmtpSink, type SmtpSink } from '@vigil/testing';
import { loadOrExit } from '../context.js';
import { registerReport } from './report.js';

const W47 = Date.parse('2026-11-15T23:00:00Z'); // Monday 16 Nov 00:00 Berlin
let dir: string;
let sink: SmtpSink;

async function vigil(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const program = new Command('vigil').option('-C, --config-dir <dir>', 'config', '.').exitOverride();
  registerReport(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi
    .spyOn(console, 'error')
    .mockImplementation((s: unknown) => void (stderr += `${String(s)}\n`));
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'vigil', '-C', dir, ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stdout, stderr, code };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  dir = await mkdtemp(join(tmpdir(), 'vigil-report-cli-'));
  process.env.VIGIL_STATE_DIR = join(dir, 'state');
  delete process.env.DATABASE_URL;
  await mkdir(join(dir, 'probes'));
  await writeFile(
    join(dir, 'vigil.yaml'),
    `timezone: Europe/Berlin
regions: [local]
channels:
  reports-email:
    type: email
    smtp: { host: 127.0.0.1, port: ${sink.port} }
    from: vigil@example.com
    to: [oncall@example.com]
reports:
  weekly:
    recipients: [managers@example.com]
`,
  );
  await writeFile(
    join(dir, 'probes', 'apis.yaml'),
    `probes:
  - id: stripe-balance
    name: Stripe balance
    provider: stripe
    service: payments
    http: { url: 'https://api.stripe.com/v1/balance' }
  - id: algolia-search
    name: Algolia search
    provider: algolia
    service: search
    http: { url: 'https://algolia.example.com/1/indexes' }
`,
  );
  // the embedded database as `vigil demo` leaves it: probes and a week of rollups, then closed
  const config = await loadOrExit(dir);
  const h = await openDb({ dataDir: join(dir, 'state', 'pgdata') });
  await migrate(h);
  await upsertProbes(
    h.db,
    config.probes.map((spec: ProbeSpec) => ({ spec, hash: spec.id })),
    new Date(W47 - 86_400_000),
  );
  const rows: HourlyRollup[] = [];
  for (let at = W47; at < W47 + 7 * 24 * HOUR_MS; at += HOUR_MS)
    for (const p of config.probes) {
      const down = p.id === 'algolia-search' && at < W47 + 5 * HOUR_MS;
      rows.push(
        rollupHour(p.id, at, [
          down
            ? { at, durationMs: HOUR_MS, verdict: 'down', errorClass: 'http_status' }
            : { at, durationMs: HOUR_MS, verdict: 'up', latencyMs: 120 },
        ]),
      );
    }
  await upsertRollups(h.db, rows);
  await h.close();
});
afterAll(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sink.messages.length = 0;
});

describe('vigil report', () => {
  it('writes the weekly HTML report of a stopped embedded store', async () => {
    const out = join(dir, 'weekly.html');
    const r = await vigil('report', 'weekly', '--period', '2026-W47', '--out', out);
    expect(r.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('2026-W47');
    expect(html).toContain('Stripe balance');
    expect(html).toContain('Algolia search');
  });

  it.each([
    ['csv', /^report,period_kind,period,/],
    ['txt', /^Vigil weekly uptime report — 2026-W47, 16–22 Nov 2026 \(Europe\/Berlin\)/],
    ['eml', /Subject: Vigil weekly uptime 2026-W47: 1\/2 APIs met 98%/],
    ['pdf', /^%PDF-1\.\d[\s\S]*%%EOF\s*$/],
  ])('writes the .%s format', async (ext, expected) => {
    const out = join(dir, `weekly.${ext}`);
    expect((await vigil('report', 'weekly', '--period', '2026-W47', '--out', out)).code).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(expected);
  });

  it('prints the text report when neither --out nor --send is given', async () => {
    const r = await vigil('report', 'weekly', '--period', '2026-W47', '--tz', 'UTC');
    expect(r.stdout).toContain('2026-W47');
    expect(r.stdout).toContain('Algolia search');
  });

  it('sends it to the configured recipients with --send', async () => {
    const r = await vigil('report', 'weekly', '--period', '2026-W47', '--send');
    expect(r.stderr).toContain('sent to managers@example.com through "reports-email"');
    const [mail] = await sink.waitFor(1, 5_000);
    expect(mail!.subject).toBe('Vigil weekly uptime 2026-W47: 1/2 APIs met 98%');
    expect(mail!.attachments[0]!.filename).toBe('weekly-2026-W47.csv');
    expect(mail!.attachments[1]).toMatchObject({
      filename: 'weekly-2026-W47.pdf',
      contentType: 'application/pdf',
    });
    expect(mail!.attachments[1]!.content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.each([
    [['weekly', '--period', '2026-11'], /--period "2026-11" is not a week like 2026-W47/],
    [['weekly', '--period', '2026-W54'], /is not a week/],
    [['weekly', '--out', 'report.docx'], /--out must end in/],
    [['monthly', '--send'], /--send needs reports.monthly.recipients/],
  ])('refuses %j with a usage error', async (args, message) => {
    const r = await vigil('report', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
