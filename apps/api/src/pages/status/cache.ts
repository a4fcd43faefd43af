import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { RenderedBody } from '../../snapshot.js';

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

/**
 * `cached` for a body rendered once per snapshot: its stored ETag, and its stored gzip when the client
 * accepts gzip (so a busy page costs no hashing or compressing per request).
 */
export function cachedBody(
  c: Context,
  body: RenderedBody,
  o: { type: string; cacheControl: string; headers?: Record<string, string> },
): Response {
  const headers = {
    ...o.headers,
    etag: body.etag,
    'cache-control': o.cacheControl,
    vary: 'Accept-Encoding',
  };
  if (notModified(c, body.etag)) return c.body(null, 304, headers);
  if (acceptsGzip(c.req.header('accept-encoding')))
    return c.body(new Uint8Array(body.gzip), 200, {
      ...headers,
      // the stored gzip of a strong ETag's body: the encoded bytes differ, so the tag goes out weak
      etag: `W/${body.etag}`,
      'content-type': o.type,
      'content-encoding': 'gzip',
    });
  return c.body(body.text, 200, { ...headers, 'content-type': o.type });
}

/** Whether Accept-Encoding allows gzip: `gzip` (or else `*`) listed without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name.trim(), weight === undefined ? 1 : Number(weight.slice(2)) || 0);
  }
  const w = q.get('gzip') ?? q.get('x-gzip') ?? q.get('*') ?? 0;
  return w > 0;
}
