import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { sampleLatency } from './random.js';
import { serveStatuspage } from './statuspage.js';
import type { Behavior } from './types.js';

export interface RespondContext {
  random: () => number;
  /** the simulator's clock: what token expiry is judged by */
  now: () => number;
  /** bearer tokens issued by `oauth2_token` routes and when each expires (epoch ms, on `now`) */
  tokens: TokenBook;
  /** when the simulator started, on `now` (scripted status pages count from it); @defaultValue 0 */
  startedAt?: number;
}

export interface TokenBook {
  issue(token: string, expiresAt: number): void;
  expiresAt(token: string): number | undefined;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');
const ECHO_LIMIT = 1024 * 1024;

/** Carries out one behaviour on one request; every timer and stream stops when the response closes. */
export function respond(b: Behavior, req: IncomingMessage, res: ServerResponse, ctx: RespondContext): void {
  if (b.mode !== 'echo' && b.mode !== 'oauth2_token') req.resume();
  switch (b.mode) {
    case 'ok':
      return ok(b, res, ctx);
    case 'status':
      return send(res, b.status, b.body ?? { error: errorName(b.status) }, b.headers);
    case 'rate_limited':
      return send(
        res,
        429,
        { error: 'rate_limited', retry_after: b.retryAfterS },
        { 'retry-after': String(b.retryAfterS) },
      );
    case 'redirect':
      return send(res, b.status ?? 302, '', { location: b.to });
    case 'redirect_loop':
      return redirectLoop(req, res);
    case 'slow_drip':
      return slowDrip(res, b.bytesPerSecond ?? 10);
    case 'endless':
      return stream(res, Infinity);
    case 'huge':
      return stream(res, b.bytes);
    case 'hang':
      return;
    case 'hang_headers':
      req.socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-vigil-sim: hang\r\n');
      return;
    case 'reset':
      return reset(req.socket);
    case 'echo':
      return echo(req, res);
    case 'oauth2_token':
      return oauth2Token(b, req, res, ctx);
    case 'oauth2_protected':
      return oauth2Protected(b, req, res, ctx);
    case 'statuspage':
      return serveStatuspage(b.page, ctx.startedAt ?? 0, ctx.now(), req, res);
  }
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  const type = isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function ok(b: Extract<Behavior, { mode: 'ok' }>, res: ServerResponse, ctx: RespondContext): void {
  const delay = b.latencyMs === undefined ? 0 : sampleLatency(b.latencyMs, ctx.random);
  const failed = b.errorRate !== undefined && ctx.random() < b.errorRate;
  const answer = (): void => {
    if (failed) send(res, 500, { error: 'internal_error' });
    else send(res, b.status ?? 200, b.body ?? { ok: true }, b.headers);
  };
  if (delay <= 0) return answer();
  const timer = setTimeout(answer, delay);
  res.on('close', () => clearTimeout(timer));
}

function redirectLoop(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://sim');
  const hop = Number(url.searchParams.get('hop') ?? '0') + 1;
  url.searchParams.set('hop', String(hop));
  send(res, 302, '', { location: `${url.pathname}${url.search}` });
}

function slowDrip(res: ServerResponse, bytesPerSecond: number): void {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.flushHeaders();
  const started = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * bytesPerSecond) - sent;
    if (due <= 0 || res.writableNeedDrain) return;
    res.write(Buffer.alloc(due, '.'));
    sent += due;
  }, 100);
  res.on('close', () => clearInterval(timer));
}

/** Streams `total` bytes (or forever) with back-pressure, from one shared buffer: nothing accumulates. */
function stream(res: ServerResponse, total: number): void {
  const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
  if (Number.isFinite(total)) headers['content-length'] = total;
  res.writeHead(200, headers);
  let left = total;
  const pump = (): void => {
    while (!res.destroyed && left > 0) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      if (left <= 0) return void res.end(chunk);
      if (!res.write(chunk)) return;
    }
  };
  res.on('drain', pump);
  pump();
}

function reset(socket: Socket): void {
  // resetting the TCP socket under a TLS one corrupts node's HTTP connection list (Node 20), so TLS only closes
  if (socket instanceof TLSSocket) socket.destroy();
  else socket.resetAndDestroy();
}

function echo(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= ECHO_LIMIT) chunks.push(c);
  });
  req.on('end', () => {
    if (size > ECHO_LIMIT) return send(res, 413, { error: 'payload_too_large' });
    const url = new URL(req.url ?? '/', 'http://sim');
    const text = Buffer.concat(chunks).toString('utf8');
    send(res, 200, {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseBody(text, req.headers['content-type']),
    });
  });
}

function oauth2Token(
  b: Extract<Behavior, { mode: 'oauth2_token' }>,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RespondContext,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= ECHO_LIMIT) chunks.push(c);
  });
  req.on('end', () => {
    if (req.method !== 'POST') return send(res, 405, { error: 'invalid_request' }, { allow: 'POST' });
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials')
      return send(res, 400, { error: 'unsupported_grant_type' });
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    if (basic) {
      const text = Buffer.from(basic, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      id = decodeURIComponent(text.slice(0, colon));
      secret = decodeURIComponent(text.slice(colon + 1));
    }
    if (id !== b.clientId || secret !== b.clientSecret)
      return send(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    const token = `sim-${randomBytes(18).toString('base64url')}`;
    ctx.tokens.issue(token, ctx.now() + b.expiresInS * 1000);
    send(
      res,
      200,
      { access_token: token, token_type: 'Bearer', expires_in: b.expiresInS },
      { 'cache-control': 'no-store' },
    );
  });
}

function oauth2Protected(
  b: Extract<Behavior, { mode: 'oauth2_protected' }>,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RespondContext,
): void {
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const expiresAt = token === undefined ? undefined : ctx.tokens.expiresAt(token);
  if (expiresAt === undefined || expiresAt <= ctx.now()) {
    const why = expiresAt === undefined ? 'unknown or missing token' : 'token expired';
    return send(
      res,
      401,
      { error: 'invalid_token', error_description: why },
      { 'www-authenticate': `Bearer error="invalid_token", error_description="${why}"` },
    );
  }
  send(res, 200, b.body ?? { ok: true });
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      return { invalidJson: text, error: (err as Error).message };
    }
  }
  if (contentType?.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

function errorName(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '_');
}
