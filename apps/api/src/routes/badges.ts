import type { VigilConfig } from '@vigil/config';
import { DAY_MS } from '@vigil/core';
import {
  readTrailingAvailability,
  serviceDefs,
  type CurrentState,
  type StatusScope,
  type SubjectStatus,
} from '@vigil/evaluation';
import type { Context } from 'hono';
import type { Mount } from '../app.js';
import { sharedStatus } from '../snapshot.js';
import { callerOf } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { badgeJson, badgeSvg, type Badge, type BadgeColor } from '../pages/status/badge.js';
import { cached } from '../pages/status/cache.js';
import { percent } from '../pages/status/format.js';
import { isPublicProvider, publicServiceIds } from '../pages/status/model.js';

export const BADGE_METRICS = [
  'state',
  'availability-24h',
  'availability-7d',
  'availability-30d',
  'availability-quarter',
  'response-time',
] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];
const SCOPES: readonly StatusScope[] = ['service', 'provider', 'probe'];
const FILE = /^([a-z0-9-]+)\.(svg|json)$/;
const STATE_BADGE: Record<CurrentState, [string, BadgeColor]> = {
  up: ['up', 'brightgreen'],
  degraded: ['degraded', 'yellow'],
  down: ['down', 'red'],
  maintenance: ['maintenance', 'blue'],
  no_data: ['no data', 'lightgrey'],
  config: ['not monitored', 'lightgrey'],
  unknown: ['no data', 'lightgrey'],
};

/** Met the target: green; within twice the error budget: yellow; worse: red; nothing measured: grey. */
function availabilityColor(a: number | null, target: number): BadgeColor {
  if (a === null) return 'lightgrey';
  if (a >= target) return 'brightgreen';
  return a >= 1 - 2 * (1 - target) ? 'yellow' : 'red';
}

function latencyColor(ms: number): BadgeColor {
  return ms < 300 ? 'brightgreen' : ms < 800 ? 'green' : ms < 1500 ? 'yellow' : ms < 3000 ? 'orange' : 'red';
}

/** Whether the subject is in the config, and whether anyone may see it without a token. */
function lookup(config: VigilConfig, scope: StatusScope, id: string): { exists: boolean; public: boolean } {
  if (scope === 'service') {
    const exists = serviceDefs(config.probes, config.services).some((s) => s.name === id);
    return { exists, public: exists && publicServiceIds(config).includes(id) };
  }
  if (scope === 'provider') {
    const exists = config.probes.some((p) => p.provider === id);
    return { exists, public: exists && isPublicProvider(config, id) };
  }
  // a probe is a detail the public page never shows
  return { exists: config.probes.some((p) => p.id === id), public: false };
}

const SUFFIX: Record<BadgeMetric, string> = {
  state: '',
  'availability-24h': ' 24h',
  'availability-7d': ' 7d',
  'availability-30d': ' 30d',
  'availability-quarter': ' quarter',
  'response-time': ' p95',
};

async function badgeOf(
  deps: ApiDeps,
  config: VigilConfig,
  s: SubjectStatus,
  metric: BadgeMetric,
  now: number,
): Promise<Badge> {
  const label = `${s.name}${SUFFIX[metric]}`;
  if (metric === 'state') {
    const [message, color] = STATE_BADGE[s.state];
    return { label, message, color };
  }
  if (metric === 'response-time')
    return s.p95Ms === null
      ? { label, message: 'n/a', color: 'lightgrey' }
      : { label, message: `${Math.round(s.p95Ms)} ms`, color: latencyColor(s.p95Ms) };
  const a =
    metric === 'availability-24h'
      ? s.availability24h
      : metric === 'availability-30d'
        ? s.availability30d
        : metric === 'availability-quarter'
          ? s.availabilityQuarter
          : await readTrailingAvailability(deps.db, s, now, 7 * DAY_MS);
  return { label, message: percent(a.availability), color: availabilityColor(a.availability, s.target) };
}

/**
 * Badges: `GET /badges/{service|provider|probe}/{id}/{metric}.svg` (a flat SVG badge) or `.json` (a
 * shields.io endpoint document). Public services (and their providers when the status page shows
 * providers) need no token; everything else needs a read token (`Authorization` or `?token=`).
 */
export const badgesMount: Mount = (app, deps) => {
  app.get('/badges/:scope/:id/:file', async (c: Context) => {
    const scope = c.req.param('scope') as StatusScope;
    const id = c.req.param('id')!;
    const m = FILE.exec(c.req.param('file')!);
    const metric = m?.[1] as BadgeMetric | undefined;
    if (!SCOPES.includes(scope) || !metric || !BADGE_METRICS.includes(metric))
      return c.json({ error: 'not_found', message: `no badge ${c.req.path}` }, 404);
    const config = deps.config();
    if (!config) return c.json({ error: 'starting', message: 'no configuration loaded yet' }, 503);
    const found = lookup(config, scope, id);
    if (!found.public) {
      const caller = callerOf(c, deps);
      // without a token, a private subject and a missing one look the same
      if (caller === null)
        return c.json({ error: 'unauthorized', message: 'a bearer token from api.tokens is required' }, 401, {
          'www-authenticate': 'Bearer realm="vigil"',
        });
    }
    if (!found.exists) return c.json({ error: 'not_found', message: `no ${scope} ${id}` }, 404);
    const now = deps.clock.now();
    const status = await sharedStatus(deps, config);
    const list =
      scope === 'service' ? status.services : scope === 'provider' ? status.providers : status.probes;
    const s = list.find((x) => x.key === id)!;
    const badge = await badgeOf(deps, config, s, metric, now);
    const cacheControl = `${found.public ? 'public' : 'private'}, max-age=60`;
    return m![2] === 'svg'
      ? cached(c, badgeSvg(badge), { type: 'image/svg+xml; charset=utf-8', cacheControl })
      : cached(c, JSON.stringify(badgeJson(badge)), {
          type: 'application/json; charset=utf-8',
          cacheControl,
        });
  });
};
