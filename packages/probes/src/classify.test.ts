import { describe, expect, it } from 'vitest';
import { classifyNetworkError } from './classify.js';

const err = (code: string, cause?: Error): Error =>
  Object.assign(new Error(`boom ${code}`, { cause }), { code });

describe('network error classes', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'connect_refused'],
    ['ECONNRESET', 'connection_reset'],
    ['UND_ERR_SOCKET', 'connection_reset'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['CERT_HAS_EXPIRED', 'tls_expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_hostname'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_invalid'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls_invalid'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls_invalid'],
    ['CERT_NOT_YET_VALID', 'tls_invalid'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls_invalid'],
    ['DNS_FAILED', 'dns'],
    ['UND_ERR_HEADERS_OVERFLOW', 'http_protocol'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'http_protocol'],
    ['HPE_INVALID_CONSTANT', 'http_protocol'],
    ['HPE_INVALID_HEADER_TOKEN', 'http_protocol'],
  ])('%s is %s', (code, cls) => {
    expect(classifyNetworkError(err(code)).errorClass).toBe(cls);
  });

  it('looks through wrapping errors to the cause', () => {
    const wrapped = err('UND_ERR_WRAPPED', err('ECONNRESET'));
    expect(classifyNetworkError(wrapped).errorClass).toBe('connection_reset');
  });

  it('calls an unknown failure internal, keeping its text', () => {
    expect(classifyNetworkError(new Error('weird'))).toEqual({
      errorClass: 'internal',
      message: 'unexpected error: weird',
    });
  });
});
