import type { Clock } from '@vigil/core';
import type { StatuspageScript } from './statuspage.js';

/** What one route does for one request. */
export type Behavior =
  | {
      mode: 'ok';
      status?: number;
      /** an object is sent as JSON, a string as text; defaults to `{"ok":true}` */
      body?: unknown;
      headers?: Record<string, string>;
      /** a fixed delay, or a seeded log-normal distribution given its median and 99th percentile */
      latencyMs?: number | { p50: number; p99: number };
      /** 0..1: the share of requests answered with HTTP 500 */
      errorRate?: number;
    }
  | { mode: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { mode: 'rate_limited'; retryAfterS: number }
  | { mode: 'slow_drip'; bytesPerSecond?: number }
  | { mode: 'endless' }
  | { mode: 'huge'; bytes: number }
  | { mode: 'redirect_loop' }
  | { mode: 'redirect'; to: string; status?: number }
  /** accepts the request and never answers */
  | { mode: 'hang' }
  /** sends the status line and some headers, never the blank line that ends them */
  | { mode: 'hang_headers' }
  /** destroys the socket: a TCP reset (ECONNRESET) on plain HTTP, an abrupt close mid-request on HTTPS */
  | { mode: 'reset' }
  /** answers with the request's method, path, query, headers and body as JSON */
  | { mode: 'echo' }
  /**
   * An OAuth2 token endpoint (RFC 6749 §4.4, client credentials): a POST with `grant_type=client_credentials`
   * and the client's id and secret (HTTP Basic or in the form body) gets a fresh bearer token valid for
   * `expiresInS` seconds on the simulator's clock; wrong credentials get 401 `invalid_client`.
   */
  | { mode: 'oauth2_token'; clientId: string; clientSecret: string; expiresInS: number }
  /** an API route that answers `body` only to a bearer token issued by an `oauth2_token` route and not expired */
  | { mode: 'oauth2_protected'; body?: unknown }
  /**
   * An Atlassian Statuspage `/api/v2/summary.json` whose incidents follow `page` on the simulator's clock
   * (statuspage.ts), with an ETag; a matching If-None-Match gets 304
   */
  | { mode: 'statuspage'; page: StatuspageScript };

export type BehaviorMode = Behavior['mode'];

/** A window, relative to the simulator's start on its clock, during which a route behaves differently. */
export interface Outage {
  fromMs: number;
  toMs: number;
  behavior: Behavior;
}

/** A repeating outage: from `offsetMs` on, down for the first `downMs` of every `periodMs`. */
export interface Every {
  periodMs: number;
  downMs: number;
  /** @defaultValue 0 */
  offsetMs?: number;
  behavior: Behavior;
}

/** A route's behaviour; `outages` win over `every`, which wins over `behavior`. */
export interface RouteScript {
  behavior: Behavior;
  outages?: Outage[];
  every?: Every;
}

export interface SimulatorRequestEvent {
  method: string;
  path: string;
  mode: BehaviorMode | 'not_found';
  tls: 'none' | 'valid' | 'expired' | 'wrong_host';
}

export interface SimulatorOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (a random free port) */
  httpPort?: number;
  /** @defaultValue 0 (a random free port) */
  httpsPort?: number;
  /** @defaultValue httpsPort + 1 when httpsPort is fixed, else 0 */
  expiredPort?: number;
  /** @defaultValue httpsPort + 2 when httpsPort is fixed, else 0 */
  wrongHostPort?: number;
  /** @defaultValue fleetRoutes */
  routes?: Record<string, RouteScript>;
  /** drives outage windows; @defaultValue the system clock */
  clock?: Clock;
  /** seeds latency and error-rate draws; @defaultValue 1 */
  seed?: number;
  /** called for every request received, e.g. for a CLI to print traffic */
  onRequest?: (event: SimulatorRequestEvent) => void;
}

export interface Simulator {
  httpUrl: string;
  /** certificate for `localhost` and 127.0.0.1, signed by the simulator's own CA (`ca`) */
  httpsUrl: string;
  /** a certificate that expired yesterday */
  expiredUrl: string;
  /** a certificate for `wrong-host.invalid` only */
  wrongHostUrl: string;
  /** PEM of the CA that signed every certificate: trust it to see a pure expiry or hostname failure */
  ca: string;
  set(path: string, script: RouteScript | Behavior): void;
  /** bearer tokens issued by `oauth2_token` routes so far */
  tokensIssued(): number;
  /** requests received on `path` (any port), or on every path */
  requests(path?: string): number;
  close(): Promise<void>;
}
