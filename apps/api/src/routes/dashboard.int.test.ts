import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { apiSchema } from '@vigil/config';
import { insertResults, listIncidents, listSilences, openAcknowledgements } from '@vigil/db';
import { isSilenced } from '@vigil/evaluation';
import { startApiRole, type ApiRole } from '../role.js';
import { apiHarness, config, MIN, result, spec, type ApiHarness } from '../testing/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = new URL('../../../../test-output/screenshots/', import.meta.url).pathname;
const HOSTILE = '<img src=x onerror=alert(1)>';
const W = 'write-token-2';
const have = existsSync(CHROMIUM);

const probes = [
  spec({ id: 'stripe-balance', name: 'Stripe balance', provider: 'stripe', service: 'payments' }),
  spec({ id: 'stripe-charges', name: 'Stripe charges', provider: 'stripe', service: 'payments' }),
  spec({ id: 'adyen-auth', name: 'Adyen auth', provider: 'adyen', service: 'payments', regions: ['eu'] }),
  spec({
    id: 'twilio-sms',
    name: `Twilio ${HOSTILE}`,
    provider: 'twilio',
    service: 'messaging',
    regions: ['us'],
  }),
  spec({ id: 'sendgrid-mail', name: 'SendGrid mail', provider: 'sendgrid', service: 'messaging' }),
];

let h: ApiHarness;
let role: ApiRole;
let browser: Browser;

beforeAll(async () => {
  if (!have) return;
  mkdirSync(OUT, { recursive: true });
  h = await apiHarness({
    config: {
      ...config(probes),
      api: apiSchema().parse({
        tokens: [{ name: 'oncall', token: '${env:VIGIL_TOKEN_W}', scopes: ['write'] }],
      }),
    },
    env: { VIGIL_TOKEN_W: W },
  });
  // six hours of history before the evaluator starts, for the probe page's chart (stored, not judged)
  const start = h.clock.now();
  const history = probes.flatMap((p) =>
    Array.from({ length: 360 }, (_, i) => start - (360 - i) * MIN).flatMap((at) =>
      p.regions.map((r) => {
        const wave = 80 + 40 * Math.sin(at / 1_800_000) + (r === 'us' ? 30 : 0);
        const res = result(p, r, at, 'up', Math.round(wave + ((at / MIN) % 7) * 3));
        return { ...res, phases: { ...res.phases, dnsMs: 4 + (at % 5), connectMs: 12, tlsMs: 25 } };
      }),
    ),
  );
  await insertResults(h.db.db, history);
  await h.run(0, 6, (id, region, m) =>
    id === 'twilio-sms' && m >= 2 ? 'down' : id === 'stripe-charges' && region === 'us' ? 'down' : 'up',
  );
  // one hostile target message, as a failing API might answer
  await insertResults(h.db.db, [
    { ...result(probes[3]!, 'us', start + 6 * MIN + 1, 'down'), message: `got ${HOSTILE}"onerror=alert(2)` },
  ]);
  role = await startApiRole({ ...h.deps, port: 0, liveIntervalMs: 100 });
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
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await role?.close();
  await h?.close();
});

/** A page that fails the test on any dialog (alert from a hostile name), page error or CSP violation. */
async function open(path: string, width: number): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: width < 600 ? 800 : 900 } });
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${role.url}${path}`);
  return { page, problems };
}

const sep = (path: string) => (path.includes('?') ? '&' : '?');
const url = (path: string) => `${path}${sep(path)}token=${W}`;

it.skipIf(!have)(
  'shows a probe going down without reload, with no script from hostile names',
  async () => {
    const { page, problems } = await open(url('/dashboard'), 1280);
    await page.locator('#live.on').waitFor();
    const state = page.locator('tr[data-probe="adyen-auth"] [data-field="state"]');
    expect(await state.textContent()).toBe('up');
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 1;
    });
    await h.run(6, 11, (id) => (id === 'adyen-auth' ? 'down' : 'up'));
    await page
      .locator('tr[data-probe="adyen-auth"] [data-field="state"]:text("down")')
      .waitFor({ timeout: 60_000 });
    // the same document: no reload happened
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    expect(await page.locator('tr[data-probe="adyen-auth"] [data-field="errorClass"]').textContent()).toBe(
      'http_status',
    );
    await page.locator('#timeline li', { hasText: 'Adyen auth' }).first().waitFor();
    // hostile names and messages are text
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('tr[data-probe="twilio-sms"] a').textContent()).toBe(`Twilio ${HOSTILE}`);
    // filters without reload
    await page.selectOption('select[name="state"]', 'down');
    await page.locator('tr[data-probe="stripe-balance"].hidden').waitFor({ state: 'attached' });
    expect(await page.locator('tr[data-probe="adyen-auth"]').isVisible()).toBe(true);
    expect(page.url()).toContain('state=down');
    await page.selectOption('select[name="state"]', '');
    await page.screenshot({ path: `${OUT}dashboard-desktop.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  },
  600_000,
);

it.skipIf(!have)(
  'creates a silence from the dashboard that silences the probe, and expires it',
  async () => {
    const { page, problems } = await open(url('/dashboard'), 1280);
    await page.selectOption('#silence-form select[name="target"]', 'adyen-auth');
    await page.selectOption('#silence-form select[name="duration"]', '2h');
    await page.fill('#silence-form input[name="reason"]', `maintenance ${HOSTILE}`);
    await page.click('#silence-form button[type="submit"]');
    await page.locator('.flash', { hasText: 'Silence created.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.locator('#silences tr[data-silence]', { hasText: 'adyen-auth' }).waitFor();
    const silences = await listSilences(h.db.db, new Date(h.clock.now()));
    expect(silences).toHaveLength(1);
    expect(silences[0]!.endsAt.getTime() - h.clock.now()).toBe(2 * 3_600_000);
    // it takes effect: the engine's own rule holds back the probe's open incident
    const [incident] = await listIncidents(h.db.db, { open: true, scope: 'probe', key: 'adyen-auth' });
    expect(incident).toBeDefined();
    expect(isSilenced(silences, incident!, h.clock.now())).toBe(true);
    expect(isSilenced(silences, incident!, h.clock.now() + 3 * 3_600_000)).toBe(false);
    // acknowledge the probe's incident from the timeline: the evaluator reads it (reminders stop)
    await page.locator(`#timeline li[data-incident="${incident!.id}"] button:text("Acknowledge")`).click();
    await page.locator('.flash', { hasText: 'Incident acknowledged' }).waitFor();
    await page.locator(`#timeline li[data-incident="${incident!.id}"] .ack`, { hasText: 'oncall' }).waitFor();
    expect((await openAcknowledgements(h.db.db)).get(incident!.id)).toMatchObject({
      acknowledgedBy: 'oncall',
    });
    // the probe page lists it; expire it from there
    await page.goto(`${role.url}${url('/dashboard/probes/adyen-auth')}`);
    await page.click('#silences button:text("Expire")');
    await page.locator('.flash', { hasText: 'Silence expired.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/probes/adyen-auth');
    expect(await listSilences(h.db.db, new Date(h.clock.now()))).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  },
  600_000,
);

it.skipIf(!have)(
  'draws the probe page chart and takes screenshots on desktop and phone',
  async () => {
    for (const [width, name] of [
      [1280, 'desktop'],
      [375, 'phone'],
    ] as const) {
      const probe = await open(url('/dashboard/probes/stripe-balance?range=24h'), width);
      await probe.page.locator('#chart[data-ready] canvas').waitFor({ timeout: 60_000 });
      expect(Number(await probe.page.locator('#chart').getAttribute('data-ready'))).toBeGreaterThan(300);
      await probe.page.screenshot({ path: `${OUT}probe-${name}.png`, fullPage: true });
      expect(probe.problems).toEqual([]);
      await probe.page.close();
      if (width === 375) {
        const dash = await open(url('/dashboard'), width);
        await dash.page.locator('#live.on').waitFor();
        await dash.page.screenshot({ path: `${OUT}dashboard-phone.png`, fullPage: true });
        // the phone layout does not scroll sideways
        expect(
          await dash.page.evaluate(
            () =>
              (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
                .documentElement.scrollWidth,
          ),
        ).toBeLessThanOrEqual(375);
        expect(dash.problems).toEqual([]);
        await dash.page.close();
      }
    }
    const twilio = await open(url('/dashboard/probes/twilio-sms?range=1h'), 1280);
    await twilio.page.locator('#chart[data-ready] canvas').waitFor({ timeout: 60_000 });
    expect(await twilio.page.locator('h1').textContent()).toContain(`Twilio ${HOSTILE}`);
    expect(await twilio.page.locator('img').count()).toBe(0);
    expect(twilio.problems).toEqual([]);
    await twilio.page.close();
  },
  600_000,
);
