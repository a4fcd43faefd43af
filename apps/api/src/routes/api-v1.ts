import { parseDuration, type VigilConfig } from '@vigil/config';
import {
  DAY_MS,
  parsePeriodKey,
  periodOf,
  previousPeriod,
  type Incident,
  type Period,
  type PeriodKind,
  type ProbeResult,
  type ProbeSpec,
} from '@vigil/core';
import { acknowledgeIncident, createSilence, endSilence, listSilences, type Silence } from '@vigil/db';
import {
  availabilitySubjects,
  generateReport,
  isSilenceTarget,
  PERIOD_KIND,
  readAvailability,
  readIncident,
  readIncidentPage,
  readResultPage,
  serviceDefs,
} from '@vigil/evaluation';
import { renderCsv, renderHtml, renderText, type ReportKind } from '@vigil/reports';
import type { Context } from 'hono';
import type { Mount } from '../app.js';
import { renderedBody, sharedStatus, snapshot } from '../snapshot.js';
import { cachedBody } from '../pages/status/cache.js';
import type { ApiDeps } from '../deps.js';
import { openApiDocument } from '../api/openapi.js';
import { apiError, mountOperations, op, type Operation } from '../api/operation.js';
import { publicSpec } from '../api/redact.js';
import * as S from '../api/schemas.js';

const MAX_SILENCE_MS = 365 * DAY_MS;
const MAX_WINDOW_MS = 400 * DAY_MS;

/** The config in force; the API answers 503 before the first valid one. */
function configOr(c: Context, deps: ApiDeps): VigilConfig | Response {
  return deps.config() ?? c.json({ error: 'internal', message: 'no valid configuration loaded yet' }, 503);
}

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// keyset cursors: the last row's key, opaque to callers
function encodeCursor(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}
function decodeCursor<T>(s: string, valid: (v: unknown) => v is T): T | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return valid(v) ? v : null;
  } catch {
    return null;
  }
}
const isResultKey = (v: unknown): v is { t: number; r: string } =>
  typeof v === 'object' &&
  v !== null &&
  Number.isFinite((v as { t: unknown }).t) &&
  typeof (v as { r: unknown }).r === 'string';
const isIncidentKey = (v: unknown): v is { t: number; id: string } =>
  typeof v === 'object' &&
  v !== null &&
  Number.isFinite((v as { t: unknown }).t) &&
  typeof (v as { id: unknown }).id === 'string';

function probeSummary(p: ProbeSpec) {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    provider: p.provider,
    service: p.service,
    critical: p.critical,
    regions: p.regions,
    schedule: p.schedule,
    timeoutMs: p.timeoutMs,
    sloTarget: p.sloTarget,
    labels: p.labels,
    runbook: p.runbook,
  };
}

function resultJson(r: ProbeResult) {
  const { workerId: _w, ...rest } = r;
  return {
    ...rest,
    slotAt: new Date(r.slotAt).toISOString(),
    startedAt: new Date(r.startedAt).toISOString(),
  };
}

const silenceJson = (s: Silence) => json(s);
const incidentJson = (i: Incident) => json(i);

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `week` / `month` / `quarter` (current, or the last completed with `completed`), or a period key. */
function periodFrom(spec: string, tz: string, now: number, completed: boolean): Period | null {
  if (spec === 'week' || spec === 'month' || spec === 'quarter') {
    const p = periodOf(spec, now, tz);
    return completed ? previousPeriod(p) : p;
  }
  try {
    const p = parsePeriodKey(spec, tz);
    return p.kind === 'day' ? null : p;
  } catch {
    return null;
  }
}

const ok = (description: string, schema: import('zod').ZodType) => ({ 200: { description, schema } });

export const OPERATIONS: Operation[] = [
  op({
    id: 'getStatus',
    method: 'get',
    path: '/status',
    tag: 'status',
    summary:
      'State, availability, budget and open incident per service, provider and probe (= vigil status --json)',
    scope: 'read',
    responses: ok('the status', S.StatusReport),
    async handler({ c, deps }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      // serialized (and gzipped) once per snapshot: 1,000 probes are ~1 MB of JSON
      const body = await snapshot(deps, 'api-status', config, async () =>
        renderedBody(JSON.stringify(await sharedStatus(deps, config))),
      );
      return cachedBody(c, body, { type: 'application/json; charset=utf-8', cacheControl: 'no-cache' });
    },
  }),
  op({
    id: 'listServices',
    method: 'get',
    path: '/services',
    tag: 'config',
    summary: 'Services: declared and implied by probes, with their providers and combination mode',
    scope: 'read',
    responses: ok('the services', S.Services),
    handler({ c, deps }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      const items = serviceDefs(config.probes, config.services).map((s) => ({
        id: s.name,
        name: config.services[s.name]?.name ?? s.name,
        mode: s.mode,
        target: s.target,
        providers: s.providers,
        declared: s.name in config.services,
      }));
      return c.json({ items });
    },
  }),
  op({
    id: 'listProviders',
    method: 'get',
    path: '/providers',
    tag: 'config',
    summary: 'Providers with their services and probes',
    scope: 'read',
    responses: ok('the providers', S.Providers),
    handler({ c, deps }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      const ids = [...new Set(config.probes.map((p) => p.provider))].sort();
      const items = ids.map((id) => {
        const probes = config.probes.filter((p) => p.provider === id);
        return {
          id,
          services: [...new Set(probes.map((p) => p.service))].sort(),
          probes: probes.map((p) => p.id),
          target: Math.max(...probes.map((p) => p.sloTarget)),
        };
      });
      return c.json({ items });
    },
  }),
  op({
    id: 'listProbes',
    method: 'get',
    path: '/probes',
    tag: 'config',
    summary: 'Probes (without their kind-specific spec)',
    scope: 'read',
    responses: ok('the probes', S.Probes),
    handler({ c, deps }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      return c.json({ items: config.probes.map(probeSummary) });
    },
  }),
  op({
    id: 'getProbe',
    method: 'get',
    path: '/probes/{id}',
    tag: 'config',
    summary: 'One probe with its spec: ${env:…} references stay references, header values are masked',
    scope: 'read',
    params: S.IdParam,
    responses: ok('the probe', S.ProbeDetail),
    handler({ c, deps, params }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      const p = config.probes.find((x) => x.id === params.id);
      if (!p) return apiError(c, 404, 'not_found', `id: no probe ${params.id}`);
      return c.json({ ...probeSummary(p), ...publicSpec(p, deps.env) });
    },
  }),
  op({
    id: 'listProbeResults',
    method: 'get',
    path: '/probes/{id}/results',
    tag: 'results',
    summary: "A probe's stored results in [from, to), newest first, paginated by cursor",
    scope: 'read',
    params: S.IdParam,
    query: S.ResultsQuery,
    responses: ok('a page of results', S.ResultPage),
    async handler({ c, deps, params, query }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      if (!config.probes.some((p) => p.id === params.id))
        return apiError(c, 404, 'not_found', `id: no probe ${params.id}`);
      const to = query.to ?? deps.clock.now();
      const from = query.from ?? to - DAY_MS;
      if (from >= to) return apiError(c, 400, 'bad_request', 'from: must be before to');
      if (to - from > MAX_WINDOW_MS)
        return apiError(c, 400, 'bad_request', 'from: the window is at most 400 days');
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isResultKey);
      if (after === null)
        return apiError(c, 400, 'bad_request', 'cursor: not a cursor this endpoint returned');
      const rows = await readResultPage(deps.db, {
        probeId: params.id,
        region: query.region,
        from: new Date(from),
        to: new Date(to),
        after: after ? { slotAt: new Date(after.t), region: after.r } : undefined,
        limit: query.limit + 1,
      });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return c.json({
        items: items.map(resultJson),
        nextCursor:
          rows.length > query.limit && last ? encodeCursor({ t: last.slotAt, r: last.region }) : null,
      });
    },
  }),
  op({
    id: 'getAvailability',
    method: 'get',
    path: '/availability',
    tag: 'availability',
    summary: 'Availability vs target of every (or one) service, provider and probe over [from, to)',
    scope: 'read',
    query: S.AvailabilityQuery,
    responses: ok('availability per subject', S.AvailabilityReport),
    async handler({ c, deps, query }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      const now = deps.clock.now();
      const to = query.to ?? now;
      const from = query.from ?? to - DAY_MS;
      if (from >= to) return apiError(c, 400, 'bad_request', 'from: must be before to');
      if (to - from > MAX_WINDOW_MS)
        return apiError(c, 400, 'bad_request', 'from: the window is at most 400 days');
      const subjects = pick(config, query.scope, query.key);
      if (typeof subjects === 'string') return apiError(c, 404, 'not_found', subjects);
      return c.json({
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        period: null,
        subjects: await readAvailability(deps.db, subjects, from, to, now),
      });
    },
  }),
  op({
    id: 'getPeriodAvailability',
    method: 'get',
    path: '/availability/{period}',
    tag: 'availability',
    summary: 'Availability over a calendar week, month or quarter in a time zone (the current one, or a key)',
    scope: 'read',
    params: S.PeriodParam,
    query: S.PeriodQuery,
    responses: ok('availability per subject', S.AvailabilityReport),
    async handler({ c, deps, params, query }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      const tz = query.tz ?? config.timezone;
      if (!validZone(tz)) return apiError(c, 400, 'bad_request', `tz: unknown time zone "${tz}"`);
      const now = deps.clock.now();
      const period = periodFrom(params.period, tz, now, false);
      if (!period)
        return apiError(c, 400, 'bad_request', `period: "${params.period}" is no week, month or quarter`);
      const subjects = pick(config, query.scope, query.key);
      if (typeof subjects === 'string') return apiError(c, 404, 'not_found', subjects);
      return c.json({
        from: new Date(period.from).toISOString(),
        to: new Date(period.to).toISOString(),
        period: { kind: period.kind as Exclude<PeriodKind, 'day'>, key: period.key, tz },
        subjects: await readAvailability(deps.db, subjects, period.from, period.to, now),
      });
    },
  }),
  op({
    id: 'listIncidents',
    method: 'get',
    path: '/incidents',
    tag: 'incidents',
    summary: 'Incidents, newest first, paginated by cursor',
    scope: 'read',
    query: S.IncidentsQuery,
    responses: ok('a page of incidents', S.IncidentPage),
    async handler({ c, deps, query }) {
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isIncidentKey);
      if (after === null)
        return apiError(c, 400, 'bad_request', 'cursor: not a cursor this endpoint returned');
      const rows = await readIncidentPage(deps.db, {
        open: query.open,
        scope: query.scope,
        after: after ? { openedAt: new Date(after.t), id: after.id } : undefined,
        limit: query.limit + 1,
      });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return c.json({
        items: items.map(incidentJson),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ t: last.openedAt.getTime(), id: last.id })
            : null,
      });
    },
  }),
  op({
    id: 'getIncident',
    method: 'get',
    path: '/incidents/{id}',
    tag: 'incidents',
    summary: 'One incident with the incidents grouped under it',
    scope: 'read',
    params: S.IdParam,
    responses: ok('the incident', S.IncidentDetail),
    async handler({ c, deps, params }) {
      const found = await readIncident(deps.db, params.id);
      if (!found) return apiError(c, 404, 'not_found', `id: no incident ${params.id}`);
      return c.json({ ...incidentJson(found.incident), children: found.children.map(incidentJson) });
    },
  }),
  op({
    id: 'acknowledgeIncident',
    method: 'post',
    path: '/incidents/{id}/acknowledge',
    tag: 'incidents',
    summary: 'Acknowledge an incident: its reminders stop, later alerts say who took it',
    scope: 'write',
    params: S.IdParam,
    body: S.AcknowledgeBody,
    responses: ok('the acknowledged incident', S.Incident),
    async handler({ c, deps, params, body }) {
      const row = await acknowledgeIncident(
        deps.db,
        params.id,
        { by: body.by, note: body.note },
        new Date(deps.clock.now()),
      );
      if (!row) return apiError(c, 404, 'not_found', `id: no incident ${params.id}`);
      deps.log.info({ incident: row.id, by: body.by }, 'incident acknowledged');
      return c.json(incidentJson(row));
    },
  }),
  op({
    id: 'listSilences',
    method: 'get',
    path: '/silences',
    tag: 'silences',
    summary: 'Silences not ended yet (active or starting later), soonest first',
    scope: 'read',
    responses: ok('the silences', S.SilenceList),
    async handler({ c, deps }) {
      const rows = await listSilences(deps.db, new Date(deps.clock.now()));
      return c.json({ items: rows.map(silenceJson) });
    },
  }),
  op({
    id: 'createSilence',
    method: 'post',
    path: '/silences',
    tag: 'silences',
    summary:
      'Hold back notifications about a probe, provider, service, region or incident (its slots still count)',
    scope: 'write',
    body: S.SilenceCreate,
    responses: { 201: { description: 'the silence', schema: S.Silence } },
    async handler({ c, deps, body, caller }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      const now = deps.clock.now();
      let until: number;
      if (body.for !== undefined) {
        const ms = parseDuration(body.for);
        if (ms === null || ms <= 0)
          return apiError(c, 400, 'bad_request', `for: "${body.for}" is no duration like 30m or 2h`);
        until = now + ms;
      } else if (body.until !== undefined) until = Date.parse(body.until);
      else return apiError(c, 400, 'bad_request', 'for: give for (e.g. 2h) or until');
      if (until <= now) return apiError(c, 400, 'bad_request', 'until: must be in the future');
      if (until - now > MAX_SILENCE_MS) return apiError(c, 400, 'bad_request', 'for: at most 365d');
      if (!(await isSilenceTarget(deps.db, config, body.target)))
        return apiError(
          c,
          404,
          'not_found',
          `target: "${body.target}" is no probe id, provider, service or region in the config, nor an open incident id`,
        );
      const s = await createSilence(
        deps.db,
        { target: body.target, until: new Date(until), reason: body.reason, createdBy: caller?.name },
        new Date(now),
      );
      deps.log.info({ silence: s.id, target: s.target, by: caller?.name }, 'silence created');
      return c.json(silenceJson(s), 201);
    },
  }),
  op({
    id: 'expireSilence',
    method: 'delete',
    path: '/silences/{id}',
    tag: 'silences',
    summary: 'End a silence now',
    scope: 'write',
    params: S.IdParam,
    responses: { 204: { description: 'ended', media: {} } },
    async handler({ c, deps, params }) {
      const ended = await endSilence(deps.db, params.id, new Date(deps.clock.now()));
      if (!ended) return apiError(c, 404, 'not_found', `id: no silence ${params.id} in force`);
      return c.body(null, 204);
    },
  }),
  op({
    id: 'getReport',
    method: 'get',
    path: '/reports/{period}',
    tag: 'reports',
    summary:
      'The manager report of a week, month or quarter (the last completed one, or a key) as HTML, text or CSV',
    scope: 'read',
    params: S.ReportParam,
    query: S.ReportQuery,
    responses: {
      200: {
        description: 'the report',
        media: { 'text/html': 'string', 'text/plain': 'string', 'text/csv': 'string' },
      },
    },
    async handler({ c, deps, params, query }) {
      const config = configOr(c, deps);
      if (config instanceof Response) return config;
      const now = deps.clock.now();
      const period = periodFrom(params.period, query.tz ?? 'UTC', now, true);
      const kind = period ? reportKind(period.kind) : null;
      if (!period || !kind)
        return apiError(c, 400, 'bad_request', `period: "${params.period}" is no week, month or quarter`);
      const tz = query.tz ?? config.reports[kind]?.tz ?? config.timezone;
      if (!validZone(tz)) return apiError(c, 400, 'bad_request', `tz: unknown time zone "${tz}"`);
      const zoned = periodFrom(params.period, tz, now, true)!;
      const model = await generateReport(deps.db, config, {
        kind,
        period: zoned,
        scope: config.reports[kind]?.scope,
        generatedAt: now,
      });
      if (query.format === 'text') return c.text(renderText(model, { detail: 'full' }));
      if (query.format === 'csv')
        return c.body(renderCsv(model), 200, { 'content-type': 'text/csv; charset=utf-8' });
      return c.html(renderHtml(model, { detail: 'full' }).html);
    },
  }),
  op({
    id: 'getOpenApi',
    method: 'get',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This document',
    scope: null,
    responses: { 200: { description: 'the OpenAPI 3.1 document', media: { 'application/json': 'string' } } },
    handler({ c }) {
      return c.json(document());
    },
  }),
];

function reportKind(kind: PeriodKind): ReportKind | null {
  return (Object.entries(PERIOD_KIND).find(([, k]) => k === kind)?.[0] as ReportKind | undefined) ?? null;
}

/** The subjects a query names, or why none (an unknown key). */
function pick(
  config: VigilConfig,
  scope: 'service' | 'provider' | 'probe' | undefined,
  key: string | undefined,
) {
  const all = availabilitySubjects(config).filter(
    (s) => (scope === undefined || s.scope === scope) && (key === undefined || s.key === key),
  );
  if (key !== undefined && all.length === 0) return `key: no ${scope ?? 'service, provider or probe'} ${key}`;
  return all;
}

let doc: Record<string, unknown> | null = null;
/** The OpenAPI document of every operation above (built once). */
export function document(): Record<string, unknown> {
  return (doc ??= openApiDocument(OPERATIONS));
}

/** `/api/v1`: the JSON API and its OpenAPI document. */
export const apiV1: Mount = (app, deps) => mountOperations(app, deps, OPERATIONS);
