import type { AlertEvent } from '../types.js';

const SINCE = Date.parse('2025-03-04T14:02:00Z');

/** A probe-scope incident on Stripe; tests override what they are about. Not part of the public API. */
export function alertEvent(over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: 'ob_1',
    incidentId: 'inc_42',
    event: 'opened',
    severity: 'page',
    kind: 'down',
    scope: 'probe',
    title: 'Stripe balance API',
    service: 'payments',
    provider: 'stripe',
    probeId: 'stripe-balance',
    probeName: 'Stripe balance API',
    failingRegions: ['eu-west', 'us-east'],
    errorClass: 'timeout',
    lastError: 'no response within 5000 ms (GET https://api.stripe.com/v1/balance)',
    since: SINCE,
    at: SINCE + 3 * 60_000,
    durationMs: null,
    availability24h: 0.9712,
    availability30d: 0.99413,
    target: 0.98,
    budgetLeft: 0.41,
    failover: { provider: 'paypal', healthy: true },
    runbook: 'https://runbooks.example.com/payments/stripe',
    incidentUrl: null,
    statusUrl: 'https://status.stripe.com/',
    ...over,
  };
}

export const providerEvent = (over: Partial<AlertEvent> = {}): AlertEvent =>
  alertEvent({
    scope: 'provider',
    title: 'Stripe',
    probeId: null,
    probeName: null,
    failingRegions: ['eu-west', 'us-east', 'ap-south'],
    ...over,
  });

export const serviceEvent = (over: Partial<AlertEvent> = {}): AlertEvent =>
  alertEvent({
    scope: 'service',
    kind: 'slo_burn',
    title: 'Payments',
    provider: null,
    probeId: null,
    probeName: null,
    failingRegions: [],
    errorClass: null,
    lastError: null,
    budgetLeft: -0.35,
    failover: null,
    ...over,
  });

/** The same incident at a later event: resolved after 42 min, a reminder 2 h in, flapping, settled. */
export function at(e: AlertEvent, event: AlertEvent['event']): AlertEvent {
  const after =
    { opened: 3, resolved: 42, reminder: 120, flapping: 15, settled: 45, declaration: 8 }[event] * 60_000;
  return {
    ...e,
    id: `${e.id}_${event}`,
    event,
    at: e.since + after,
    durationMs: event === 'resolved' ? after : null,
  };
}
