import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUR_MS, parsePeriodKey, previousPeriod, type HourlyRollup } from '@vigil/core';
import { buildReport } from './build.js';
import { periodLabel } from './calendar.js';
import { duration, pct } from './format.js';
import { renderPdf, renderPdfBuffer } from './pdf.js';
import { pdfText } from './pdf-draw.js';
import { hours } from './testing/hours.js';
import type { ReportIncident, ReportModel, ReportProbe, ReportServiceDef } from './types.js';

const has = (cmd: string) => {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const POPPLER = has('pdftoppm') && has('pdftotext') && has('pdfinfo');
/** said in the test names when they are skipped: only a missing poppler-utils skips them */
const NEEDS = POPPLER
  ? ''
  : ' [skipped: pdftoppm / pdftotext / pdfinfo (Debian poppler-utils) not installed]';
const SHOTS = new URL('../../../test-output/screenshots/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vigil-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const H = HOUR_MS;
const TZ = 'Europe/Berlin';
const ODD = 'Łódź Ident 東京 😀';
const SLA_TIERS = [
  { below: 0.999, credit: 0.1 },
  { below: 0.99, credit: 0.25 },
];

/**
 * A month of a small real-looking fleet: 3 services (a failover one with 3 providers), 7 providers,
 * 14 APIs; Stripe down 5 h and PayPal 1 h inside it (the failover service stays up), a slow API, a
 * provider whose name Latin-1 cannot write (down 20 h: Login misses its target), one API created near the end.
 */
function monthly(): ReportModel {
  const period = parsePeriodKey('2026-11', TZ);
  const previous = previousPeriod(period);
  const probe = (id: string, service: string, provider: string, o: Partial<ReportProbe> = {}) => ({
    id,
    name: id,
    service,
    provider,
    critical: false,
    target: 0.98,
    labels: {},
    createdAt: 0,
    ...o,
  });
  const probes: ReportProbe[] = [
    probe('stripe-charges', 'payments', 'stripe', { name: 'Stripe charges', critical: true }),
    probe('stripe-refunds', 'payments', 'stripe', { name: 'Stripe refunds', critical: true }),
    probe('paypal-orders', 'payments', 'paypal', { name: 'PayPal orders', critical: true }),
    probe('paypal-capture', 'payments', 'paypal', { name: 'PayPal capture', critical: true }),
    probe('adyen-pay', 'payments', 'adyen', { name: 'Adyen payments', critical: true }),
    probe('google-login', 'auth', 'google', { name: 'Google login', critical: true }),
    probe('google-token', 'auth', 'google', { name: 'Google token refresh', critical: true }),
    probe('odd-login', 'auth', ODD, { name: `${ODD} login`, critical: true }),
    probe('algolia-search', 'search', 'algolia', { name: 'Algolia search' }),
    probe('algolia-index', 'search', 'algolia', { name: 'Algolia indexing' }),
    probe('elastic-query', 'search', 'elastic', { name: 'Elastic query' }),
    probe('elastic-suggest', 'search', 'elastic', { name: 'Elastic suggest' }),
    probe('mapbox-tiles', 'maps', 'mapbox', { name: 'Mapbox tiles' }),
    probe('mapbox-geocode', 'maps', 'mapbox', {
      name: 'Mapbox geocoding',
      createdAt: period.to - 40 * H,
    }),
  ];
  const services: ReportServiceDef[] = [
    {
      name: 'payments',
      displayName: 'Payments',
      providers: ['stripe', 'paypal', 'adyen'],
      mode: 'any',
      target: 0.99,
    },
    { name: 'auth', displayName: 'Login', providers: ['google', ODD], mode: 'all', target: 0.98 },
    { name: 'search', displayName: 'Search', providers: ['algolia', 'elastic'], mode: 'any', target: 0.98 },
    { name: 'maps', displayName: 'Maps', providers: ['mapbox'], mode: 'all', target: 0.98 },
  ];
  const outage = period.from + 11 * 24 * H + 9 * H;
  const rollups = new Map<string, HourlyRollup[]>();
  for (const [k, p] of probes.entries())
    rollups.set(
      p.id,
      hours(p.id, Math.max(previous.from, Math.floor(p.createdAt / H) * H), period.to, (t, i) => {
        if (p.provider === 'stripe' && t >= outage && t < outage + 5 * H) return { downMs: H };
        if (p.provider === 'paypal' && t >= outage + 4 * H && t < outage + 5 * H)
          return { downMs: H, errorClass: { http_status: 60 } };
        if (p.id === 'odd-login' && t >= outage + 48 * H && t < outage + 68 * H) return { downMs: H };
        if (p.id === 'elastic-suggest' && i % 97 === 5) return { downMs: 20 * 60_000 };
        if (p.id === 'google-token') return { latencyMs: 380 + (i % 24) * 9 };
        return { latencyMs: 90 + ((i * 7 + k * 13) % 40) + (t < period.from ? 15 : 0) };
      }),
    );
  const incident = (
    id: string,
    scope: ReportIncident['scope'],
    key: string,
    from: number,
    to: number,
    title: string,
  ) => ({
    id,
    scope,
    key,
    kind: 'down',
    openedAt: from,
    resolvedAt: to,
    title,
  });
  return buildReport({
    kind: 'monthly',
    name: 'monthly',
    period,
    previous,
    tz: TZ,
    generatedAt: period.to + 8 * H,
    probes,
    services,
    rollups,
    // stripe down 5 h of November's 720: 99.305%, under 99.9% (10%) but not 99% (25%)
    providers: {
      stripe: { sla: { target: 0.999, window: 'month', credits: SLA_TIERS } },
      mapbox: { sla: { target: 0.999, window: 'quarter', credits: SLA_TIERS } },
    },
    // stripe's status page declared hours 2 to 4 of its 5 h outage; its requests against 1,000 an hour
    statusPageProviders: ['stripe'],
    declarations: [
      {
        provider: 'stripe',
        kind: 'incident',
        title: 'Elevated API error rates',
        impact: 'major',
        since: outage + H,
        endedAt: outage + 4 * H,
      },
    ],
    rateLimits: [
      {
        provider: 'stripe',
        budget: { requests: 1000, perMs: H },
        runs: 86_400,
        requests: 86_400,
        peak: { requests: 120, from: outage },
        peakShare: 0.12,
        http429: 36,
        share429: 36 / 86_400,
        notSent: { deferred: 4, budget: 0 },
      },
    ],
    incidents: [
      {
        ...incident('i-1', 'provider', 'stripe', outage, outage + 5 * H, 'stripe is down: timeout'),
        declaredAfterMs: H,
      },
      incident('i-2', 'provider', 'paypal', outage + 4 * H, outage + 5 * H, 'paypal: HTTP 503'),
      incident(
        'i-3',
        'probe',
        'elastic-suggest',
        outage + 30 * H,
        outage + 30 * H + 20 * 60_000,
        `${ODD} ✓ suggest`,
      ),
    ],
  });
}

/** Pixels of an 8-bit RGB (or grey) PNG such as pdftoppm writes. */
function decodePng(buf: Buffer): { width: number; height: number; channels: number; data: Buffer } {
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const channels = { 0: 1, 2: 3, 6: 4 }[buf[25]!]!;
  const idat: Buffer[] = [];
  for (let o = 8; o < buf.length;) {
    const len = buf.readUInt32BE(o);
    if (buf.toString('latin1', o + 4, o + 8) === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? data[y * stride + x - channels]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f]!;
      data[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, data };
}

describe('the PDF report', () => {
  const m = monthly();

  it('is the same bytes for the same model, dated by generatedAt', async () => {
    const a = await renderPdfBuffer(m);
    const b = await renderPdfBuffer(m);
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps names Latin-1 cannot write readable instead of breaking the standard fonts', () => {
    expect(pdfText('Łódź Ident 東京 😀')).toBe('Lódz Ident ?? ?');
    expect(pdfText('Zürich — Café “ok” ▲ +1 −2')).toBe('Zürich — Café “ok” + +1 -2');
    expect(pdfText('a\nb\u0000c')).toBe('a b c');
  });

  it.skipIf(!POPPLER)(
    `has the figures, every service, and page N of M with period and zone on every page${NEEDS}`,
    async () => {
      const file = join(dir, 'monthly.pdf');
      await writeFile(file, await renderPdf(m));
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
      expect(pages).toBeGreaterThanOrEqual(6);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      const perPage = text.split('\f').filter((p) => p.trim() !== '');
      expect(perPage).toHaveLength(pages);
      perPage.forEach((p, i) => {
        expect(p).toContain(`page ${i + 1} of ${pages}`);
        expect(p).toContain(periodLabel(m.period));
        expect(p).toContain(`times in ${TZ}`);
        expect(p).toContain(`${m.period.key} (${TZ})`);
      });
      const h = m.headline;
      expect(perPage[0]).toContain(`${h.met} of ${h.apis}`);
      expect(perPage[0]).toContain(pct(h.availability));
      expect(perPage[0]).toContain(duration(h.downtimeMs));
      for (const s of m.services) {
        expect(perPage[0]).toContain(s.name);
        for (const p of s.providers) expect(text).toContain(pdfText(p.name));
      }
      for (const name of ['Stripe charges', 'PayPal capture', 'Mapbox geocoding', 'Lódz Ident ?? ? login'])
        expect(text).toContain(name);
      const stripe = m.services[0]!.providers[0]!;
      expect(stripe.name).toBe('stripe');
      expect(text).toContain(pct(stripe.current.availability));
      expect(text).toContain('5 h 00 min');
      expect(m.services[1]!.current.status).toBe('missed');
      expect(text).toContain('missed');
      expect(text).toContain('All incidents (3)');
      // the contract SLA on the cover and with its provider; the quarter's window runs on
      expect(perPage[0]).toContain('Contract SLAs');
      expect(text).toMatch(/November 2026 +99\.305% +SLA breached — credit claimable: 10%/);
      expect(text).toContain(
        'Contract SLA 99.9% per month · November 2026: 99.305% — SLA breached — credit claimable: 10%',
      );
      expect(text).toMatch(/Q4 2026 \(to 1 Dec 00:00\) +100% +on track so far/);
      // redundancy: stripe and paypal both down for the outage's fifth hour, adyen carried payments
      expect(text).toContain('Payments ran on adyen alone for 1h while stripe and paypal were down');
      expect(text).toContain('Redundancy: Payments ran on adyen alone for 1h');
      // declared vs undeclared downtime and the requests, with their provider
      expect(text).toContain(
        'Status page: down 5 h 00 min by our measure: 3 h 00 min declared, 2 h 00 min undeclared\n',
      );
      expect(text).toContain(
        '1 of 1 incidents declared, median 1 h 00 min after our detection (longest 1 h 00 min after our detection)',
      );
      expect(text).toContain(
        'Requests: 86,400 requests; busiest hour 120 of 1,000 (12% of the budget); HTTP 429: 36 (0.042% of runs)',
      );
      expect(text).toContain('Slowest APIs');
      expect(text).not.toContain('東京');
    },
  );

  it.skipIf(!POPPLER)(`turns into PNG pages that are not blank${NEEDS}`, async () => {
    const file = join(dir, 'pages.pdf');
    await writeFile(file, await renderPdf(m));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
    execFileSync('pdftoppm', ['-png', '-r', '50', file, join(dir, 'page')]);
    const pngs = readdirSync(dir)
      .filter((f) => f.startsWith('page-') && f.endsWith('.png'))
      .sort();
    expect(pngs).toHaveLength(pages);
    for (const f of pngs) {
      const png = decodePng(readFileSync(join(dir, f)));
      expect(png.width).toBeGreaterThan(400);
      let ink = 0;
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += png.channels) {
        const rgb = (png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!;
        colours.add(rgb);
        if (png.data[i]! < 200 || png.data[i + 1]! < 200 || png.data[i + 2]! < 200) ink++;
      }
      // header, footer and content: a page with only its furniture has well under 1% ink
      expect(ink / (png.width * png.height), f).toBeGreaterThan(0.01);
      expect(colours.size, f).toBeGreaterThan(8);
    }
    mkdirSync(SHOTS, { recursive: true });
    for (const [i, f] of [pngs[0], pngs[1], pngs[pngs.length - 1]].entries())
      if (f) copyFileSync(join(dir, f), join(SHOTS, `report-pdf-${['cover', 'service', 'last'][i]}.png`));
    expect(existsSync(join(SHOTS, 'report-pdf-cover.png'))).toBe(true);
  });
});
