import { maxHeaderSize } from 'node:http';
import type { ErrorClass } from '@vigil/core';

const BY_CODE: Record<string, ErrorClass> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EAI_NODATA: 'dns',
  ENODATA: 'dns',
  ESERVFAIL: 'dns',
  EREFUSED: 'dns',
  ENONAME: 'dns',
  EBADRESP: 'dns',
  DNS_FAILED: 'dns',
  ECONNREFUSED: 'connect_refused',
  EHOSTUNREACH: 'connect_refused',
  ENETUNREACH: 'connect_refused',
  EADDRNOTAVAIL: 'connect_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ERR_STREAM_PREMATURE_CLOSE: 'connection_reset',
  ETIMEDOUT: 'timeout',
  ETIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_OVERFLOW: 'http_protocol',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'http_protocol',
  CERT_HAS_EXPIRED: 'tls_expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_hostname',
  HOSTNAME_MISMATCH: 'tls_hostname',
};

const TLS_INVALID =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|CERT_|ERR_SSL_|ERR_TLS_|EPROTO$|INVALID_)/;

export interface Classified {
  errorClass: ErrorClass;
  message: string;
}

/** Maps a network error (from net, tls, dns or undici, possibly wrapped in `cause`) to an error class. */
export function classifyNetworkError(err: unknown): Classified {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    const known = BY_CODE[code];
    if (known) return { errorClass: known, message: describe(known, e) };
    if (TLS_INVALID.test(code)) return { errorClass: 'tls_invalid', message: describe('tls_invalid', e) };
    if (code.startsWith('HPE_'))
      return { errorClass: 'http_protocol', message: describe('http_protocol', e) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { errorClass: 'internal', message: `unexpected error: ${message}` };
}

function describe(cls: ErrorClass, e: Error): string {
  const code = (e as { code?: string }).code ?? '';
  const text = e.message.includes(code) ? e.message : `${code}: ${e.message}`;
  switch (cls) {
    case 'dns':
      return `DNS lookup failed (${text})`;
    case 'connect_refused':
      return `connection refused (${text})`;
    case 'connection_reset':
      return `connection closed by the target (${text})`;
    case 'timeout':
      return `timed out (${text})`;
    case 'http_protocol':
      return code === 'UND_ERR_HEADERS_OVERFLOW'
        ? `response headers over the ${maxHeaderSize} bytes allowed (${text})`
        : `the response broke HTTP (${text})`;
    default:
      return `TLS certificate rejected (${text})`;
  }
}
