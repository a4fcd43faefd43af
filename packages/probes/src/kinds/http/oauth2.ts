import { createHash } from 'node:crypto';
import { Redactor, type ErrorClass, type Phases } from '@vigil/core';
import { exchange, type ExchangeOptions } from './exchange.js';
import type { HttpSpec, OAuth2Auth } from './spec.js';

/** A token is used until this share of its lifetime is left (at most {@link MAX_MARGIN_MS} before expiry). */
const MARGIN_SHARE = 0.1;
const MAX_MARGIN_MS = 30_000;
/** how long a token whose response has no `expires_in` is used */
export const DEFAULT_TOKEN_LIFETIME_S = 300;
const TOKEN_BODY_BYTES = 64 * 1024;
const SNIPPET = 200;

export type TokenOutcome =
  | { token: string; expiresAt: number }
  | { failure: { errorClass: ErrorClass; message: string; httpStatus: number | null }; phases: Phases };

interface Entry {
  token: string;
  /** when the token is no longer used: shortly before the expiry the endpoint gave */
  refreshAt: number;
}

/**
 * OAuth2 client-credentials tokens of one worker process, by provider, region and credentials: fetched
 * once, shared by every probe with the same key, used until shortly before `expires_in`. Concurrent runs
 * wanting the same missing token share one request. Only in memory: a token is never stored or logged.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<TokenOutcome>>();

  /** the cached token of `key` valid at `now`, or the outcome of `fetch` (a failure is not cached) */
  async get(key: string, now: () => number, fetch: () => Promise<TokenOutcome>): Promise<TokenOutcome> {
    const hit = this.entries.get(key);
    if (hit && now() < hit.refreshAt) return { token: hit.token, expiresAt: hit.refreshAt };
    let p = this.pending.get(key);
    if (!p) {
      p = fetch().then((out) => {
        if ('token' in out) this.entries.set(key, { token: out.token, refreshAt: out.expiresAt });
        else this.entries.delete(key);
        return out;
      });
      this.pending.set(key, p);
      void p.finally(() => this.pending.delete(key)).catch(() => undefined);
    }
    return p;
  }

  /** forgets `key`'s token (the API rejected it before its time): the next run fetches a new one */
  drop(key: string, token: string): void {
    if (this.entries.get(key)?.token === token) this.entries.delete(key);
  }
}

/** The one cache of this process. */
export const processTokens = new TokenCache();

/** The cache key: provider, region and every credential field; the secret only as a hash. */
export function tokenKey(a: OAuth2Auth, provider: string, region: string): string {
  const secret = createHash('sha256').update(a.clientSecret).digest('base64url');
  return JSON.stringify([provider, region, a.tokenUrl, a.clientId, secret, a.scope, a.audience, a.method]);
}

/**
 * Asks `a.tokenUrl` for a client-credentials token (RFC 6749 §4.4) within `timeoutMs`. A status other than
 * 2xx, or a 2xx without `access_token`, is class `auth` with the endpoint's status in the message; a network
 * failure keeps its own class. `expiresAt` is already moved ahead of the real expiry by the margin.
 */
export async function fetchToken(
  a: OAuth2Auth,
  tls: HttpSpec['tls'],
  timeoutMs: number,
  signal: AbortSignal | undefined,
  secrets: Redactor,
  now: () => number,
  options: ExchangeOptions = {},
): Promise<TokenOutcome> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (a.scope !== undefined) form.set('scope', a.scope);
  if (a.audience !== undefined) form.set('audience', a.audience);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (a.method === 'basic') {
    const pair = `${encodeURIComponent(a.clientId)}:${encodeURIComponent(a.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', a.clientId);
    form.set('client_secret', a.clientSecret);
  }
  const spec: HttpSpec = {
    url: a.tokenUrl,
    method: 'POST',
    headers,
    query: {},
    body: form.toString(),
    redirects: 'none',
    followRedirects: true,
    maxRedirects: 0,
    maxBodyBytes: TOKEN_BODY_BYTES,
    tls,
  };
  const x = await exchange(spec, timeoutMs, signal, secrets, options);
  const fail = (errorClass: ErrorClass, message: string): TokenOutcome => ({
    failure: {
      errorClass,
      message: `OAuth2 token request to ${a.tokenUrl} failed: ${message}`,
      httpStatus: x.status,
    },
    phases: x.phases,
  });
  if (x.failure) return fail(x.failure.errorClass, x.failure.message);
  const status = x.status ?? 0;
  const body = parse(x.bodyText);
  if (status < 200 || status > 299) {
    const why = typeof body?.error === 'string' ? `: ${describeError(body)}` : snippet(x.bodyText);
    return fail('auth', `HTTP ${status}${why}`);
  }
  const token = body?.access_token;
  if (typeof token !== 'string' || token === '')
    return fail('auth', `HTTP ${status} without an access_token`);
  const lifetimeS =
    typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : Number(body?.expires_in);
  const lifeMs = (Number.isFinite(lifetimeS) && lifetimeS > 0 ? lifetimeS : DEFAULT_TOKEN_LIFETIME_S) * 1000;
  return { token, expiresAt: now() + lifeMs - Math.min(MAX_MARGIN_MS, lifeMs * MARGIN_SHARE) };
}

function parse(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function describeError(body: Record<string, unknown>): string {
  const d = body.error_description;
  const text = `${String(body.error)}${typeof d === 'string' ? ` (${d})` : ''}`;
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}

function snippet(body: string | null): string {
  const text = body?.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return `: ${text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text}`;
}
