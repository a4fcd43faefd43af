import type { ApiScope } from '@vigil/config';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { requireScope, type Caller } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { writeLimiterOf, type TokenBuckets } from './rate-limit.js';
import { dropSnapshots } from '../snapshot.js';

export type Method = 'get' | 'post' | 'delete';

/** A response an operation declares: JSON of a schema, or text of a media type. */
export type ResponseSpec =
  { description: string; schema: z.ZodType } | { description: string; media: Record<string, 'string'> };

export interface HandlerInput<Q, P, B> {
  c: Context;
  deps: ApiDeps;
  query: Q;
  params: P;
  body: B;
  caller: Caller | null;
}

/**
 * One API operation: its path (OpenAPI style, `/probes/{id}`), who may call it, the zod schemas of
 * its input and responses. The routes and the OpenAPI document are both made from the same list.
 */
export interface Operation<Q = unknown, P = unknown, B = unknown> {
  id: string;
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** null: public */
  scope: ApiScope | null;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  responses: Record<number, ResponseSpec>;
  handler(i: HandlerInput<Q, P, B>): Response | Promise<Response>;
}

export const op = <Q, P, B>(o: Operation<Q, P, B>): Operation => o as unknown as Operation;

export const API_BASE = '/api/v1';

/** A JSON error body; the message names the bad parameter. */
export function apiError(
  c: Context,
  status: 400 | 401 | 403 | 404 | 409 | 429,
  error: string,
  message: string,
  headers?: Record<string, string>,
): Response {
  return c.json({ error, message }, status, headers);
}

/** `where: message` for the first problem: the parameter's name first. */
function problem(where: string, err: z.ZodError): string {
  const i = err.issues[0]!;
  const path = i.path.length > 0 ? i.path.join('.') : where;
  return `${path}: ${i.message}`;
}

/**
 * Registers every operation on the app: auth, rate limit (writes, the app's limiter the dashboard's actions
 * share), input validation, then the handler.
 */
export function mountOperations(
  app: Hono,
  deps: ApiDeps,
  ops: readonly Operation[],
  buckets: TokenBuckets = writeLimiterOf(deps),
): void {
  for (const o of ops) {
    const honoPath = API_BASE + o.path.replace(/\{(\w+)\}/g, ':$1');
    const guard = o.scope ? [requireScope(deps, o.scope)] : [];
    app.on([o.method.toUpperCase()], [honoPath], ...guard, async (c) => {
      // set by requireScope: the token is compared once per request
      const caller = o.scope ? ((c.get('caller' as never) as Caller | undefined) ?? null) : null;
      if (o.scope === 'write' && caller) {
        const wait = buckets.take(caller.name);
        if (wait > 0)
          return apiError(c, 429, 'rate_limited', `too many writes by ${caller.name}; retry in ${wait} s`, {
            'retry-after': String(wait),
          });
      }
      const query = o.query ? o.query.safeParse(c.req.query()) : { success: true as const, data: {} };
      if (!query.success) return apiError(c, 400, 'bad_request', problem('query', query.error));
      const params = o.params ? o.params.safeParse(c.req.param()) : { success: true as const, data: {} };
      if (!params.success) return apiError(c, 400, 'bad_request', problem('path', params.error));
      let body: unknown = undefined;
      if (o.body) {
        let raw: unknown;
        try {
          raw = await c.req.json();
        } catch {
          return apiError(c, 400, 'bad_request', 'body: expected a JSON object');
        }
        const parsed = o.body.safeParse(raw);
        if (!parsed.success) return apiError(c, 400, 'bad_request', problem('body', parsed.error));
        body = parsed.data;
      }
      const res = await o.handler({ c, deps, query: query.data, params: params.data, body, caller });
      // a write through this app shows on its next page (see snapshot.ts)
      if (o.scope === 'write' && res.status < 400) dropSnapshots(deps);
      return res;
    });
  }
}
