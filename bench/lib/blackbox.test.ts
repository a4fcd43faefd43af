import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { blackboxConfig } from './blackbox.js';

describe('blackboxConfig', () => {
  it('declares the http_2xx module Prometheus drives, over IPv4 with the bench timeout', () => {
    expect(parse(blackboxConfig(5_000))).toEqual({
      modules: {
        http_2xx: {
          prober: 'http',
          timeout: '5000ms',
          http: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: false },
        },
      },
    });
  });
});
