import { existsSync, mkdirSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { apiSchema } from '@vigil/config';
import { rollupHour, type HourlyRollup } from '@vigil/core';
import { writeCumulative } from '@vigil/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiRole, type ApiRole } from '../role.js';
import { apiHarness, config, spec, type ApiHarness } from '../testing/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = new URL('../../../../test-output/screenshots/', import.meta.url);
const HOSTILE = '<script>alert(1)</script>';
const ATTR = '"onerror=alert(2) x="';
const IMG = '<img src=x onerror=alert(3)>';
const DAY = 86_400_000;

function outageConfig() {
  return config(
    [
      spec({ id: 'stripe-balance', name: HOSTILE, provider: 'stripe', service: 'payments' }),
      spec({ id: 'adyen-pay', name: IMG, provider: 'adyen', service: 'payments' }),
      spec({ id: 'mailgun-send', name: ATTR, provider: 'mailgun', service: 'email' }),
      spec({ id: 'sendgrid-send', provider: 'sendgrid', service: 'email' }),
      spec({ id: 'search', provider: 'algolia', service: 'search' }),
    ],
    {
      services: {
        payments: { name: `Payments ${HOSTILE}`, providers: ['stripe', 'adyen'], mode: 'any' },
        email: { name: `Email ${ATTR}`, providers: ['mailgun', 'sendgrid'], mode: 'all' },
        search: { name: `Search ${IMG}`, providers: ['algolia'], mode: 'any', target: 0.999 },
      },
      maintenance: [
        {
          id: 'db-upgrade',
          reason: `Database upgrade ${IMG}`,
          match: { providers: ['adyen'] },
          start: '2025-03-05T22:00:00Z',
          duration: 3_600_000,
        },
      ],
      api: apiSchema().parse({ statusPage: { title: `Acme ${HOSTILE} status`, providers: true } }),
    } as never,
  );
}

/** 89 days before today, with a few bad days, as running totals (what the evaluator leaves behind). */
async function seedHistory(h: ApiHarness) {
  const today = Date.parse('2025-03-03T00:00:00Z');
  const rows: HourlyRollup[] = [];
  const subjects = ['payments', 'email', 'search'].flatMap((s) => [`service:${s}`]);
  for (const p of ['stripe', 'adyen', 'mailgun', 'sendgrid', 'algolia']) subjects.push(`provider:${p}`);
  subjects.forEach((subject, i) => {
    let up = 0;
    let down = 0;
    for (let d = 89; d >= 1; d--) {
      const at = today - d * DAY;
      const dayDown = (d * 5 + i * 3) % 17 === 0 ? (20 + ((d * 13) % 90)) * 60_000 : 0;
      up += DAY - dayDown;
      down += dayDown;
      rows.push({
        ...rollupHour(subject, at, [{ at, durationMs: 60_000, verdict: 'up', latencyMs: 100 }]),
        upMs: up,
        downMs: down,
      });
    }
  });
  await writeCumulative(h.db.db, rows);
}

describe.skipIf(!existsSync(CHROMIUM))('the status page in Chromium', () => {
  let h: ApiHarness;
  let api: ApiRole;
  let browser: Browser;
  const dialogs: string[] = [];
  const cspReports: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await apiHarness({ config: outageConfig() });
    await seedHistory(h);
    // stripe and mailgun fail from minute 2: payments fails over (up), email needs both (down)
    await h.run(0, 10, (id, _r, m) =>
      (id === 'stripe-balance' || id === 'mailgun-send') && m >= 2 ? 'down' : 'up',
    );
    api = await startApiRole({ ...h.deps, port: 0 });
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
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await h?.close();
  });

  async function open(path: string, o: { width: number; dark?: boolean; js?: boolean }): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: o.width, height: o.width < 500 ? 812 : 900 },
      colorScheme: o.dark ? 'dark' : 'light',
      javaScriptEnabled: o.js ?? true,
    });
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspReports.push(m.text());
    });
    // nothing but this server: any other request would be a leak
    await page.route('**/*', (route) =>
      route.request().url().startsWith(api.url) ? route.continue() : route.abort(),
    );
    const res = await page.goto(`${api.url}${path}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    return page;
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    // evaluate() runs through the debugger protocol, which the page's CSP does not govern; the page-side
    // code is given as strings (this project compiles without the DOM lib)
    await page.evaluate(axe.source);
    const result = await page.evaluate<axe.AxeResults>(
      `window.axe.run(document, { resultTypes: ['violations'] })`,
    );
    // axe did look: most of its rules applied to this page
    expect(result.passes.length + result.violations.length).toBeGreaterThan(15);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('shows the outage per failover mode and the incident, with no serious accessibility violation', async () => {
    const page = await open('/', { width: 1280 });
    const text = await page.innerText('main');
    expect(text).toContain('Some services are down');
    expect(text).toContain(`Email ${ATTR}`);
    expect(text).toContain(`Payments ${HOSTILE}`);
    const state = (name: string) =>
      page.locator('section.svc', { hasText: name }).locator('.shead .state').innerText();
    expect(await state('Payments')).toBe('Operational');
    expect(await state('Email')).toBe('Down');
    expect(await page.locator('#open-incidents + ul li', { hasText: 'Email' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: new URL('status-desktop.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
  }, 90_000);

  it('fits a 375 px phone without horizontal scroll, in light and dark, and a tapped bar shows its day', async () => {
    for (const dark of [false, true]) {
      const page = await open('/', { width: 375, dark });
      const widths = await page.evaluate<{ scroll: number; client: number }>(
        `({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })`,
      );
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      expect(await seriousViolations(page)).toEqual([]);
      // the phone shows the last 30 days
      const email = page.locator('section.svc', { hasText: 'Email' });
      expect(await email.locator('.strip li:visible').count()).toBe(30);
      await page.screenshot({
        path: new URL(`status-phone${dark ? '-dark' : ''}.png`, SHOTS).pathname,
        fullPage: true,
      });
      const today = email.locator('.strip li').last();
      await today.tap({ force: true }).catch(() => today.focus());
      await today.focus();
      const tip = today.locator('span');
      expect(await tip.isVisible()).toBe(true);
      const box = (await tip.boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      expect(await tip.innerText()).toMatch(
        /^3 Mar 2025: \d+\.\d\d% available · downtime \d+ min · 1 incident$/,
      );
      const after = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(after).toBeLessThanOrEqual(widths.client);
      await email.screenshot({ path: new URL(`status-phone-bar${dark ? '-dark' : ''}.png`, SHOTS).pathname });
      await page.context().close();
    }
  }, 90_000);

  it('renders one service in detail and works with JavaScript off', async () => {
    const page = await open('/services/email', { width: 1280, js: false });
    expect(await page.locator('h1').innerText()).toBe(`Email ${ATTR}`);
    expect(await page.locator('.shead .state').innerText()).toBe('Down');
    expect(await page.locator('.strip li').count()).toBe(90);
    await page.screenshot({ path: new URL('service-desktop.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
    const withJs = await open('/services/payments', { width: 375 });
    expect(await seriousViolations(withJs)).toEqual([]);
    await withJs.context().close();
  }, 90_000);

  it('runs no script from hostile names: no dialog, no script element, no event handler attribute, nothing blocked', async () => {
    for (const path of ['/', '/services/payments', '/services/email', '/services/search']) {
      const page = await open(path, { width: 1280 });
      const found = await page.evaluate(`({
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img').length,
        handlers: [...document.querySelectorAll('*')].flatMap((e) =>
          [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + '[' + a.name + ']'),
        ),
      })`);
      expect(found).toEqual({ scripts: 0, images: 0, handlers: [] });
      await page.context().close();
    }
    // the badge too, opened as a document of its own and parsed as XML
    const page = await open('/badges/service/payments/state.svg', { width: 400 });
    const parsed = await page.evaluate(`(async () => {
      const text = await (await fetch(location.href)).text();
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        title: doc.querySelector('title')?.textContent,
      };
    })()`);
    expect(parsed).toEqual({ error: null, title: `Payments ${HOSTILE}: up` });
    await page.context().close();
    expect(dialogs).toEqual([]);
    expect(cspReports).toEqual([]);
  }, 90_000);
});
