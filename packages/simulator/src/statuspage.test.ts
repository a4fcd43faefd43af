import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { demoScenario } from './demo.js';
import { startSimulator } from './simulator.js';
import { statuspageSummary, stripeStatuspage } from './statuspage.js';

const S = 1000;
const START = Date.parse('2025-03-04T10:00:00Z');
type Summary = {
  status: { indicator: string };
  components: { name: string; status: string }[];
  incidents: {
    id: string;
    name: string;
    status: string;
    impact: string;
    created_at: string;
    incident_updates: unknown[];
  }[];
};
const at = (ms: number) => statuspageSummary(stripeStatuspage, START, START + ms) as Summary;

describe("the simulator's Statuspage summary.json", () => {
  it('declares the Stripe incident 35 s into each demo outage, with its updates so far, until 90 s after it', () => {
    expect(at(94 * S).incidents).toEqual([]);
    expect(at(94 * S).status.indicator).toBe('none');
    const early = at(100 * S);
    expect(early.status.indicator).toBe('major');
    expect(early.incidents).toHaveLength(1);
    expect(early.incidents[0]).toMatchObject({
      id: 'sim-stripe-api-1',
      name: 'Elevated API error rates',
      status: 'investigating',
      impact: 'major',
      created_at: '2025-03-04T10:01:35.000Z',
    });
    expect(early.components.find((c) => c.name === 'API')?.status).toBe('partial_outage');
    expect(early.components.find((c) => c.name === 'Dashboard')?.status).toBe('operational');
    expect(at(140 * S).incidents[0]).toMatchObject({ status: 'identified' });
    expect(at(140 * S).incidents[0]!.incident_updates).toHaveLength(2);
    expect(at(240 * S).incidents).toEqual([]);
    // the next outage is a new incident
    expect(at(460 * S).incidents[0]).toMatchObject({ id: 'sim-stripe-api-2' });
  });

  it('answers a matching If-None-Match with 304 and a changed page with 200 and a new ETag', async () => {
    let now = START;
    const sim = await startSimulator({ clock: { now: () => now }, routes: demoScenario() });
    try {
      const url = `${sim.httpUrl}/stripe-status/api/v2/summary.json`;
      const first = await request(url);
      const etag = first.headers.etag as string;
      expect(first.statusCode).toBe(200);
      expect(((await first.body.json()) as Summary).status.indicator).toBe('none');
      now += 30 * S;
      const same = await request(url, { headers: { 'if-none-match': etag } });
      expect(same.statusCode).toBe(304);
      await same.body.text();
      now = START + 100 * S;
      const changed = await request(url, { headers: { 'if-none-match': etag } });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(((await changed.body.json()) as Summary).incidents).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });
});
