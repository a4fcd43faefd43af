import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VigilConfig } from '@vigil/config';
import { declarationsBetween, deleteOldDeclarations, openDb, statusPolls, type DbHandle } from '@vigil/db';
import { readDeclarationHistory, readDeclarations } from '@vigil/evaluation';
import { manualClock, type ManualClock } from '@vigil/testing';
import { config, spec } from '../testing/builders.js';
import { testDb } from '../testing/db.js';
import { createStatusPagePoller, type StatusPageEvent } from './poller.js';

const MIN = 60_000;
const T0 = Date.parse('2025-03-04T10:00:00Z');

const calm = {
  page: { id: 'sp', name: 'Stripe', url: 'https://status.stripe.com', updated_at: '2025-03-04T09:00:00Z' },
  components: [
    { id: 'c1', name: 'API', status: 'operational', group: false },
    { id: 'c2', name: 'Dashboard', status: 'operational', group: false },
  ],
  incidents: [],
  scheduled_maintenances: [],
  status: { indicator: 'none', description: 'All Systems Operational' },
};
const incident = {
  id: 'inc_sp_1',
  name: 'Elevated API error rates',
  status: 'investigating',
  impact: 'major',
  created_at: '2025-03-04T10:04:00Z',
  started_at: '2025-03-04T10:04:00Z',
  updated_at: '2025-03-04T10:12:00Z',
  resolved_at: null,
  shortlink: 'https://stspg.io/sp1',
  incident_updates: [
    {
      id: 'u1',
      status: 'investigating',
      body: 'We are investigating elevated error rates.',
      display_at: '2025-03-04T10:04:00Z',
      created_at: '2025-03-04T10:04:00Z',
    },
    {
      id: 'u2',
      status: 'identified',
      body: 'Cause identified.',
      display_at: '2025-03-04T10:12:00Z',
      created_at: '2025-03-04T10:12:00Z',
    },
  ],
  components: [{ id: 'c1', name: 'API', status: 'partial_outage' }],
};
const declaring = {
  ...calm,
  components: [{ ...calm.components[0], status: 'partial_outage' }, calm.components[1]],
  incidents: [incident],
  status: { indicator: 'major', description: 'Partial System Outage' },
};

/** A status page server: the body and ETag it serves, 304 when the request's If-None-Match matches. */
interface Page {
  url: string;
  body: string;
  etag: string;
  requests: { ifNoneMatch: string | undefined }[];
  close(): Promise<void>;
}
async function startPage(): Promise<Page> {
  const page = { body: JSON.stringify(calm), etag: '"v1"', requests: [] as Page['requests'] } as Page;
  const server: Server = createServer((req: IncomingMessage, res) => {
    page.requests.push({ ifNoneMatch: req.headers['if-none-match'] });
    if (req.headers['if-none-match'] === page.etag) {
      res.writeHead(304, { etag: page.etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag: page.etag });
    res.end(page.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  page.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/summary.json`;
  page.close = () => new Promise<void>((r) => server.close(() => r()));
  return page;
}

describe('status page poller (real Postgres, a local summary.json)', () => {
  let db: Awaited<ReturnType<typeof testDb>>;
  let page: Page;
  let clock: ManualClock;
  let cfg: VigilConfig;
  let events: StatusPageEvent[];
  beforeEach(async () => {
    db = await testDb('postgres');
    page = await startPage();
    clock = manualClock(T0);
    events = [];
    cfg = {
      ...config([spec()]),
      providers: {
        stripe: {
          name: 'Stripe',
          statusPage: {
            url: page.url,
            format: 'statuspage',
            interval: 2 * MIN,
            timeout: 5_000,
            excludeDeclaredMaintenance: false,
          },
        },
      },
    };
  });
  afterEach(async () => {
    await page.close();
    await db.cleanup();
  });

  const poller = (h: DbHandle, holder = 'a') =>
    createStatusPagePoller({
      db: h.db,
      config: () => cfg,
      clock,
      env: {},
      holder,
      onEvent: (e) => events.push(e),
    });

  it('polls once per interval across evaluators, conditionally: a 304 costs nothing and keeps the declarations', async () => {
    const second = await openDb({ url: db.url!, poolSize: 2 });
    try {
      const a = poller(db.h);
      const b = poller(second, 'b');
      expect(await a.tick()).toEqual([
        { provider: 'stripe', outcome: 'updated', started: 0, ended: 0, declarations: 0 },
      ]);
      // the other replica finds the poll claimed until the interval has passed
      expect(await b.tick()).toEqual([]);
      clock.advance(MIN);
      expect(await a.tick()).toEqual([]);
      expect(page.requests).toHaveLength(1);

      // the page declares an incident (new body and ETag)
      page.body = JSON.stringify(declaring);
      page.etag = '"v2"';
      clock.advance(MIN);
      expect(await b.tick()).toEqual([
        { provider: 'stripe', outcome: 'updated', started: 1, ended: 0, declarations: 1 },
      ]);
      expect(page.requests[1]).toEqual({ ifNoneMatch: '"v1"' });
      let view = (await readDeclarations(db.h.db, cfg, clock.now())).get('stripe')!;
      expect(view.items).toEqual([
        {
          kind: 'incident',
          title: 'Elevated API error rates',
          impact: 'major',
          status: 'investigating',
          since: Date.parse('2025-03-04T10:04:00Z'),
          lastUpdateAt: Date.parse('2025-03-04T10:12:00Z'),
          endedAt: null,
          url: 'https://stspg.io/sp1',
        },
      ]);
      expect(view).toMatchObject({
        indicator: 'major',
        provider: 'Stripe',
        stale: false,
        checkedAt: T0 + 2 * MIN,
      });

      // unchanged: the server answers 304 to the stored ETag; nothing is rewritten
      clock.advance(2 * MIN);
      expect(await a.tick()).toEqual([{ provider: 'stripe', outcome: 'unchanged' }]);
      expect(page.requests[2]).toEqual({ ifNoneMatch: '"v2"' });
      view = (await readDeclarations(db.h.db, cfg, clock.now())).get('stripe')!;
      expect(view.items.map((i) => i.title)).toEqual(['Elevated API error rates']);
      expect(view.checkedAt).toBe(T0 + 4 * MIN);

      // the incident leaves the page: seen ended at that poll
      page.body = JSON.stringify(calm);
      page.etag = '"v3"';
      clock.advance(2 * MIN);
      expect(await a.tick()).toEqual([
        { provider: 'stripe', outcome: 'updated', started: 0, ended: 1, declarations: 0 },
      ]);
      const rows = await declarationsBetween(db.h.db, { from: new Date(T0), to: new Date(clock.now() + 1) });
      expect(rows.map((r) => [r.externalId, r.firstSeenAt.getTime(), r.endedSeenAt?.getTime()])).toEqual([
        ['inc_sp_1', T0 + 2 * MIN, T0 + 6 * MIN],
      ]);
      expect((await readDeclarations(db.h.db, cfg, clock.now())).get('stripe')!.items).toEqual([]);
      // the history reports read: the provider's incident with when we saw it start and end
      const history = await readDeclarationHistory(db.h.db, cfg, { from: T0, to: clock.now() + 1 });
      expect(history).toEqual([
        expect.objectContaining({
          provider: 'stripe',
          key: 'incident:inc_sp_1',
          since: Date.parse('2025-03-04T10:04:00Z'),
          firstSeenAt: T0 + 2 * MIN,
          endedSeenAt: T0 + 6 * MIN,
          endedAt: T0 + 6 * MIN,
        }),
      ]);
      // retention drops what ended before the cut, nothing standing
      expect(await deleteOldDeclarations(db.h.db, new Date(T0 + 6 * MIN))).toBe(0);
      expect(await deleteOldDeclarations(db.h.db, new Date(T0 + 6 * MIN + 1))).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('bad JSON is a logged error naming the provider and URL, and the last good declarations stand', async () => {
    page.body = JSON.stringify(declaring);
    const p = poller(db.h);
    await p.tick();
    page.body = '<html>502 Bad Gateway</html>';
    page.etag = '"broken"';
    clock.advance(2 * MIN);
    const [out] = await p.tick();
    expect(out).toMatchObject({ provider: 'stripe', outcome: 'failed' });
    expect(events.at(-1)).toMatchObject({ provider: 'stripe', url: page.url, outcome: 'failed' });
    expect((events.at(-1) as { error: string }).error).toMatch(/^not JSON: /);
    const view = (await readDeclarations(db.h.db, cfg, clock.now())).get('stripe')!;
    expect(view.items.map((i) => i.title)).toEqual(['Elevated API error rates']);
    expect(view).toMatchObject({ stale: true, checkedAt: T0 });
    expect(view.lastError).toMatch(/^not JSON/);
    const [poll] = await statusPolls(db.h.db, ['stripe']);
    // the broken answer's ETag is not kept: the next poll asks for the page in full
    expect(poll?.etag).toBe('"v1"');

    // JSON of the wrong shape is refused the same way
    page.body = JSON.stringify({ hello: 'world' });
    clock.advance(2 * MIN);
    expect((await p.tick())[0]).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/expected a Statuspage summary/),
    });
    expect((await readDeclarations(db.h.db, cfg, clock.now())).get('stripe')!.items).toHaveLength(1);
  });

  it('says once which configured components the page does not list', async () => {
    cfg.providers!.stripe!.statusPage!.components = ['API', 'Billing'];
    const p = poller(db.h);
    expect((await p.tick())[0]).toMatchObject({ outcome: 'updated', unknownComponents: ['Billing'] });
    page.etag = '"v1b"';
    clock.advance(2 * MIN);
    expect((await p.tick())[0]).not.toHaveProperty('unknownComponents');
  });
});
