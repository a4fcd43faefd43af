import dns from 'node:dns';
import { startDnsServer, type DnsServer } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsLookupError, parseHosts, resolveHost } from './resolve.js';

let server: DnsServer;
let systemServers: string[];
const signal = new AbortController().signal;

beforeAll(async () => {
  server = await startDnsServer({
    records: {
      'both.vigil.test': { AAAA: ['2001:db8::1'], A: ['192.0.2.1', '192.0.2.2'] },
      'v6.vigil.test': { AAAA: ['2001:db8::6'] },
      'empty.vigil.test': {},
    },
    silent: ['hangs.vigil.test'],
  });
  systemServers = dns.getServers();
  dns.setServers([server.address]);
});
afterAll(async () => {
  dns.setServers(systemServers);
  await server.close();
});

describe('resolveHost', () => {
  it.each([
    ['127.0.0.1', [{ address: '127.0.0.1', family: 4 }]],
    ['[::1]', [{ address: '::1', family: 6 }]],
    ['both.vigil.test', ['192.0.2.1', '192.0.2.2', '2001:db8::1']],
    ['v6.vigil.test', ['2001:db8::6']],
  ])('resolves %s, IPv4 first', async (name, want) => {
    const got = await resolveHost(name, 0, 1_000, signal);
    expect(typeof want[0] === 'string' ? got.map((a) => a.address) : got).toEqual(want);
  });

  it('asks only for the family the connection wants', async () => {
    expect(await resolveHost('both.vigil.test', 6, 1_000, signal)).toEqual([
      { address: '2001:db8::1', family: 6 },
    ]);
  });

  it('answers localhost from the hosts file or as loopback (RFC 6761), without asking DNS', async () => {
    const before = server.queries.length;
    const got = await resolveHost('localhost', 4, 1_000, signal);
    expect(got[0]).toEqual({ address: '127.0.0.1', family: 4 });
    expect(server.queries.length).toBe(before);
  });

  it.each([
    ['nope.vigil.test', 'nope.vigil.test does not exist (NXDOMAIN)'],
    ['empty.vigil.test', 'empty.vigil.test has no A or AAAA record'],
    ['x.invalid', 'x.invalid does not exist (NXDOMAIN: a special-use name, RFC 6761)'],
  ])('fails for %s: %s', async (name, message) => {
    const err = await resolveHost(name, 0, 1_000, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DnsLookupError);
    expect((err as Error).message).toBe(message);
  });

  it('gives up after its own timeout when the resolver never answers', async () => {
    const err = await resolveHost('hangs.vigil.test', 0, 200, signal).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ETIMEOUT' });
  });

  it('stops at once when the run is aborted', async () => {
    const ac = new AbortController();
    const pending = resolveHost('hangs.vigil.test', 0, 10_000, ac.signal).catch((e: unknown) => e);
    setTimeout(() => ac.abort(), 20);
    const t0 = Date.now();
    expect(await pending).toBeInstanceOf(DnsLookupError);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});

describe('parseHosts', () => {
  it('reads names case-insensitively, IPv4 first, skipping comments and junk', () => {
    const hosts = parseHosts(
      [
        '# comment',
        '::1        api.example  # v6',
        '10.0.0.1   API.Example. alias',
        'not-an-ip  broken',
        '',
        '10.0.0.1   api.example',
      ].join('\n'),
    );
    expect(hosts.get('api.example')).toEqual([
      { address: '10.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(hosts.get('alias')).toEqual([{ address: '10.0.0.1', family: 4 }]);
    expect(hosts.has('broken')).toBe(false);
  });
});
