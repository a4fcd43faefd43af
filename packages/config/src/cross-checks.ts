import type { ProbeSpec } from '@vigil/core';
import type { Diagnostics } from './diagnostics.js';
import { formatDuration } from './duration.js';
import { isMap } from './merge.js';
import { plannedRequests } from './schema/provider/rate-limit.js';
import type { VigilFile } from './schema/vigil.js';
import type { SourceFile } from './source-file.js';

export interface PlacedId {
  id: string;
  source: SourceFile;
  index: number;
}

export function checkDuplicateIds(ids: readonly PlacedId[], diags: Diagnostics): void {
  const first = new Map<string, PlacedId>();
  for (const p of ids) {
    const prev = first.get(p.id);
    if (prev === undefined) first.set(p.id, p);
    else {
      const at = prev.source.at(['probes', prev.index, 'id'], '');
      diags.add(
        p.source.at(
          ['probes', p.index, 'id'],
          `duplicate probe id "${p.id}", first defined at ${at.file}:${at.line}:${at.col}`,
        ),
      );
    }
  }
}

const listOr = (names: string[], none: string) => (names.length === 0 ? none : names.join(', '));

const strings = (v: unknown): [string, number][] =>
  Array.isArray(v) ? v.flatMap((x, i) => (typeof x === 'string' ? [[x, i] as [string, number]] : [])) : [];
const maps = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.map((x) => (isMap(x) ? x : {})) : [];

/**
 * Names vigil.yaml uses that must exist (route channels, maintenance probes), read from the raw file so
 * they are reported even when their entry has other problems; and service providers no probe covers.
 */
export function checkReferences(
  vigil: SourceFile,
  settings: VigilFile,
  probeIds: ReadonlySet<string>,
  /** null while some probe failed to load: provider coverage is then unknown */
  probes: readonly ProbeSpec[] | null,
  diags: Diagnostics,
): void {
  const raw = isMap(vigil.data) ? vigil.data : {};
  const channels = isMap(raw.channels) ? Object.keys(raw.channels) : [];
  maps(raw.routes).forEach((route, i) =>
    strings(route.channels).forEach(([name, j]) => {
      if (!channels.includes(name))
        diags.add(
          vigil.at(
            ['routes', i, 'channels', j],
            `unknown channel "${name}": channels are ${listOr(channels, 'not defined (add channels:)')}`,
          ),
        );
    }),
  );
  maps(raw.maintenance).forEach((m, i) =>
    strings(isMap(m.match) ? m.match.probes : undefined).forEach(([id, j]) => {
      if (!probeIds.has(id))
        diags.add(vigil.at(['maintenance', i, 'match', 'probes', j], `unknown probe "${id}"`));
    }),
  );
  if (probes === null) return;
  for (const [service, s] of Object.entries(settings.services))
    s.providers.forEach((provider, j) => {
      if (!probes.some((p) => p.service === service && p.provider === provider))
        diags.add(
          vigil.at(
            ['services', service, 'providers', j],
            `no probe has service "${service}" and provider "${provider}"`,
            'warning',
          ),
        );
    });
  checkRateLimits(vigil, settings, probes, diags);
}

/**
 * A warning for each provider whose probes (runs per window × regions, in their busiest window) plan more
 * requests than its `rateLimit` allows: the slots beyond it are recorded rate_limited, not measured.
 */
export function checkRateLimits(
  vigil: SourceFile,
  settings: Pick<VigilFile, 'providers'>,
  probes: readonly ProbeSpec[],
  diags: Diagnostics,
): void {
  for (const [name, provider] of Object.entries(settings.providers)) {
    const budget = provider.rateLimit;
    if (!budget) continue;
    const planned = plannedRequests(probes, name, budget.per);
    if (planned <= budget.requests) continue;
    const per = formatDuration(budget.per);
    diags.add(
      vigil.at(
        ['providers', name, 'rateLimit'],
        `the probes of provider "${name}" plan ${planned} requests per ${per} (runs × regions), over its budget of ${budget.requests} per ${per}: the slots beyond it are recorded rate_limited, not measured`,
        'warning',
      ),
    );
  }
}
