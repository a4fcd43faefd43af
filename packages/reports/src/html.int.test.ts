import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { HOUR_MS, parsePeriodKey, previousPeriod, type HourlyRollup } from '@vigil/core';
import { buildReport } from './build.js';
import { duration, pct } from './format.js';
import { renderHtml } from './html.js';
import { hours } from './testing/hours.js';
import { fleetModel } from './testing/model.js';
import { smallWeekly } from './testing/small.js';
import type { ReportModel } from './types.js';

const OUT = new URL('../../../test-output/screenshots/', import.meta.url);
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

interface Rendered {
  text: string;
  requests: string[];
  /** the page is wider than the window: the reader would scroll sideways */
  overflow: { scrollWidth: number; clientWidth: number };
  /** headline tiles not fully inside the window or not visible */
  hiddenTiles: string[];
}

/** Renders the email `width` px wide with the network cut off; returns what a reader sees. */
async function render(m: ReportModel, file: string, width = 800): Promise<Rendered> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  await page.route('**/*', async (route) => {
    requests.push(route.request().url());
    await route.abort();
  });
  await page.setContent(renderHtml(m).html, { waitUntil: 'load' });
  const text = await page.innerText('body');
  // page-side code as strings: this package is typed without the DOM library
  const overflow = await page.evaluate<{ scrollWidth: number; clientWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
  );
  // the six headline tiles: inside the window, and no label or value cut off
  const hiddenTiles = await page.evaluate<string[]>(`[...document.querySelectorAll('td[width="33%"]')]
    .slice(0, 6)
    .filter((td) => {
      const r = td.getBoundingClientRect();
      const cut = [...td.querySelectorAll('div')].some(
        (d) => d.scrollWidth > d.clientWidth + 1 || d.getBoundingClientRect().right > ${width},
      );
      return r.width === 0 || r.left < 0 || r.right > ${width} || cut;
    })
    .map((td) => td.innerText)`);
  await page.screenshot({ path: new URL(file, OUT).pathname, fullPage: true });
  await page.close();
  return { text, requests, overflow, hiddenTiles };
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
    const { text, requests } = await render(m, 'report-weekly-800.png');
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
    const { text, requests } = await render(m, 'report-quarterly-800.png');
    expect(requests).toEqual([]);
    expect(text).toContain('Q2 2026');
    for (const month of ['APR', 'MAY', 'JUN']) expect(text.toUpperCase()).toContain(month);
    expect(text).toContain('started before this period');
    expect(text).toContain(duration(m.incidents[0]!.durationMs));
  });

  describe.each([600, 375])('%i px wide', (width) => {
    it.each([
      ['weekly', () => buildReport(smallWeekly())],
      ['quarterly', quarterly],
      ['quarterly-1000', () => fleetModel('quarterly', 1000)],
      ['monthly-1000', () => fleetModel('monthly', 1000)],
    ] as const)('%s: the headline figures are visible and nothing scrolls sideways', async (name, make) => {
      const m = make();
      const r = await render(m, `report-${name}-${width}.png`, width);
      expect(r.requests).toEqual([]);
      expect(r.overflow.scrollWidth).toBeLessThanOrEqual(r.overflow.clientWidth);
      expect(r.hiddenTiles).toEqual([]);
      const h = m.headline;
      for (const figure of [
        `${h.met} of ${h.apis}`,
        pct(h.availability),
        duration(h.downtimeMs),
        h.quarterBudgetLeft === null ? 'n/a' : `${(h.quarterBudgetLeft * 100).toFixed(1)}%`,
      ])
        expect(r.text).toContain(figure);
      expect(r.text).toMatch(/Services and providers/);
      if (h.apis >= 100) expect(r.text).toMatch(/and \d+ more on target/);
    });
  });
});
