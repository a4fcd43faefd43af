import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One incident a simulated provider declares on a timetable (relative to the simulator's start). */
export interface ScriptedIncident {
  id: string;
  name: string;
  impact: 'minor' | 'major' | 'critical';
  /** names of the page's components it affects */
  components: string[];
  /** declared from this long after the start… */
  offsetMs: number;
  /** …for this long (then it leaves the summary, as Statuspage's resolved incidents do) */
  durationMs: number;
  /** repeats every `periodMs`; 0 or absent: once */
  periodMs?: number;
  /** the provider's posts, each this long after the declaration; the first sets its initial status */
  updates: { afterMs: number; status: 'investigating' | 'identified' | 'monitoring'; body: string }[];
}

/** An Atlassian Statuspage (`/api/v2/summary.json`) whose declarations follow a script. */
export interface StatuspageScript {
  name: string;
  /** the page's public URL, as `page.url` */
  url: string;
  components: string[];
  incidents: ScriptedIncident[];
}

const COMPONENT_STATUS = {
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
} as const;
const RANK = { none: 0, minor: 1, major: 2, critical: 3 } as const;
const INDICATOR_TEXT = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
} as const;

const iso = (ms: number) => new Date(ms).toISOString();
const slug = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 12);

/**
 * The page's summary.json at `now` for a simulator started at `startedAt`, in Statuspage's shape: the
 * incidents standing now (each occurrence of a repeating one has its own id), their updates so far
 * (newest first), the components they affect at the status their impact gives, the overall indicator.
 * Pure.
 */
export function statuspageSummary(script: StatuspageScript, startedAt: number, now: number): unknown {
  const elapsed = now - startedAt;
  const pageId = slug(script.name);
  const affected = new Map<string, keyof typeof COMPONENT_STATUS>();
  let worst: keyof typeof RANK = 'none';
  const incidents: unknown[] = [];
  for (const inc of script.incidents) {
    const since = elapsed - inc.offsetMs;
    if (since < 0) continue;
    const k = inc.periodMs ? Math.floor(since / inc.periodMs) : 0;
    const into = inc.periodMs ? since % inc.periodMs : since;
    if (into >= inc.durationMs) continue;
    const at = startedAt + inc.offsetMs + k * (inc.periodMs ?? 0);
    const id = `${inc.id}${inc.periodMs ? `-${k + 1}` : ''}`;
    const posted = inc.updates.filter((u) => u.afterMs <= into).sort((a, b) => b.afterMs - a.afterMs);
    const status = posted[0]?.status ?? 'investigating';
    for (const c of inc.components) {
      const prev = affected.get(c);
      if (!prev || RANK[inc.impact] > RANK[prev]) affected.set(c, inc.impact);
    }
    if (RANK[inc.impact] > RANK[worst]) worst = inc.impact;
    incidents.push({
      id,
      name: inc.name,
      status,
      created_at: iso(at),
      updated_at: iso(at + (posted[0]?.afterMs ?? 0)),
      monitoring_at: null,
      resolved_at: null,
      impact: inc.impact,
      shortlink: `${script.url}/incidents/${id}`,
      started_at: iso(at),
      page_id: pageId,
      incident_updates: posted.map((u, i) => ({
        id: `${id}-u${posted.length - i}`,
        status: u.status,
        body: u.body,
        incident_id: id,
        created_at: iso(at + u.afterMs),
        updated_at: iso(at + u.afterMs),
        display_at: iso(at + u.afterMs),
        affected_components: null,
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      })),
      components: inc.components.map((name) => ({
        id: slug(`${script.name}/${name}`),
        name,
        status: COMPONENT_STATUS[inc.impact],
      })),
    });
  }
  return {
    page: {
      id: pageId,
      name: script.name,
      url: script.url,
      time_zone: 'Etc/UTC',
      updated_at: iso(now),
    },
    components: script.components.map((name, i) => {
      const impact = affected.get(name);
      return {
        id: slug(`${script.name}/${name}`),
        name,
        status: impact ? COMPONENT_STATUS[impact] : 'operational',
        created_at: iso(startedAt),
        updated_at: iso(startedAt),
        position: i + 1,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: pageId,
        group: false,
        only_show_if_degraded: false,
      };
    }),
    incidents,
    scheduled_maintenances: [],
    status: { indicator: worst, description: INDICATOR_TEXT[worst] },
  };
}

/**
 * Serves the summary with an ETag of its declarations (not of `page.updated_at`, which moves every
 * request): a request whose If-None-Match matches gets a bodiless 304, as a real Statuspage's CDN answers.
 */
export function serveStatuspage(
  script: StatuspageScript,
  startedAt: number,
  now: number,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const doc = statuspageSummary(script, startedAt, now) as { page: Record<string, unknown> };
  const etag = `"${slug(JSON.stringify({ ...doc, page: { ...doc.page, updated_at: null } }))}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag });
    res.end();
    return;
  }
  const body = JSON.stringify(doc);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    etag,
    'cache-control': 'max-age=60',
  });
  res.end(body);
}

const MIN = 60_000;

/**
 * Stripe's page in the demo: its API is declared degraded a little after the demo's Stripe outage starts
 * (which Vigil detects within ~30 s) and stays declared a while after it ends, every 6 minutes in step
 * with the outage (demoScenario: 503s for 90 s every 6 min from 1 min).
 */
export const stripeStatuspage: StatuspageScript = {
  name: 'Stripe',
  url: 'https://status.stripe.example',
  components: ['API', 'Dashboard', 'Checkout', 'Webhooks'],
  incidents: [
    {
      id: 'sim-stripe-api',
      name: 'Elevated API error rates',
      impact: 'major',
      components: ['API', 'Checkout'],
      offsetMs: 95_000,
      durationMs: 145_000,
      periodMs: 6 * MIN,
      updates: [
        {
          afterMs: 0,
          status: 'investigating',
          body: 'We are investigating elevated error rates on API requests.',
        },
        {
          afterMs: 40_000,
          status: 'identified',
          body: 'The cause has been identified and a fix is being rolled out.',
        },
        {
          afterMs: 100_000,
          status: 'monitoring',
          body: 'A fix has been deployed; we are monitoring the results.',
        },
      ],
    },
  ],
};
