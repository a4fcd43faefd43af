import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';

/** The records of one name; a name without a record of the asked type answers NOERROR with no data. */
export interface DnsRecordSet {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
  TXT?: string[];
  /** @defaultValue 60 */
  ttl?: number;
}

export interface DnsServerOptions {
  /** by name (case-insensitive, no trailing dot); any other name is NXDOMAIN */
  records: Record<string, DnsRecordSet>;
  /** names the server receives queries for and never answers (to exercise resolver timeouts) */
  silent?: string[];
  /** @defaultValue '127.0.0.1' */
  host?: string;
}

export interface DnsServer {
  host: string;
  port: number;
  /** `host:port`, as a resolver address (`[::1]:port` for IPv6) */
  address: string;
  /** every question received, in order */
  queries: { name: string; type: string }[];
  close(): Promise<void>;
}

const TYPES: Record<number, keyof Omit<DnsRecordSet, 'ttl'>> = { 1: 'A', 5: 'CNAME', 16: 'TXT', 28: 'AAAA' };
const CODES = { A: 1, CNAME: 5, TXT: 16, AAAA: 28 } as const;
const NXDOMAIN = 3;
const FORMERR = 1;

/** A tiny authoritative UDP DNS server for A, AAAA, CNAME and TXT, on an ephemeral port. */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const host = options.host ?? '127.0.0.1';
  const records = new Map(Object.entries(options.records).map(([k, v]) => [normalize(k), v]));
  const silent = new Set((options.silent ?? []).map(normalize));
  const queries: DnsServer['queries'] = [];
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    const q = parseQuestion(msg);
    if (q === null) {
      if (msg.length >= 2) socket.send(header(msg, FORMERR, 0, 0), from.port, from.address);
      return;
    }
    queries.push({ name: q.name, type: TYPES[q.type] ?? String(q.type) });
    if (silent.has(q.name)) return;
    socket.send(answer(msg, q, records), from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = socket.address().port;
  return {
    host,
    port,
    address: isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

interface Question {
  name: string;
  type: number;
  /** byte offset just after the question section */
  end: number;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function parseQuestion(msg: Buffer): Question | null {
  if (msg.length < 12 || msg.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length) {
    const len = msg[i]!;
    if (len === 0) break;
    if (len > 63 || i + 1 + len > msg.length) return null;
    labels.push(msg.toString('latin1', i + 1, i + 1 + len));
    i += 1 + len;
  }
  if (i + 5 > msg.length) return null;
  return { name: normalize(labels.join('.')), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

function header(query: Buffer, rcode: number, qd: number, an: number): Buffer {
  const h = Buffer.alloc(12);
  query.copy(h, 0, 0, 2);
  const rd = query.length > 2 ? query[2]! & 0x01 : 0;
  h[2] = 0x80 | 0x04 | rd; // QR, AA, RD copied
  h[3] = 0x80 | rcode; // RA
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  return h;
}

function answer(query: Buffer, q: Question, records: Map<string, DnsRecordSet>): Buffer {
  const question = query.subarray(12, q.end);
  if (!records.has(q.name)) return Buffer.concat([header(query, NXDOMAIN, 1, 0), question]);
  const rrs: Buffer[] = [];
  const wanted = TYPES[q.type];
  let owner = q.name;
  for (let hops = 0; hops < 8 && wanted; hops++) {
    const set = records.get(owner);
    if (!set) break;
    const ttl = set.ttl ?? 60;
    if (wanted !== 'CNAME' && set[wanted] !== undefined) {
      for (const value of set[wanted] ?? []) rrs.push(rr(owner, q.name, wanted, ttl, value));
      break;
    }
    if (set.CNAME === undefined) break;
    rrs.push(rr(owner, q.name, 'CNAME', ttl, set.CNAME));
    if (wanted === 'CNAME') break;
    owner = normalize(set.CNAME);
  }
  return Buffer.concat([header(query, 0, 1, rrs.length), question, ...rrs]);
}

function rr(owner: string, qname: string, type: keyof typeof CODES, ttl: number, value: string): Buffer {
  const name = owner === qname ? Buffer.from([0xc0, 0x0c]) : encodeName(owner);
  const data = rdata(type, value);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(CODES[type], 0);
  fixed.writeUInt16BE(1, 2); // class IN
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([name, fixed, data]);
}

function rdata(type: keyof typeof CODES, value: string): Buffer {
  switch (type) {
    case 'A':
      if (!isIPv4(value)) throw new TypeError(`not an IPv4 address: ${value}`);
      return Buffer.from(value.split('.').map(Number));
    case 'AAAA':
      return ipv6Bytes(value);
    case 'CNAME':
      return encodeName(normalize(value));
    case 'TXT': {
      const bytes = Buffer.from(value, 'utf8');
      const chunks: Buffer[] = [];
      for (let i = 0; i === 0 || i < bytes.length; i += 255) {
        const part = bytes.subarray(i, i + 255);
        chunks.push(Buffer.from([part.length]), part);
      }
      return Buffer.concat(chunks);
    }
  }
}

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter((l) => l.length > 0);
  return Buffer.concat([
    ...parts.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
    Buffer.from([0]),
  ]);
}

function ipv6Bytes(text: string): Buffer {
  if (!isIPv6(text) || text.includes('.')) throw new TypeError(`not a plain IPv6 address: ${text}`);
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
