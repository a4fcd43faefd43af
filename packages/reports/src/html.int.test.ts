import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { HOUR_MS, parsePeriodKey, previousPeriod, type HourlyRollup } from '@vigil/core';
import { buildReport } from './build.js';
import { duration, pct } from './format.js';
import { renderHtml } from './html.js';
import { hours } from './testing/hours.js';
import { smallWeekly } from './testing/small.js';
import type { ReportModel } from './types.js';

const OUT = new URL('../out/', import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Renders the email with the network cut off; returns the visible text and the requests it tried. */
async function render(m: ReportModel, file: string): Promise<{ text: string; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  const requests: string[] = [];
  await page.route('**/*', async (route) => {
    requests.push(route.request().url());
    await route.abort();
  });
  await page.setContent(renderHtml(m).html, { waitUntil: 'load' });
  const text = await page.innerText('body');
  await page.screenshot({ path: new URL(file, OUT).pathname, fullPage: true });
  await page.close();
  return { text, requests };
}

function quarterly(): ReportModel {
  const period = parsePeriodKey('2026-Q2', 'Europe/Berlin');
  const previous = previousPeriod(period);
  const input = smallWeekly();
  const outageAt = period.from - 3 * HOUR_MS;
  const rollups = new Map<string, HourlyRollup[]>();
  for (const p of input.probes)
    rollups.set(
      p.id,
      hours(p.id, previous.from, period.to, (t, i) => {
        if (p.id === 'stripe-charges' && t >= outageAt && t < outageAt + 7 * HOUR_MS)
          return { downMs: HOUR_MS };
        if (p.id === 'paypal-orders' && i % 500 === 7) return { downMs: 25 * 60_000, latencyMs: 210 };
        if (p.id === 'google-login') return { latencyMs: 260 + (i % 24) * 12 };
        return { latencyMs: 140 + (i % 7) * 9 };
      }),
    );
  return buildReport({
    ...input,
    kind: 'quarterly',
    period,
    previous,
    tz: 'Europe/Berlin',
    generatedAt: period.to + HOUR_MS,
    rollups,
    incidents: [
      {
        id: 'q-1',
        scope: 'provider',
        key: 'stripe',
        kind: 'down',
        openedAt: outageAt,
        resolvedAt: outageAt + 7 * HOUR_MS,
        title: 'Stripe charges: timeout',
      },
    ],
  });
}

describe('the HTML email in headless Chromium', () => {
  it('shows the weekly key figures and loads nothing from the network', async () => {
    const m = buildReport(smallWeekly());
    const { text, requests } = await render(m, 'weekly.png');
    expect(requests).toEqual([]);
    expect(text).toContain('2 of 4');
    expect(text).toContain(pct(m.headline.availability));
    expect(text).toContain(duration(m.headline.downtimeMs));
    const stripe = m.services[0]!.providers[0]!.probes[0]!;
    expect(text).toContain('Stripe charges');
    expect(text).toContain(pct(stripe.current.availability));
    expect(text).toMatch(/insufficient data/i);
    expect(text).toContain('Slowest APIs');
  });

  it('shows the quarterly per-month columns and the incident that started before the quarter', async () => {
    const m = quarterly();
    const { text, requests } = await render(m, 'quarterly.png');
    expect(requests).toEqual([]);
    expect(text).toContain('Q2 2026');
    for (const month of ['APR', 'MAY', 'JUN']) expect(text.toUpperCase()).toContain(month);
    expect(text).toContain('started before this period');
    expect(text).toContain(duration(m.incidents[0]!.durationMs));
  });
});
