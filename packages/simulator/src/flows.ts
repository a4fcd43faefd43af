import type { Outage, RouteScript } from './types.js';

/** The OAuth2 client of the multi-step flow's token endpoint (`/flow/oauth2/token`). */
export const SIM_FLOW_CLIENT = { clientId: 'vigil-flow-client', clientSecret: 'sim-flow-secret' };

/** The paths of the multi-step flow, in the order a probe walks them. */
export const FLOW_PATHS = {
  token: '/flow/oauth2/token',
  charge: '/flow/v1/charges',
  receipt: '/flow/v1/receipts/ch_flow_1',
} as const;

/**
 * The PayPal-shaped flow of the shipped example (`paypal-token` in probes/payments.yaml) under
 * `/flow/paypal`: the example's URLs with `https://api-m.paypal.com` replaced by `<sim>/flow/paypal`.
 */
export const FLOW_PAYPAL_PATHS = {
  token: '/flow/paypal/v1/oauth2/token',
  api: '/flow/paypal/v1/notifications/webhooks-event-types',
} as const;

/** What the flow's API answers when its step 2 is scripted to fail. */
export const FLOW_CHARGE_FAILURE = {
  mode: 'status',
  status: 500,
  body: { error: { type: 'api_error', message: 'the charge could not be created' } },
} as const;

/**
 * A three-step authenticated flow, as a multi-step probe walks it: (1) a client-credentials token
 * endpoint (tokens valid 5 min on the simulator's clock), (2) an API route that answers only to a token it
 * issued (401 otherwise) with the charge and the path of its receipt, (3) that receipt, with a
 * `request-id` header; and the PayPal-shaped pair of the shipped example. `chargeDown` scripts step 2 of
 * both (the charge, the PayPal API call) to fail with HTTP 500 in windows relative to the start.
 */
export function flowRoutes(
  opts: { chargeDown?: { fromMs: number; toMs: number }[] } = {},
): Record<string, RouteScript> {
  const outages: Outage[] = (opts.chargeDown ?? []).map((w) => ({ ...w, behavior: FLOW_CHARGE_FAILURE }));
  return {
    [FLOW_PATHS.token]: { behavior: { mode: 'oauth2_token', ...SIM_FLOW_CLIENT, expiresInS: 300 } },
    [FLOW_PATHS.charge]: {
      behavior: {
        mode: 'oauth2_protected',
        body: {
          id: 'ch_flow_1',
          object: 'charge',
          status: 'succeeded',
          amount: 2_000,
          receipt: { path: FLOW_PATHS.receipt },
        },
      },
      ...(outages.length > 0 && { outages }),
    },
    [FLOW_PAYPAL_PATHS.token]: {
      behavior: { mode: 'oauth2_token', ...SIM_FLOW_CLIENT, expiresInS: 32_400 },
    },
    [FLOW_PAYPAL_PATHS.api]: {
      behavior: {
        mode: 'oauth2_protected',
        body: {
          event_types: [
            {
              name: 'PAYMENT.CAPTURE.COMPLETED',
              description: 'A payment capture completes.',
              status: 'ENABLED',
            },
          ],
        },
      },
      ...(outages.length > 0 && { outages }),
    },
    [FLOW_PATHS.receipt]: {
      behavior: {
        mode: 'ok',
        body: { charge: 'ch_flow_1', paid: true },
        headers: { 'request-id': 'req_flow_1' },
      },
    },
  };
}
