import { describe, expect, it } from 'vitest';
import {
  facts,
  formatAvailability,
  formatDuration,
  formatPercent,
  formatTime,
  headline,
  safeUrl,
  textBody,
} from './format.js';
import { alertEvent, at, serviceEvent } from './testing/events.js';

describe('formatting', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [42 * 60_000 + 10_000, '42m'],
    [2 * 3_600_000, '2h'],
    [2 * 3_600_000 + 5 * 60_000, '2h 5m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h'],
    [-5_000, '0s'],
  ])('formats a duration of %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [0.9712, '97.12%'],
    [0.98, '98.00%'],
    [0.97999, '97.99%'],
    [1, '100.00%'],
    [0, '0.00%'],
  ])('never rounds availability %f up: %s', (f, text) => {
    expect(formatAvailability(f)).toBe(text);
  });

  it.each([
    [0.98, '98%'],
    [0.995, '99.5%'],
    [-0.35, '-35%'],
  ])('formats the share %f as %s', (f, text) => {
    expect(formatPercent(f)).toBe(text);
  });

  it.each([
    ['2025-03-04T14:02:00Z', '2025-03-04T23:59:00Z', '14:02 UTC'],
    ['2025-03-04T14:02:00Z', '2025-03-05T00:01:00Z', 'Mar 4 14:02 UTC'],
    ['2024-12-31T23:00:00Z', '2025-01-01T01:00:00Z', 'Dec 31 2024 23:00 UTC'],
  ])('shows %s seen at %s as %s', (t, ref, text) => {
    expect(formatTime(Date.parse(t), Date.parse(ref))).toBe(text);
  });

  it.each([
    ['opened', '[DOWN] Stripe balance API (payments/stripe) — since 14:02 UTC'],
    ['resolved', '[RESOLVED] Stripe balance API (payments/stripe) — after 42m'],
    ['reminder', '[STILL DOWN] Stripe balance API (payments/stripe) — for 2h, since 14:02 UTC'],
    ['flapping', '[FLAPPING] Stripe balance API (payments/stripe) — alerts held while it flaps'],
    ['settled', '[SETTLED] Stripe balance API (payments/stripe) — stable again, since 14:02 UTC'],
  ] as const)('headlines a %s event', (event, text) => {
    expect(headline(at(alertEvent(), event))).toBe(text);
  });

  it.each([
    [
      'opened',
      '[DOWN] Stripe balance API (payments/stripe) — credentials rejected, check the credentials, since 14:02 UTC',
    ],
    [
      'reminder',
      '[STILL DOWN] Stripe balance API (payments/stripe) — credentials rejected, check the credentials, for 2h, since 14:02 UTC',
    ],
    ['resolved', '[RESOLVED] Stripe balance API (payments/stripe) — after 42m'],
  ] as const)('says to check the credentials on a %s event of class auth', (event, text) => {
    expect(headline(at(alertEvent({ errorClass: 'auth' }), event))).toBe(text);
  });

  it('keeps a headline on one line whatever the title holds', () => {
    expect(headline(alertEvent({ title: 'Evil\r\nBcc: x@evil\u2028y' }))).toBe(
      '[DOWN] Evil Bcc: x@evil y (payments/stripe) — since 14:02 UTC',
    );
  });

  it('marks figures below target and an exhausted budget', () => {
    const f = Object.fromEntries(facts(serviceEvent()).map((x) => [x.label, x.value]));
    expect(f['Availability']).toBe('24 h 97.12% ▼ · 30 d 99.41% · target 98%');
    expect(f['Error budget left']).toBe('exhausted (-35%)');
    expect(f['Failover']).toBeUndefined();
  });

  it('says n/a with the data seen instead of figures a fresh install cannot have', () => {
    const fresh = alertEvent({
      availability24h: null,
      availability30d: null,
      budgetLeft: null,
      dataMs24h: 2 * 60_000,
      dataMs30d: 2 * 60_000,
    });
    const f = Object.fromEntries(facts(fresh).map((x) => [x.label, x.value]));
    expect(f['Availability']).toBe('24 h n/a — 2m of data · 30 d n/a — 2m of data · target 98%');
    expect(f['Error budget left']).toBe('n/a — 2m of data');
    const day = alertEvent({
      availability30d: null,
      budgetLeft: null,
      dataMs24h: 86_400_000,
      dataMs30d: 86_400_000,
    });
    const g = Object.fromEntries(facts(day).map((x) => [x.label, x.value]));
    expect(g['Availability']).toBe('24 h 97.12% ▼ · 30 d n/a — 1d of data · target 98%');
    expect(g['Error budget left']).toBe('n/a — 1d of data');
    // an older payload without the data fields shows neither
    expect(facts(alertEvent({ budgetLeft: null })).map((x) => x.label)).not.toContain('Error budget left');
  });

  it('dates an incident from its first bad slot and shows the detection delay on the opening alert', () => {
    const e = alertEvent({ detectedAt: Date.parse('2025-03-04T14:02:10Z') });
    const since = (x: typeof e) => facts(x).find((f) => f.label === 'Since')!.value;
    expect(since(e)).toBe('14:02 UTC (detected after 10s)');
    expect(headline(e)).toBe('[DOWN] Stripe balance API (payments/stripe) — since 14:02 UTC');
    expect(since(at(e, 'resolved'))).toBe('14:02 UTC');
    expect(facts(at(e, 'resolved')).find((f) => f.label === 'Duration')!.value).toBe('42m');
    expect(since(alertEvent({ detectedAt: null }))).toBe('14:02 UTC');
  });

  it.each([
    ['https://runbooks.example.com/x', 'https://runbooks.example.com/x'],
    ['javascript:alert(1)', null],
    ['not a url', null],
    [null, null],
  ])('keeps only http(s) links: %s', (url, safe) => {
    expect(safeUrl(url)).toBe(safe);
  });

  it('writes a plain-text body with every fact, the last error and the links', () => {
    expect(textBody(alertEvent())).toMatchInlineSnapshot(`
      "[DOWN] Stripe balance API (payments/stripe) — since 14:02 UTC

      Severity: page
      Service: payments
      Provider: stripe
      Probe: Stripe balance API (stripe-balance)
      Failing regions: eu-west, us-east
      Since: 14:02 UTC
      Error class: timeout
      Availability: 24 h 97.12% ▼ · 30 d 99.41% · target 98%
      Error budget left: 41%
      Failover: paypal healthy

      Last error: no response within 5000 ms (GET https://api.stripe.com/v1/balance)

      Runbook: https://runbooks.example.com/payments/stripe
      Status: https://status.stripe.com/

      Incident inc_42 · event opened at 2025-03-04T14:05:00.000Z
      "
    `);
  });
});
