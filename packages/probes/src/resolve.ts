import dns, { type LookupAddress } from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

/** RFC 8305 §3 "Resolution Delay": once one family has answered, the other gets this long to catch up. */
export const RESOLUTION_DELAY_MS = 50;
const HOSTS_FILE = '/etc/hosts';
const HOSTS_RECHECK_MS = 5_000;

export type Family = 0 | 4 | 6;

/** A name that could not be resolved; `code` is ETIMEOUT when the resolver ran out of time. */
export class DnsLookupError extends Error {
  constructor(
    readonly hostname: string,
    reason: string,
    readonly code: 'DNS_FAILED' | 'ETIMEOUT' = 'DNS_FAILED',
    options?: { cause?: unknown },
  ) {
    super(`${hostname} ${reason}`, options);
  }
}

/**
 * The addresses of `hostname` for a connection, IPv4 first. Order of precedence: IP literals, the hosts file,
 * RFC 6761 names (`localhost`, `*.invalid`), then DNS through c-ares with the servers of node's resolver
 * (`/etc/resolv.conf`, or `dns.setServers`): it runs on the event loop, gives up after `timeoutMs` and
 * stops when `signal` aborts, where getaddrinfo would hold one of libuv's few threadpool threads for the
 * system resolver's own timeout. Only when DNS says the name does not exist is getaddrinfo asked too
 * (search domains, nsswitch modules such as mDNS): the resolver has just answered, so it is quick.
 */
export async function resolveHost(
  hostname: string,
  family: Family,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<LookupAddress[]> {
  const name = hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(name);
  if (literal !== 0) return [{ address: name, family: literal }];
  const lower = name.toLowerCase().replace(/\.$/, '');
  const fromHosts = ofFamily(hostsFile().get(lower) ?? [], family);
  if (fromHosts.length > 0) return fromHosts;
  if (lower === 'localhost' || lower.endsWith('.localhost'))
    return ofFamily(
      [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
      family,
    );
  if (lower === 'invalid' || lower.endsWith('.invalid'))
    throw new DnsLookupError(name, 'does not exist (NXDOMAIN: a special-use name, RFC 6761)');
  const answers = await queryDns(name, family, timeoutMs, signal);
  if (answers.addresses.length > 0) return answers.addresses;
  if (!answers.absent) throw answers.error;
  // DNS's own answer says more than getaddrinfo's after it ("no AAAA record" rather than "not found")
  return systemResolve(name, family).catch(() => {
    throw answers.error;
  });
}

interface DnsAnswers {
  addresses: LookupAddress[];
  /** every family answered NXDOMAIN or "no records" */
  absent: boolean;
  error: DnsLookupError;
}

function queryDns(name: string, family: Family, timeoutMs: number, signal: AbortSignal): Promise<DnsAnswers> {
  const resolver = new dns.Resolver({
    timeout: Math.min(2 ** 31 - 1, Math.max(1, Math.ceil(timeoutMs))),
    tries: 1,
  });
  resolver.setServers(systemServers());
  const families = family === 0 ? ([4, 6] as const) : ([family] as const);
  return new Promise((resolve) => {
    const got = new Map<4 | 6, string[] | Error>();
    let grace: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(grace);
      signal.removeEventListener('abort', finish);
      resolver.cancel();
      const addresses = families.flatMap((f) => {
        const v = got.get(f);
        return Array.isArray(v) ? v.map((address) => ({ address, family: f })) : [];
      });
      const errors = [...got.values()].filter((v): v is Error => v instanceof Error);
      const absent = errors.length === families.length && errors.every((e) => isAbsent(e));
      const worst = errors.find((e) => !isAbsent(e)) ?? errors[0];
      resolve({ addresses, absent, error: dnsError(name, worst ?? new Error('cancelled')) });
    };
    const answer = (f: 4 | 6) => (err: Error | null, addresses: string[]) => {
      if (done) return;
      got.set(f, err ?? addresses);
      if (got.size === families.length) finish();
      else if (err === null && addresses.length > 0) grace ??= setTimeout(finish, RESOLUTION_DELAY_MS);
    };
    signal.addEventListener('abort', finish, { once: true });
    if (signal.aborted) return finish();
    for (const f of families) {
      if (f === 4) resolver.resolve4(name, answer(4));
      else resolver.resolve6(name, answer(6));
    }
  });
}

const isAbsent = (e: Error): boolean => {
  const code = (e as { code?: unknown }).code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
};

function dnsError(name: string, err: unknown): DnsLookupError {
  const code = (err as { code?: unknown }).code;
  const text = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  if (code === 'ENOTFOUND')
    return new DnsLookupError(name, 'does not exist (NXDOMAIN)', 'DNS_FAILED', { cause: err });
  if (code === 'ENODATA')
    return new DnsLookupError(name, 'has no A or AAAA record', 'DNS_FAILED', { cause: err });
  if (code === 'ETIMEOUT')
    return new DnsLookupError(name, 'got no DNS answer in time', 'ETIMEOUT', { cause: err });
  return new DnsLookupError(name, `could not be resolved (${text})`, 'DNS_FAILED', { cause: err });
}

function systemResolve(name: string, family: Family): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dns.lookup(name, { family, all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
}

/** Read through the module object: `dns.setServers` replaces its methods, so a named import would be stale. */
export const systemServers = (): string[] => dns.getServers();

const ofFamily = (list: LookupAddress[], family: Family): LookupAddress[] =>
  family === 0 ? list : list.filter((a) => a.family === family);

let hosts: { checkedAt: number; mtimeMs: number; byName: Map<string, LookupAddress[]> } | null = null;

/** The hosts file by lower-case name, IPv4 first; re-read when it changed (checked every few seconds). */
function hostsFile(now = Date.now()): Map<string, LookupAddress[]> {
  if (hosts !== null && now - hosts.checkedAt < HOSTS_RECHECK_MS) return hosts.byName;
  const mtimeMs = statSync(HOSTS_FILE, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (hosts !== null && hosts.mtimeMs === mtimeMs) {
    hosts.checkedAt = now;
    return hosts.byName;
  }
  hosts = { checkedAt: now, mtimeMs, byName: mtimeMs < 0 ? new Map() : parseHosts(readHosts()) };
  return hosts.byName;
}

function readHosts(): string {
  try {
    return readFileSync(HOSTS_FILE, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EACCES') return '';
    throw err;
  }
}

export function parseHosts(text: string): Map<string, LookupAddress[]> {
  const byName = new Map<string, LookupAddress[]>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const family = isIP(address ?? '');
    if (address === undefined || family === 0) continue;
    for (const n of names) {
      const key = n.toLowerCase().replace(/\.$/, '');
      const list = byName.get(key) ?? [];
      if (!list.some((a) => a.address === address)) list.push({ address, family });
      byName.set(key, list);
    }
  }
  for (const list of byName.values()) list.sort((a, b) => a.family - b.family);
  return byName;
}
