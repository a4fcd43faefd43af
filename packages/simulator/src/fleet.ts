import { flowRoutes } from './flows.js';
import { stripeStatuspage } from './statuspage.js';
import type { Behavior, BehaviorMode, RouteScript } from './types.js';

const json = (body: unknown, p50: number, p99: number, extra: Partial<Behavior> = {}): RouteScript => ({
  behavior: { mode: 'ok', body, latencyMs: { p50, p99 }, ...extra } as Behavior,
});

const GOOGLE = 'https://accounts.google.com';

/** Realistic-looking third-party APIs, all healthy; `demoScenario()` scripts their trouble. */
export const providerRoutes: Record<string, RouteScript> = {
  '/stripe/v1/balance': json(
    {
      object: 'balance',
      available: [{ amount: 125_000, currency: 'usd', source_types: { card: 125_000 } }],
      pending: [{ amount: 4_200, currency: 'usd', source_types: { card: 4_200 } }],
      livemode: false,
    },
    120,
    400,
  ),
  '/stripe/v1/charges': json(
    {
      object: 'list',
      url: '/v1/charges',
      has_more: false,
      data: [
        {
          id: 'ch_3Sim0000000000001',
          object: 'charge',
          amount: 2_000,
          currency: 'usd',
          status: 'succeeded',
          paid: true,
          created: 1_735_689_600,
        },
      ],
    },
    150,
    450,
  ),
  '/paypal/v1/oauth2/token': json(
    {
      scope: 'https://uri.paypal.com/services/payments/payment',
      access_token: 'A21AAsimulated-access-token',
      token_type: 'Bearer',
      app_id: 'APP-80W284485P519543T',
      expires_in: 32_400,
      nonce: '2025-01-06T00:00:00Zsimulated',
    },
    180,
    500,
  ),
  '/google/.well-known/openid-configuration': json(
    {
      issuer: GOOGLE,
      authorization_endpoint: `${GOOGLE}/o/oauth2/v2/auth`,
      token_endpoint: 'https://oauth2.googleapis.com/token',
      userinfo_endpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
      jwks_uri: 'https://www.googleapis.com/oauth2/v3/certs',
      response_types_supported: ['code', 'token', 'id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    },
    40,
    150,
  ),
  '/google/oauth2/v3/certs': json(
    {
      keys: [
        { kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'sim-key-1', e: 'AQAB', n: 'sim-modulus-1' },
        { kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'sim-key-2', e: 'AQAB', n: 'sim-modulus-2' },
      ],
    },
    40,
    150,
  ),
  '/facebook/v19.0/me': json({ id: '10000000000000001', name: 'Vigil Simulator' }, 90, 300),
  '/elasticsearch/_cluster/health': json(
    {
      cluster_name: 'search-prod',
      status: 'green',
      timed_out: false,
      number_of_nodes: 3,
      number_of_data_nodes: 3,
      active_primary_shards: 12,
      active_shards: 24,
      unassigned_shards: 0,
    },
    15,
    80,
  ),
  '/analytics/v1/collect': json({ accepted: 1 }, 30, 120, { status: 202 }),
  '/ads/v1/campaigns': json(
    {
      campaigns: [
        { id: 'cmp_1', name: 'Spring sale', status: 'ENABLED', budget_micros: 5_000_000 },
        { id: 'cmp_2', name: 'Brand', status: 'PAUSED', budget_micros: 2_000_000 },
      ],
    },
    200,
    600,
  ),
  '/statuspage/api/v2/status.json': json(
    {
      page: { id: 'sim', name: 'Simulated Provider', url: 'https://status.example.invalid' },
      status: { indicator: 'none', description: 'All Systems Operational' },
    },
    30,
    100,
  ),
  // Stripe's own status page (Statuspage's summary.json): all operational here, scripted in demoScenario
  '/stripe-status/api/v2/summary.json': {
    behavior: { mode: 'statuspage', page: { ...stripeStatuspage, incidents: [] } },
  },
  '/echo': { behavior: { mode: 'echo' } },
};

/** The simulated OAuth2 client of `/oauth2/token` (client credentials, basic or body). */
export const SIM_OAUTH2_CLIENT = { clientId: 'vigil-sim-client', clientSecret: 'sim-client-secret' };

/**
 * Signals from the response: rejected credentials (401 / 403), a deprecated endpoint with a sunset date
 * (RFC 9745 `Deprecation`, RFC 8594 `Sunset`), and an OAuth2 token endpoint issuing short-lived tokens
 * (60 s) with an API route that accepts only a token it issued that has not expired.
 */
export const credentialRoutes: Record<string, RouteScript> = {
  '/auth/rejected': {
    behavior: {
      mode: 'status',
      status: 401,
      body: { error: 'invalid_api_key', message: 'Invalid API key provided' },
      headers: { 'www-authenticate': 'Bearer realm="sim", error="invalid_token"' },
    },
  },
  '/auth/forbidden': {
    behavior: { mode: 'status', status: 403, body: { error: 'forbidden', message: 'key lacks scope' } },
  },
  '/deprecated/v1/items': {
    behavior: {
      mode: 'ok',
      body: { items: [] },
      headers: {
        deprecation: '@1735689600',
        sunset: 'Wed, 31 Dec 2025 23:59:59 GMT',
        link: '<https://example.invalid/migrate>; rel="deprecation"',
      },
    },
  },
  '/oauth2/token': { behavior: { mode: 'oauth2_token', ...SIM_OAUTH2_CLIENT, expiresInS: 60 } },
  '/oauth2/api/v1/me': { behavior: { mode: 'oauth2_protected', body: { id: 'sim-user', ok: true } } },
};

/** One route per hostile behaviour, at `/hostile/<mode>`, plus `/hostile/slow` (10 s before answering). */
export const hostileBehaviors = {
  status: { mode: 'status', status: 503 },
  rate_limited: { mode: 'rate_limited', retryAfterS: 30 },
  slow_drip: { mode: 'slow_drip', bytesPerSecond: 10 },
  endless: { mode: 'endless' },
  huge: { mode: 'huge', bytes: 64 * 1024 * 1024 },
  redirect_loop: { mode: 'redirect_loop' },
  redirect: { mode: 'redirect', to: '/echo' },
  hang: { mode: 'hang' },
  hang_headers: { mode: 'hang_headers' },
  reset: { mode: 'reset' },
} satisfies Partial<Record<BehaviorMode, Behavior>>;

export const fleetRoutes: Record<string, RouteScript> = {
  ...providerRoutes,
  ...Object.fromEntries(
    Object.entries(hostileBehaviors).map(([mode, behavior]) => [
      `/hostile/${mode}`,
      { behavior } satisfies RouteScript,
    ]),
  ),
  '/hostile/slow': { behavior: { mode: 'ok', latencyMs: 10_000 } },
  ...credentialRoutes,
  ...flowRoutes(),
};
