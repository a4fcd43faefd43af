import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redactor, type ErrorClass, type Phases } from '@vigil/core';
import { Client, type Dispatcher } from 'undici';
import { classifyNetworkError } from '../../classify.js';
import { startDeadline } from '../../deadline.js';
import { addPhase, emptyPhases } from '../../phases.js';
import {
  connectionPhases,
  timedConnector,
  type ConnectCallback,
  type ConnectionTiming,
  type TimedConnector,
} from '../../connector.js';
import { prepareRequest, redirectTarget, type PreparedRequest } from './request.js';
import type { HttpSpec } from './spec.js';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ExchangeResult {
  phases: Phases;
  /** status of the last response seen (after redirects), null when none arrived */
  status: number | null;
  headers: ResponseHeaders;
  /** the final body as text, null when it was not (completely) read */
  bodyText: string | null;
  redirects: number;
  /** why the last response, a redirect, was not followed (the redirect policy), else null */
  unfollowed: string | null;
  /** expiry (epoch ms) of the last certificate seen */
  certValidTo: number | null;
  failure: { errorClass: ErrorClass; message: string } | null;
}

export interface ExchangeOptions {
  /** what a timeout message says the limit was; @defaultValue `${timeoutMs}ms` */
  timeoutText?: string;
}

interface Hop {
  startedAt: number;
  connection: ConnectionTiming | null;
  headersAt: number | null;
  bodyDoneAt: number | null;
}

class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
}

/** The client of one hop's connection (no Agent, no pool: nothing to tear down but the socket). */
class HopClient {
  readonly client: Client;
  private socket: Socket | null = null;

  constructor(origin: string, connector: TimedConnector) {
    this.client = new Client(origin, {
      connect: (options, callback) => {
        this.socket = connector.open(options, callback as ConnectCallback);
      },
      // the run's deadline ends a request; undici's own timers are coarse (~0.5 s) and may fire early
      headersTimeout: 0,
      bodyTimeout: 0,
      pipelining: 1,
    });
  }

  /**
   * Ends a connection whose response was read completely by destroying its socket without an error:
   * `client.close()` would build an error and format its stack (source-mapped under tsx) every probe.
   */
  endQuietly(): void {
    if (this.socket) this.socket.destroy();
    else void this.client.destroy();
  }

  /** Tears down whatever is still open (a connect, a handshake, a response) without waiting for it. */
  abandon(reason: Error): void {
    this.socket?.destroy();
    // the run's result is settled before this: a teardown that fails has nothing left to affect
    this.client.destroy(reason).catch(() => undefined);
  }
}

/**
 * Sends the request of `spec` on fresh connections, follows redirects, reads the final body up to
 * `maxBodyBytes` and measures every phase, all under one deadline. Never throws for a target problem.
 */
export async function exchange(
  spec: HttpSpec,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  secrets: Redactor = Redactor.none,
  options: ExchangeOptions = {},
): Promise<ExchangeResult> {
  const t0 = performance.now();
  const deadline = startDeadline(timeoutMs, signal);
  const connector = timedConnector(spec.tls, deadline);
  const hops: Hop[] = [];
  const result: ExchangeResult = {
    phases: emptyPhases(0),
    status: null,
    headers: {},
    bodyText: null,
    redirects: 0,
    unfollowed: null,
    certValidTo: null,
    failure: null,
  };
  let hc: HopClient | null = null;
  try {
    let req: PreparedRequest | null = prepareRequest(spec, secrets);
    while (req) {
      const hop: Hop = { startedAt: performance.now(), connection: null, headersAt: null, bodyDoneAt: null };
      hops.push(hop);
      hc = new HopClient(req.url.origin, connector);
      const seen = connector.connections.length;
      let res: Dispatcher.ResponseData;
      try {
        res = await deadline.race(
          hc.client.request({
            path: `${req.url.pathname}${req.url.search}`,
            method: req.method as Dispatcher.HttpMethod,
            headers: req.headers,
            body: req.body ?? null,
            signal: deadline.signal,
          }),
        );
      } finally {
        hop.connection = connector.connections.length > seen ? (connector.connections.at(-1) ?? null) : null;
      }
      hop.headersAt = performance.now();
      result.status = res.statusCode;
      result.headers = res.headers;
      const location = res.headers.location;
      const step = redirectTarget(req, res.statusCode, typeof location === 'string' ? location : undefined);
      const next = step !== null && 'next' in step ? step.next : null;
      if (step !== null && 'refused' in step) result.unfollowed = step.refused;
      if (next) {
        await deadline.race(res.body.dump());
        hop.bodyDoneAt = performance.now();
        hc.endQuietly();
        hc = null;
        if (result.redirects >= spec.maxRedirects) {
          result.failure = {
            errorClass: 'too_many_redirects',
            message: `more than ${spec.maxRedirects} redirects (last to ${next.url.href})`,
          };
          return result;
        }
        result.redirects++;
        req = next;
        continue;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > spec.maxBodyBytes) {
        res.body.destroy();
        throw new BodyTooLargeError(`body of ${declared} bytes is over the ${spec.maxBodyBytes}-byte cap`);
      }
      result.bodyText = await deadline.race(readCapped(res.body, spec.maxBodyBytes));
      hop.bodyDoneAt = performance.now();
      hc.endQuietly();
      hc = null;
      req = null;
    }
  } catch (err) {
    const limit = options.timeoutText ?? `${timeoutMs}ms`;
    result.failure = failureOf(err, deadline.timedOut(), limit, hops.at(-1));
  } finally {
    deadline.dispose();
    result.phases = phasesOf(hops, t0, deadline.endedAt());
    result.certValidTo = connector.connections.findLast((c) => c.certValidTo !== null)?.certValidTo ?? null;
    hc?.abandon(deadline.signal.reason instanceof Error ? deadline.signal.reason : new Error('run ended'));
  }
  return result;
}

/** Collects the body from `data` events: cheaper than async iteration for the usual tiny body. */
function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else {
        body.destroy();
        reject(new BodyTooLargeError(`body is over the ${max}-byte cap`));
      }
    });
    body.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    body.once('error', reject);
  });
}

function failureOf(
  err: unknown,
  timedOut: boolean,
  limit: string,
  hop: Hop | undefined,
): ExchangeResult['failure'] {
  if (err instanceof BodyTooLargeError) return { errorClass: 'body_too_large', message: err.message };
  if (timedOut)
    return { errorClass: 'timeout', message: `no complete response within ${limit} (${stageOf(hop)})` };
  if (err instanceof Error && err.name === 'AbortError')
    return { errorClass: 'internal', message: 'run cancelled before it completed' };
  return classifyNetworkError(err);
}

function stageOf(hop: Hop | undefined): string {
  const c = hop?.connection;
  if (hop?.headersAt != null) return 'while reading the body';
  if (!c || (c.connectedAt !== null && (!c.secure || c.secureAt !== null)))
    return 'while waiting for the response headers';
  if (c.connectedAt === null)
    return c.lookupDoneAt === null ? 'during DNS lookup or connect' : 'during connect';
  return 'during the TLS handshake';
}

/** Sums each phase over the hops (like blackbox_exporter); phases never overlap, so they add up to ≤ total. */
function phasesOf(hops: Hop[], t0: number, end: number): Phases {
  const p = emptyPhases(end - t0);
  for (const hop of hops) {
    let readyAt = hop.startedAt;
    if (hop.connection) {
      const c = connectionPhases(hop.connection);
      p.dnsMs = addPhase(p.dnsMs, c.dnsMs);
      p.connectMs = addPhase(p.connectMs, c.connectMs);
      p.tlsMs = addPhase(p.tlsMs, c.tlsMs);
      readyAt = c.readyAt ?? readyAt;
    }
    if (hop.headersAt !== null) {
      p.ttfbMs = addPhase(p.ttfbMs, hop.headersAt - readyAt);
      p.transferMs = addPhase(p.transferMs, (hop.bodyDoneAt ?? end) - hop.headersAt);
    }
  }
  return p;
}
