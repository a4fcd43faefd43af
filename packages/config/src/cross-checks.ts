import type { ProbeSpec } from '@vigil/core';
import type { Diagnostics } from './diagnostics.js';
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

/** Names vigil.yaml uses that must exist: route channels, maintenance probes; unprobed service providers. */
export function checkReferences(
  vigil: SourceFile,
  settings: VigilFile,
  probeIds: ReadonlySet<string>,
  /** null while some probe failed to load: provider coverage is then unknown */
  probes: readonly ProbeSpec[] | null,
  diags: Diagnostics,
): void {
  const channels = Object.keys(settings.channels);
  settings.routes.forEach((route, i) =>
    route.channels.forEach((name, j) => {
      if (!channels.includes(name))
        diags.add(
          vigil.at(
            ['routes', i, 'channels', j],
            `unknown channel "${name}": channels are ${listOr(channels, 'not defined (add channels:)')}`,
          ),
        );
    }),
  );
  settings.maintenance.forEach((m, i) =>
    (m.match.probes ?? []).forEach((id, j) => {
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
}
