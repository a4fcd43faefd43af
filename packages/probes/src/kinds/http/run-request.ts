import { performance } from 'node:perf_hooks';
import { Redactor, type AssertionResult, type ErrorClass, type Outcome, type Phases } from '@vigil/core';
import { daysLeft } from '../../expect/common.js';
import type { ProbeContext } from '../../types.js';
import { evaluateHttpExpect, type HttpExpect } from './expect.js';
import { exchange, type ExchangeOptions, type ResponseHeaders } from './exchange.js';
import { responseNotices } from './notices.js';
import { fetchToken, processTokens, tokenKey, type TokenCache } from './oauth2.js';
import { parseRetryAfter } from './retry-after.js';
import type { HttpSpec } from './spec.js';
import { statusNamed } from './status.js';

const SNIPPET = 200;

/** One request judged against its `expect`: a single-request probe's run, or one step of a multi-step one. */
export interface RequestOutcome {
  phases: Phases;
  outcome: Outcome;
  httpStatus: number | null;
  errorClass: ErrorClass | null;
  message: string | null;
  assertions: AssertionResult[];
  retryAfterS: number | null;
  tlsDaysLeft: number | null;
  notices: ReturnType<typeof responseNotices>;
  /** the final response, for a step's `extract`; null when none arrived */
  response: { headers: ResponseHeaders; bodyText: string | null } | null;
  /** the run's secrets after the request: with the OAuth2 access token it obtained, if any */
  secrets: Redactor;
}

export interface RequestBudget {
  /** how long the request (and its OAuth2 token request) may take */
  timeoutMs: number;
  /** what a timeout message names; @defaultValue `${timeoutMs}ms` */
  timeoutText?: string;
}

/**
 * Sends `spec` (fetching its OAuth2 token first when it has one) and judges the response: the run of an
 * http probe with one request, and of each step of one with `steps:`. Never throws for a target problem.
 */
export async function runRequest(
  given: HttpSpec,
  expect: HttpExpect,
  ctx: ProbeContext,
  budget: RequestBudget,
  secretsIn: Redactor = ctx.secrets ?? Redactor.none,
): Promise<RequestOutcome> {
  let spec = given;
  let timeoutMs = budget.timeoutMs;
  let secrets = secretsIn;
  let oauth: { key: string; token: string; cache: TokenCache } | null = null;
  const options: ExchangeOptions =
    budget.timeoutText === undefined ? {} : { timeoutText: budget.timeoutText };
  if (given.auth && 'oauth2' in given.auth) {
    const a = given.auth.oauth2;
    const started = performance.now();
    const cache = ctx.tokens ?? processTokens;
    const key = tokenKey(a, ctx.probe.provider ?? '', ctx.probe.region ?? '');
    const now = () => ctx.clock.now();
    const got = await cache.get(key, now, () =>
      fetchToken(a, given.tls, budget.timeoutMs, ctx.signal, secrets, now, options),
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
        response: null,
        secrets,
      };
    }
    ctx.addSecret?.(got.token);
    secrets = secrets.with([got.token]);
    // the token request ran under the probe's deadline: the API call gets what is left of it
    timeoutMs = Math.max(1, budget.timeoutMs - (performance.now() - started));
    spec = { ...given, auth: { bearer: got.token } };
    oauth = { key, token: got.token, cache };
  }
  const x = await exchange(spec, timeoutMs, ctx.signal, secrets, options);
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
    response: x.status === null ? null : { headers: x.headers, bodyText: x.bodyText },
    secrets,
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
}

/** 401 and 403 say our credentials were rejected (unless the probe expects them: then they are `up`). */
export function isAuthStatus(status: number): boolean {
  return status === 401 || status === 403;
}

function snippet(body: string | null): string {
  const text = body?.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return `: ${text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text}`;
}
