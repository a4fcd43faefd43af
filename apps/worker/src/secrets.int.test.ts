import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProbeSpec } from '@vigil/core';
import { ensurePartitions, insertResults, migrate, openDb, queryResults, type DbHandle } from '@vigil/db';
import { runProbe } from '@vigil/probes';
import { createTestDatabase, manualClock, type TestDatabase } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'sk_live_"q/u+o=t%e&d<s>3cr3t-0123456789';
const SLOT = Date.parse('2025-03-01T10:00:00Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Every 8-character piece of every form of the secret found in `text`. */
function leaks(text: string): string[] {
  const forms = [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), b64(SECRET)];
  const found = new Set<string>();
  for (const f of forms)
    for (let i = 0; i + 8 <= f.length; i++)
      if (text.includes(f.slice(i, i + 8))) found.add(f.slice(i, i + 8));
  return [...found];
}

const probe = (id: string, url: string, expect: unknown = {}): ProbeSpec => ({
  id,
  name: id,
  provider: 'acme',
  service: 'search',
  critical: false,
  schedule: { type: 'interval', everyMs: 60_000 },
  timeoutMs: 3_000,
  regions: ['eu-west'],
  sloTarget: 0.98,
  labels: {},
  runbook: null,
  kind: 'http',
  spec: { url, auth: { bearer: '${env:KEY}' } },
  expect,
  source: { file: 'probes/p.yaml', line: 1, col: 1 },
});

let db: TestDatabase;
let h: DbHandle;
let leaky: Server;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase('vigil_worker');
  h = await openDb({ url: db.url });
  await migrate(h);
  await ensurePartitions(h.db, new Date(SLOT), 0);
  // a target that puts the bearer token it received into its answers, escaped, encoded or cut
  leaky = createServer((req, res) => {
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (req.url === '/json')
      return res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ key }));
    if (req.url === '/base64') return res.writeHead(401).end(`token ${b64(key)} revoked`);
    if (req.url === '/cut') return res.writeHead(500).end(`${'x'.repeat(190)} ${key}`);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ echo: `${'y'.repeat(100)}${key}` }));
  });
  await new Promise<void>((resolve) => leaky.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => leaky.close(() => resolve()));
  await h.close();
  await db.drop();
});

describe('a probe result stored in Postgres', () => {
  it('holds no form of a secret the target echoed, escaped, encoded or cut at an edge', async () => {
    const ctx = {
      env: { KEY: SECRET },
      clock: manualClock(SLOT),
      region: 'eu-west',
      slotAt: SLOT,
      workerId: 'w',
    };
    const probes = [
      probe('json', `${base}/json`),
      probe('base64', `${base}/base64`),
      probe('cut', `${base}/cut`),
      probe('assertion', `${base}/assertion`, { json: { '$.echo': 'x' } }),
    ];
    const results = await Promise.all(probes.map((p) => runProbe(p, ctx)));
    expect(await insertResults(h.db, results)).toBe(4);

    const rows = await queryResults(h.db, { from: new Date(SLOT), to: new Date(SLOT + 1) });
    expect(rows.map((r) => [r.probeId, r.outcome])).toEqual([
      ['assertion', 'down'],
      ['base64', 'down'],
      ['cut', 'down'],
      ['json', 'down'],
    ]);
    for (const r of rows) expect(JSON.stringify(r)).toContain('[REDACTED]');
    expect(leaks(JSON.stringify(rows))).toEqual([]);
  });
});
