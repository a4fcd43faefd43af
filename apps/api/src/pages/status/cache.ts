import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/** A strong validator of a body (compression makes it weak on the way out). */
export const etagOf = (body: string | Uint8Array): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function notModified(c: Context, etag: string): boolean {
  const header = c.req.header('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/**
 * The response of a cacheable GET: 304 without a body when the client has this version, else the body
 * with its ETag and Cache-Control.
 */
export function cached(c: Context, body: string, o: { type: string; cacheControl: string }): Response {
  const etag = etagOf(body);
  const headers = { etag, 'cache-control': o.cacheControl, vary: 'Accept-Encoding' };
  if (notModified(c, etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, 'content-type': o.type });
}
