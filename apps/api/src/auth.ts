import { createHash, timingSafeEqual } from 'node:crypto';
import { apiOf, type ApiScope } from '@vigil/config';
import { resolveEnv, type Env } from '@vigil/core';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { ApiDeps } from './deps.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A token reference's value; '' (never matched) when its variable is unset. */
function resolved(ref: string, env: Env): string {
  try {
    return resolveEnv(ref, env);
  } catch {
    return '';
  }
}

/** Who made a request: a named token with its scopes, or a local caller (no token, loopback). */
export interface Caller {
  name: string;
  scopes: ApiScope[];
}

export const isLoopback = (address: string | undefined): boolean =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

function remoteAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // app.request() in tests has no socket: not a loopback caller
    return undefined;
  }
}

/**
 * The caller of `c`, or null: a bearer token (`Authorization: Bearer …` or `?token=` for links and SSE)
 * compared in constant time with every `api.tokens` entry, or a loopback caller when `localAccess`.
 */
export function callerOf(c: Context, deps: ApiDeps): Caller | null {
  const header = c.req.header('authorization');
  const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : c.req.query('token');
  if (presented) {
    const config = deps.config();
    const given = digest(presented);
    let found: Caller | null = null;
    for (const t of config ? apiOf(config).tokens : []) {
      const value = resolved(t.token, deps.env);
      // every token is compared (no early exit), each in constant time over equal-length digests
      if (value !== '' && timingSafeEqual(digest(value), given) && found === null)
        found = { name: t.name, scopes: t.scopes.includes('write') ? ['read', 'write'] : ['read'] };
    }
    return found;
  }
  if (deps.localAccess && isLoopback(remoteAddress(c))) return { name: 'local', scopes: ['read', 'write'] };
  return null;
}

/** Refuses a request without a caller of `scope`: 401 without credentials, 403 with too few scopes. */
export function requireScope(deps: ApiDeps, scope: ApiScope): MiddlewareHandler {
  return async (c, next) => {
    const caller = callerOf(c, deps);
    if (caller === null)
      return c.json({ error: 'unauthorized', message: 'a bearer token from api.tokens is required' }, 401, {
        'www-authenticate': 'Bearer realm="vigil"',
      });
    if (!caller.scopes.includes(scope))
      return c.json(
        { error: 'forbidden', message: `the token ${caller.name} lacks the ${scope} scope` },
        403,
      );
    c.set('caller' as never, caller as never);
    await next();
  };
}
