import { performance } from 'node:perf_hooks';
import { Redactor } from '@vigil/core';
import { daysLeft } from '../expect/common.js';
import type { ProbeKind, ProbeRunOutput } from '../types.js';
import { evaluateHttpExpect, httpExpectSchema, type HttpExpect } from './http/expect.js';
import { exchange } from './http/exchange.js';
import { responseNotices } from './http/notices.js';
import { fetchToken, processTokens, tokenKey, type TokenCache } from './http/oauth2.js';
import { parseRetryAfter } from './http/retry-after.js';
import { httpSpecSchema, type HttpSpec } from './http/spec.js';
import { statusNamed } from './http/status.js';

const SNIPPET = 200;

export const httpProbe: ProbeKind<HttpSpec, HttpExpect> = {
  kind: 'http',
  spec: httpSpecSchema,
  expect: httpExpectSchema,
  async run(given, expect, ctx): Promise<ProbeRunOutput> {
    let spec = given;
    let timeoutMs = ctx.timeoutMs;
    let secrets = ctx.secrets;
    let oauth: { key: string; token: string; cache: TokenCache } | null = null;
    if (given.auth && 'oauth2' in given.auth) {
      const a = given.auth.oauth2;
      const started = performance.now();
      const cache = ctx.tokens ?? processTokens;
      const key = tokenKey(a, ctx.probe.provider ?? '', ctx.probe.region ?? '');
      const now = () => ctx.clock.now();
      const got = await cache.get(key, now, () =>
        fetchToken(a, given.tls, ctx.timeoutMs, ctx.signal, ctx.secrets ?? Redactor.none, now),
      );
      if ('failure' in got) {
        const { httpStatus, ...failure } = got.failure;
        return {
          phases: got.phases,
          outcome: 'down',
          httpStatus,
          retryAfterS: null,
          tlsDaysLeft: null,
          notices: null,
          ...failure,
          assertions: [],
        };
      }
      ctx.addSecret?.(got.token);
      secrets = (secrets ?? Redactor.none).with([got.token]);
      // the token request ran under the probe's deadline: the API call gets what is left of it
      timeoutMs = Math.max(1, ctx.timeoutMs - (performance.now() - started));
      spec = { ...given, auth: { bearer: got.token } };
      oauth = { key, token: got.token, cache };
    }
    const x = await exchange(spec, timeoutMs, ctx.signal, secrets);
    // a token the API refuses before its time (revoked, rotated) is not used again
    if (oauth && x.status === 401) oauth.cache.drop(oauth.key, oauth.token);
    const now = ctx.clock.now();
    const tlsDaysLeft = daysLeft(x.certValidTo, now);
    const base = {
      phases: x.phases,
      httpStatus: x.status,
      retryAfterS: null,
      tlsDaysLeft,
      notices: x.status === null ? null : responseNotices(x.headers),
    };
    if (x.failure) return { ...base, outcome: 'down', ...x.failure, assertions: [] };
    const status = x.status ?? 0;
    if (status === 429 && !statusNamed(expect.status, 429)) {
      const header = x.headers['retry-after'];
      const retryAfterS = parseRetryAfter(typeof header === 'string' ? header : undefined, now);
      const after = retryAfterS === null ? '' : `, retry after ${retryAfterS}s`;
      return {
        ...base,
        outcome: 'rate_limited',
        errorClass: 'rate_limited',
        message: `rate limited (HTTP 429${after})`,
        assertions: [],
        retryAfterS,
      };
    }
    const assertions = evaluateHttpExpect(expect, {
      status,
      headers: x.headers,
      bodyText: x.bodyText,
      totalMs: x.phases.totalMs,
      tlsDaysLeft,
    });
    const failed = assertions.filter((a) => !a.ok);
    if (failed.length === 0) return { ...base, outcome: 'up', errorClass: null, message: null, assertions };
    const statusFailed = failed[0]?.name === 'status';
    const rejected = statusFailed && isAuthStatus(status);
    const message = statusFailed
      ? `${rejected ? 'credentials rejected: ' : ''}${failed[0]!.message}${x.unfollowed ? ` (${x.unfollowed})` : ''}${snippet(x.bodyText)}`
      : failed.map((a) => a.message).join('; ');
    return {
      ...base,
      outcome: 'down',
      errorClass: rejected ? 'auth' : statusFailed ? 'http_status' : 'assertion_failed',
      message,
      assertions,
    };
  },
};

/** 401 and 403 say our credentials were rejected (unless the probe expects them: then they are `up`). */
export function isAuthStatus(status: number): boolean {
  return status === 401 || status === 403;
}

function snippet(body: string | null): string {
  const text = body?.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return `: ${text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text}`;
}
