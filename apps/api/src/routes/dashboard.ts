import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Context, MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { apiOf, parseDuration, type VigilConfig } from '@vigil/config';
import { DAY_MS, type Incident } from '@vigil/core';
import {
  acknowledgeIncident,
  createSilence,
  endSilence,
  listIncidents,
  listSilences,
  openIncidents,
  SilenceError,
} from '@vigil/db';
import {
  LATENCY_RANGES,
  isSilenceTarget,
  readDashboard,
  readIncident,
  readLatencySeries,
  readProbeStates,
  readRecentResults,
  silenceTargets,
  type LatencyRange,
} from '@vigil/evaluation';
import type { Mount } from '../app.js';
import { callerOf, requireScope, type Caller } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { writeLimiterOf } from '../api/rate-limit.js';
import { liveFeed, liveIncident, type LiveFeed } from '../live.js';
import { cachedBody } from '../pages/status/cache.js';
import { dropSnapshots, renderedBody, snapshot } from '../snapshot.js';
import { layout, withToken, type PageContext } from '../pages/dashboard/layout.js';
import { html } from '../html.js';
import { dashboardPage, FILTER_KEYS, type ProbeFilter } from '../pages/dashboard/overview.js';
import { probePage } from '../pages/dashboard/probe.js';
import { incidentPage } from '../pages/dashboard/incident.js';

const ASSET_CACHE = 'public, max-age=300';
const require = createRequire(import.meta.url);
const assets: Record<string, { file: () => string; type: string }> = {
  'dashboard.js': {
    file: () => new URL('../../assets/dashboard.js', import.meta.url).pathname,
    type: 'text/javascript; charset=utf-8',
  },
  'dashboard.css': {
    file: () => new URL('../../assets/dashboard.css', import.meta.url).pathname,
    type: 'text/css; charset=utf-8',
  },
  'uplot.js': {
    file: () => require.resolve('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uplot.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};
const assetText = new Map<string, string>();

/** The live feed of each app (one per createApi), for tests to tick. */
const feeds = new WeakMap<ApiDeps, LiveFeed>();
export const liveFeedOf = (deps: ApiDeps): LiveFeed | undefined => feeds.get(deps);

/** The longest silence the dashboard creates. */
const MAX_SILENCE_MS = 30 * DAY_MS;

const FLASH: Record<string, { text: string; error: boolean }> = {
  'silence-created': { text: 'Silence created.', error: false },
  'silence-expired': { text: 'Silence expired.', error: false },
  'silence-missing': { text: 'No such active silence (already expired?).', error: true },
  'silence-target': {
    text: 'Nothing by that name to silence: pick a probe, provider, service, region or open incident.',
    error: true,
  },
  'incident-acknowledged': { text: 'Incident acknowledged: its reminders stop.', error: false },
  'incident-missing': { text: 'No such open incident (resolved already?).', error: true },
  'silence-duration': { text: 'The duration must be like 30m, 2h or 1d, at most 30 days.', error: true },
};

/**
 * The on-call dashboard (private: a `read` caller): `GET /dashboard` (probes with live state, filters as
 * query params, incidents, silences), `GET /dashboard/probes/{id}` (+ `/series?range=` JSON for its chart),
 * `GET /dashboard/incidents/{id}` (one incident: the page alerts link to), `GET /dashboard/events`
 * (Server-Sent Events of state changes), the `write` actions under
 * `/dashboard/actions/…` (HTML forms, POST only, same origin), and the assets under `/assets/`.
 */
export const dashboardMount: Mount = (app, deps) => {
  const feed = liveFeed({
    intervalMs: deps.liveIntervalMs ?? 2_000,
    read: async () => {
      const config = deps.config();
      if (!config) return null;
      const [probes, open] = await Promise.all([readProbeStates(deps.db, config), openIncidents(deps.db)]);
      return { probes, open };
    },
    onError: (err) => deps.log.warn({ err: (err as Error).message }, 'dashboard live feed: read failed'),
  });
  feeds.set(deps, feed);
  const read = requireScope(deps, 'read');
  // the write scope, then the app's write limiter (the JSON API's bucket per caller, shared); a write
  // through this app shows on its next page (see snapshot.ts)
  const write: MiddlewareHandler[] = [
    requireScope(deps, 'write'),
    rateLimited(deps),
    async (_c, next) => {
      await next();
      dropSnapshots(deps);
    },
  ];

  app.get('/assets/:file{(dashboard|uplot)\\.(js|css)}', (c) => {
    const name = c.req.param('file');
    const a = assets[name];
    if (!a) return c.text('Not found', 404);
    let text = assetText.get(name);
    if (text === undefined) assetText.set(name, (text = readFileSync(a.file(), 'utf8')));
    return c.body(text, 200, { 'content-type': a.type, 'cache-control': ASSET_CACHE });
  });

  // one read of the store per snapshot for every caller, one render per snapshot per filter and token
  app.get('/dashboard', read, async (c) => {
    const config = deps.config();
    if (!config) return notReady(c);
    const ctx = pageContext(c, deps);
    const filter = Object.fromEntries(
      FILTER_KEYS.map((k) => [k, c.req.query(k) ?? '']),
    ) as unknown as ProbeFilter;
    const key = JSON.stringify([filter, ctx.token, ctx.canWrite, c.req.query('notice') ?? null]);
    const body = await snapshot(deps, `dashboard:${key}`, config, async () => {
      const view = await snapshot(deps, 'dashboard-view', config, (now) =>
        readDashboard(deps.db, config, now),
      );
      return renderedBody(dashboardPage(ctx, view, filter, silenceTargets(config)).value);
    });
    return cachedBody(c, body, { type: 'text/html; charset=utf-8', ...PRIVATE_PAGE });
  });

  app.get('/dashboard/events', read, (c) => {
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      let writes = Promise.resolve();
      const send = (event: string, data: unknown) => {
        writes = writes.then(() => stream.writeSSE({ event, data: JSON.stringify(data) }));
      };
      const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
      const unsubscribe = feed.subscribe((events) => {
        for (const e of events) send(e.type, e);
      });
      try {
        await stream.writeSSE({ retry: 3000, data: '', event: 'hello' });
        await feed.tick();
        const now = feed.current();
        if (now) send('snapshot', { probes: now.probes, open: now.open.map(liveIncident) });
        await closed;
      } finally {
        unsubscribe();
      }
    });
  });

  app.get('/dashboard/probes/:id', read, async (c) => {
    const config = deps.config();
    if (!config) return notReady(c);
    const spec = config.probes.find((p) => p.id === c.req.param('id'));
    if (!spec) return c.text('No such probe', 404);
    const now = deps.clock.now();
    const range = rangeOf(c.req.query('range'));
    const [probes, results, incidents, silences] = await Promise.all([
      readProbeStates(deps.db, { ...config, probes: [spec] }),
      readRecentResults(deps.db, spec.id, now),
      listIncidents(deps.db, { scope: 'probe', key: spec.id, limit: 30 }),
      listSilences(deps.db, new Date(now)),
    ]);
    const names = new Set([spec.id, spec.provider, spec.service, ...spec.regions]);
    return page(
      c,
      probePage(pageContext(c, deps), {
        spec,
        probe: probes[0]!,
        range,
        results,
        incidents,
        silences: silences.filter((s) => names.has(s.target)),
        now,
      }).value,
    );
  });

  app.get('/dashboard/probes/:id/series', read, async (c) => {
    const config = deps.config();
    if (!config) return notReady(c);
    const id = c.req.param('id');
    if (!config.probes.some((p) => p.id === id))
      return c.json({ error: 'not_found', message: 'no such probe' }, 404);
    const series = await readLatencySeries(deps.db, id, rangeOf(c.req.query('range')), deps.clock.now());
    return c.json(series, 200, { 'cache-control': 'no-store' });
  });

  app.get('/dashboard/incidents/:id', read, async (c) => {
    const config = deps.config();
    if (!config) return notReady(c);
    const ctx = pageContext(c, deps);
    const found = await readIncident(deps.db, c.req.param('id'));
    if (!found) return notFoundPage(c, ctx, 'No such incident', 'No incident has this id.');
    const { incident, children } = found;
    const parent = incident.parentId
      ? ((await readIncident(deps.db, incident.parentId))?.incident ?? null)
      : null;
    return page(
      c,
      incidentPage(ctx, {
        incident,
        children,
        parent,
        probes: incidentProbes(config, [incident, ...children]),
        now: deps.clock.now(),
      }).value,
    );
  });

  // write actions: HTML forms posting here, then a redirect back with a message (no script needed)
  app.post('/dashboard/actions/silences', sameOrigin(deps), ...write, async (c) => {
    const config = deps.config();
    if (!config) return notReady(c);
    const form = await c.req.parseBody();
    const back = backOf(form.back);
    const target = String(form.target ?? '').trim();
    const ms = parseDuration(String(form.duration ?? ''));
    if (ms === null || ms <= 0 || ms > MAX_SILENCE_MS) return redirect(c, back, 'silence-duration');
    if (!(await isSilenceTarget(deps.db, config, target))) return redirect(c, back, 'silence-target');
    const now = deps.clock.now();
    const reason = String(form.reason ?? '')
      .trim()
      .slice(0, 200);
    try {
      await createSilence(
        deps.db,
        {
          target,
          until: new Date(now + ms),
          reason: reason || undefined,
          createdBy: callerOf(c, deps)?.name,
        },
        new Date(now),
      );
    } catch (err) {
      if (err instanceof SilenceError) return redirect(c, back, 'silence-duration');
      throw err;
    }
    deps.log.info({ target, forMs: ms, by: callerOf(c, deps)?.name }, 'silence created from the dashboard');
    return redirect(c, back, 'silence-created');
  });

  app.post(
    '/dashboard/actions/incidents/:id/acknowledge',
    sameOrigin(deps),
    ...write,
    acknowledgeAction(deps),
  );

  app.post('/dashboard/actions/silences/:id/expire', sameOrigin(deps), ...write, async (c) => {
    const form = await c.req.parseBody();
    const ended = await endSilence(deps.db, c.req.param('id'), new Date(deps.clock.now()));
    return redirect(c, backOf(form.back), ended ? 'silence-expired' : 'silence-missing');
  });
};

/** Acknowledge (db's acknowledgeIncident, as the JSON API's): by the caller's token name, with a note. */
function acknowledgeAction(deps: ApiDeps): (c: Context) => Promise<Response> {
  return async (c: Context) => {
    const form = await c.req.parseBody();
    const back = backOf(form.back);
    const id = c.req.param('id') ?? '';
    if (!(await openIncidents(deps.db)).some((i) => i.id === id))
      return redirect(c, back, 'incident-missing');
    const by = callerOf(c, deps)?.name ?? 'dashboard';
    const note = String(form.note ?? '')
      .trim()
      .slice(0, 500);
    await acknowledgeIncident(deps.db, id, { by, note: note || null }, new Date(deps.clock.now()));
    deps.log.info({ incident: id, by }, 'incident acknowledged from the dashboard');
    return redirect(c, back, 'incident-acknowledged');
  };
}

function pageContext(c: Context, deps: ApiDeps): PageContext {
  const notice = c.req.query('notice');
  return {
    token: c.req.query('token') ?? null,
    flash: notice !== undefined ? (FLASH[notice] ?? null) : null,
    canWrite: callerOf(c, deps)?.scopes.includes('write') ?? false,
  };
}

const PRIVATE_PAGE = { cacheControl: 'no-store', headers: { 'referrer-policy': 'no-referrer' } };
const page = (c: Context, body: string) =>
  c.html(body, 200, { 'cache-control': PRIVATE_PAGE.cacheControl, ...PRIVATE_PAGE.headers });

function notFoundPage(c: Context, ctx: PageContext, title: string, text: string) {
  const body = html`<h1>${title}</h1><p class="muted">${text}</p><p><a href="${withToken('/dashboard', ctx)}">← Dashboard</a></p>`;
  return c.html(layout(ctx, { title, body }).value, 404, {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
}

/** The probes of the config an incident concerns: its own, its provider's or service's (and its children's). */
function incidentProbes(config: VigilConfig, incidents: readonly Incident[]): { id: string; name: string }[] {
  const concerns = (p: VigilConfig['probes'][number], i: Incident) =>
    i.probeId === p.id ||
    (i.scope === 'probe' && i.key === p.id) ||
    (i.scope === 'provider' && i.key === p.provider) ||
    (i.scope === 'service' && i.key === p.service);
  return config.probes
    .filter((p) => incidents.some((i) => concerns(p, i)))
    .map((p) => ({ id: p.id, name: p.name }));
}

const notReady = (c: Context) => c.text('Starting: no configuration loaded yet', 503, { 'retry-after': '5' });

const rangeOf = (v: string | undefined): LatencyRange =>
  v !== undefined && Object.hasOwn(LATENCY_RANGES, v) ? (v as LatencyRange) : '24h';

/** Where to go after an action: a dashboard path of this origin, never another site. */
function backOf(v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  return /^\/dashboard(\/(probes|incidents)\/[^/?#\\]+)?$/.test(s) ? s : '/dashboard';
}

function redirect(c: Context, back: string, notice: string) {
  return c.redirect(withToken(`${back}?notice=${notice}`, { token: c.req.query('token') ?? null }), 303);
}

/** Too many writes by the caller (the limiter the JSON API's writes share): a 429 page with a way back. */
function rateLimited(deps: ApiDeps): MiddlewareHandler {
  const buckets = writeLimiterOf(deps);
  return async (c, next) => {
    const caller = c.get('caller' as never) as Caller | undefined;
    const wait = caller ? buckets.take(caller.name) : 0;
    if (wait > 0) {
      const form = await c.req.parseBody();
      const ctx: PageContext = {
        token: c.req.query('token') ?? null,
        flash: { text: `Too many changes by ${caller!.name}: retry in ${wait} s.`, error: true },
        canWrite: true,
      };
      const body = html`<h1>Too many changes</h1><p><a href="${withToken(backOf(form.back), ctx)}">← Back</a></p>`;
      return c.html(layout(ctx, { title: 'Too many changes', body }).value, 429, {
        'retry-after': String(wait),
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
    }
    await next();
  };
}

/**
 * CSRF: a browser's POST must come from a page of this origin (Origin, else Sec-Fetch-Site). A request
 * with neither header (curl, scripts) must carry its token; a local caller without a token never
 * passes on headers it did not send. No cookies are used, so nothing rides along on a cross-site form.
 */
function sameOrigin(deps: ApiDeps): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const config = deps.config();
    const publicUrl = config ? apiOf(config).publicUrl : null;
    const allowed = new Set([new URL(c.req.url).origin, ...(publicUrl ? [new URL(publicUrl).origin] : [])]);
    const hasToken = c.req.header('authorization') !== undefined || c.req.query('token') !== undefined;
    const ok =
      origin !== undefined && origin !== 'null'
        ? allowed.has(origin)
        : site !== undefined
          ? site === 'same-origin' || site === 'none'
          : hasToken;
    if (!ok) return c.text('Cross-site request refused', 403);
    await next();
  };
}
