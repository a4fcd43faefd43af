import { fleetRoutes } from './fleet.js';
import { FLOW_CHARGE_FAILURE, FLOW_PAYPAL_PATHS } from './flows.js';
import { stripeStatuspage } from './statuspage.js';
import type { Every, RouteScript } from './types.js';

const S = 1000;
const MIN = 60 * S;

const withEvery = (path: string, every: Every): RouteScript => {
  const base = fleetRoutes[path];
  if (!base) throw new Error(`demo scenario: no fleet route ${path}`);
  return { ...base, every };
};

/** Fixed ports of `vigil simulate` and `npm run demo`, matching probes/demo/*.yaml. */
export const SIMULATE_PORTS = { http: 4010, https: 4443 } as const;

/**
 * The fleet with trouble on a timetable, so a live demo shows probes go down and recover within
 * minutes: stripe 503s for 90 s every 6 min, paypal is slow for 2 min every 5 min, google answers
 * 429 for 40 s every 4 min, elasticsearch flaps red for 30 s every 80 s. Stripe's status page declares
 * "Elevated API error rates" (major) 35 s into each Stripe outage, until 90 s after it ends. The
 * PayPal-shaped two-step flow (token, then an API call with it: flowRoutes) has its API call answer 500
 * for 60 s every 7 min, so a multi-step probe fails at step 2.
 */
export function demoScenario(): Record<string, RouteScript> {
  const stripeDown: Every = {
    periodMs: 6 * MIN,
    downMs: 90 * S,
    offsetMs: 1 * MIN,
    behavior: {
      mode: 'status',
      status: 503,
      body: { error: { type: 'api_error', message: 'Service unavailable' } },
    },
  };
  const ES = '/elasticsearch/_cluster/health';
  const esRed = {
    ...(fleetRoutes[ES]?.behavior as object),
    mode: 'ok',
    body: { cluster_name: 'search-prod', status: 'red', timed_out: false, unassigned_shards: 7 },
  } as const;
  return {
    ...fleetRoutes,
    // the fleet's flow routes (flowRoutes) are in it: step 2 of the PayPal-shaped flow fails at times
    [FLOW_PAYPAL_PATHS.api]: withEvery(FLOW_PAYPAL_PATHS.api, {
      periodMs: 7 * MIN,
      downMs: 60 * S,
      offsetMs: 4 * MIN,
      behavior: FLOW_CHARGE_FAILURE,
    }),
    '/stripe/v1/balance': withEvery('/stripe/v1/balance', stripeDown),
    '/stripe/v1/charges': withEvery('/stripe/v1/charges', stripeDown),
    '/paypal/v1/oauth2/token': withEvery('/paypal/v1/oauth2/token', {
      periodMs: 5 * MIN,
      downMs: 2 * MIN,
      offsetMs: 150 * S,
      behavior: {
        ...(fleetRoutes['/paypal/v1/oauth2/token']?.behavior as object),
        mode: 'ok',
        latencyMs: { p50: 1_400, p99: 3_500 },
      },
    }),
    '/google/.well-known/openid-configuration': withEvery('/google/.well-known/openid-configuration', {
      periodMs: 4 * MIN,
      downMs: 40 * S,
      offsetMs: 200 * S,
      behavior: { mode: 'rate_limited', retryAfterS: 20 },
    }),
    [ES]: withEvery(ES, { periodMs: 80 * S, downMs: 30 * S, offsetMs: 30 * S, behavior: esRed }),
    // Stripe's status page declares the outage a little after Vigil detected it
    '/stripe-status/api/v2/summary.json': { behavior: { mode: 'statuspage', page: stripeStatuspage } },
  };
}
