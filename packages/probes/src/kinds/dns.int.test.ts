import type { ErrorClass } from '@vigil/core';
import { manualClock, startDnsServer, type DnsServer } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../run-probe.js';
import { probeSpec } from '../testing/probes.js';

let server: DnsServer;
const ctx = { env: {}, clock: manualClock(), region: 'local', slotAt: 0, workerId: 'w1' };

beforeAll(async () => {
  server = await startDnsServer({
    records: {
      'api.vigil.test': { A: ['127.0.0.1', '127.0.0.2'], AAAA: ['::1', '2001:db8::7'], TXT: ['v=spf1 -all'] },
      'www.vigil.test': { CNAME: 'api.vigil.test' },
      'long.vigil.test': { TXT: ['x'.repeat(300)] },
      'empty.vigil.test': {},
    },
    silent: ['slow.vigil.test'],
  });
});
afterAll(() => server.close());

const dns = (spec: Record<string, unknown>, expect: unknown = {}, timeoutMs = 2000) =>
  runProbe(probeSpec('dns', { server: server.address, ...spec }, expect, timeoutMs), ctx);

describe('dns probe', () => {
  it.each([
    ['A', 'api.vigil.test', { answers: ['127.0.0.2', '127.0.0.1'] }],
    ['A', 'www.vigil.test', { contains: '127.0.0.1' }],
    ['AAAA', 'api.vigil.test', { contains: ['2001:db8::7', '::1'] }],
    ['CNAME', 'www.vigil.test', { answers: ['API.vigil.test.'] }],
    ['TXT', 'api.vigil.test', { answers: ['v=spf1 -all'] }],
    ['TXT', 'long.vigil.test', { answers: ['x'.repeat(300)] }],
  ])('resolves %s %s to the expected answers', async (type, name, expectation) => {
    const r = await dns({ name, type }, { ...expectation, responseTime: '< 1s' });
    expect(r.assertions.filter((a) => !a.ok)).toEqual([]);
    expect(r.outcome).toBe('up');
    expect(r.phases.dnsMs).toBe(r.phases.totalMs);
  });

  it('asks the configured resolver', async () => {
    await dns({ name: 'api.vigil.test', type: 'TXT' });
    expect(server.queries.at(-1)).toEqual({ name: 'api.vigil.test', type: 'TXT' });
  });

  it.each<[string, ErrorClass, Record<string, unknown>, string]>([
    [
      'a name that does not exist',
      'dns',
      { name: 'nope.vigil.test' },
      'nope.vigil.test does not exist (NXDOMAIN)',
    ],
    [
      'a name without records of the type',
      'dns',
      { name: 'empty.vigil.test' },
      'expected answer at least one A record, got none',
    ],
    ['a resolver that never answers', 'timeout', { name: 'slow.vigil.test' }, 'no DNS answer within 300ms'],
  ])('is down for %s with %s', async (_name, errorClass, spec, message) => {
    const r = await dns(spec, {}, 300);
    expect(r).toMatchObject({ outcome: 'down', errorClass, message });
    expect(r.phases.totalMs).toBeLessThan(800);
  });

  it('says which answers were expected and which came back', async () => {
    const r = await dns({ name: 'api.vigil.test' }, { contains: '10.0.0.1' });
    expect(r).toMatchObject({
      outcome: 'down',
      errorClass: 'assertion_failed',
      message: 'expected answer to include ["10.0.0.1"], got ["127.0.0.1", "127.0.0.2"]',
    });
  });

  it('rejects a resolver address that is not host:port', () => {
    const r = probeSpec('dns', { name: 'a.test', server: 'dns.google' });
    return expect(runProbe(r, ctx)).resolves.toMatchObject({ errorClass: 'internal' });
  });
});
