import type { LookupAddress } from 'node:dns';
import type { LookupFunction, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { buildConnector } from 'undici';
import type { Deadline } from './deadline.js';
import { resolveHost, type Family } from './resolve.js';

/** Monotonic instants (performance.now) of one connection's steps; null until the step happened. */
export interface ConnectionTiming {
  startedAt: number;
  secure: boolean;
  lookupDoneAt: number | null;
  connectedAt: number | null;
  secureAt: number | null;
  /** certificate expiry (epoch ms) when the server presented one, even if it was rejected */
  certValidTo: number | null;
}

export interface TlsOptions {
  verify: boolean;
  ca?: string | undefined;
  servername?: string | undefined;
}

export type ConnectCallback = (err: Error | null, socket: Socket | null) => void;
type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

export interface TimedConnector {
  /** for undici's `connect` option */
  connect: buildConnector.connector;
  /** opens one connection and returns its socket, so that a caller may destroy it on a deadline */
  open(options: buildConnector.Options, callback: ConnectCallback): Socket;
  /** every connection opened through `connect`, in order */
  connections: ConnectionTiming[];
}

export class TlsVerifyError extends Error {
  constructor(
    readonly code: string,
    readonly host: string,
  ) {
    super(`${code} for ${host}`);
  }
}

/**
 * An undici connector that records DNS, TCP and TLS timings per connection. Names are resolved by
 * `resolveHost` within what is left of `deadline`. TLS is verified here rather than by node so that an
 * expired or untrusted certificate is still read (its days left are reported).
 * Sessions are never cached: every run pays, and so measures, a full handshake.
 */
export function timedConnector(tls: TlsOptions, deadline: Deadline): TimedConnector {
  const connections: ConnectionTiming[] = [];
  const open = (options: buildConnector.Options, callback: ConnectCallback): Socket => {
    const t: ConnectionTiming = {
      startedAt: performance.now(),
      secure: options.protocol === 'https:',
      lookupDoneAt: null,
      connectedAt: null,
      secureAt: null,
      certValidTo: null,
    };
    connections.push(t);
    const lookup = ((hostname: string, opts: { family?: unknown; all?: boolean }, cb: LookupCallback) => {
      const family: Family = opts.family === 4 || opts.family === 6 ? opts.family : 0;
      resolveHost(hostname, family, deadline.remainingMs(), deadline.signal).then(
        (addresses) => {
          t.lookupDoneAt = performance.now();
          const first = addresses[0];
          if (first === undefined) cb(new Error(`no address for ${hostname}`), opts.all === true ? [] : '');
          else if (opts.all === true) cb(null, addresses);
          else cb(null, first.address, first.family);
        },
        (err: Error) => cb(err, opts.all === true ? [] : ''),
      );
    }) as LookupFunction;
    const base = buildConnector({
      // no timer of undici's (coarse, it may fire early or late): the run's deadline ends the connect
      timeout: 0,
      maxCachedSessions: 0,
      rejectUnauthorized: false,
      ...(options.protocol === 'https:' && { secureContext: secureContextFor(tls.ca) }),
      ...(tls.servername !== undefined && { servername: tls.servername }),
      lookup,
    });
    const socket = base(options, (err, sock) => {
      if (err !== null) {
        callback(err, null);
        return;
      }
      if (sock instanceof TLSSocket) {
        t.secureAt = performance.now();
        t.certValidTo = validTo(sock);
        if (tls.verify && !sock.authorized) {
          sock.destroy();
          callback(new TlsVerifyError(String(sock.authorizationError), options.hostname), null);
          return;
        }
      }
      callback(null, sock);
    }) as unknown as Socket;
    socket.once('connect', () => {
      t.connectedAt = performance.now();
    });
    return socket;
  };
  const connect: buildConnector.connector = (options, callback) => {
    open(options, callback as ConnectCallback);
  };
  return { connect, open, connections };
}

const contexts = new Map<string | undefined, SecureContext>();

/**
 * One TLS context per set of trusted CAs, shared by every connection: building one per connection costs
 * 1–2 ms of CPU (more with a custom CA). It holds no sessions (node keeps none in it), so each run still
 * pays a full handshake.
 */
function secureContextFor(ca: string | undefined): SecureContext {
  let ctx = contexts.get(ca);
  if (ctx === undefined) contexts.set(ca, (ctx = createSecureContext(ca === undefined ? {} : { ca })));
  return ctx;
}

function validTo(sock: TLSSocket): number | null {
  const cert = sock.getPeerCertificate();
  const at = typeof cert.valid_to === 'string' ? Date.parse(cert.valid_to) : NaN;
  return Number.isFinite(at) ? at : null;
}

export interface ConnectionPhases {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** when the connection could carry a request (after TCP, or after TLS), null if it never could */
  readyAt: number | null;
}

export function connectionPhases(c: ConnectionTiming): ConnectionPhases {
  const tcpFrom = c.lookupDoneAt ?? c.startedAt;
  const dnsMs = c.lookupDoneAt === null ? null : c.lookupDoneAt - c.startedAt;
  if (c.connectedAt === null) return { dnsMs, connectMs: null, tlsMs: null, readyAt: null };
  const connectMs = c.connectedAt - tcpFrom;
  if (!c.secure) return { dnsMs, connectMs, tlsMs: null, readyAt: c.connectedAt };
  const tlsMs = c.secureAt === null ? null : c.secureAt - c.connectedAt;
  return { dnsMs, connectMs, tlsMs, readyAt: c.secureAt };
}
