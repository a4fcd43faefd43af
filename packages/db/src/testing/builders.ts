import type { ProbeResult } from '@vigil/core';

/** A full, down result with every field set, so a round trip checks every column. */
export function result(over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    probeId: 'stripe-balance',
    region: 'eu-west',
    slotAt: Date.parse('2025-03-01T10:00:07.000Z'),
    startedAt: Date.parse('2025-03-01T10:00:07.012Z'),
    phases: {
      dnsMs: 1.234567,
      connectMs: 10.5,
      tlsMs: 22.123456789,
      ttfbMs: 180.25,
      transferMs: 3.1,
      totalMs: 217.2,
    },
    outcome: 'down',
    httpStatus: 503,
    errorClass: 'http_status',
    message: 'expected status 200, got 503',
    assertions: [
      { name: 'status', ok: false, expected: '200', actual: '503', message: 'expected status 200, got 503' },
    ],
    retryAfterS: null,
    tlsDaysLeft: 41,
    workerId: 'worker-eu-1',
    ...over,
  };
}
