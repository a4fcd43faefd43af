import { daysLeft } from '../expect/common.js';
import type { ProbeKind, ProbeRunOutput } from '../types.js';
import { evaluateHttpExpect, httpExpectSchema, type HttpExpect } from './http/expect.js';
import { exchange } from './http/exchange.js';
import { responseNotices } from './http/notices.js';
import { parseRetryAfter } from './http/retry-after.js';
import { httpSpecSchema, type HttpSpec } from './http/spec.js';
import { statusNamed } from './http/status.js';

const SNIPPET = 200;

export const httpProbe: ProbeKind<HttpSpec, HttpExpect> = {
  kind: 'http',
  spec: httpSpecSchema,
  expect: httpExpectSchema,
  async run(spec, expect, ctx): Promise<ProbeRunOutput> {
    const x = await exchange(spec, ctx.timeoutMs, ctx.signal, ctx.secrets);
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
