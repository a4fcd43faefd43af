import { z } from 'zod';
import type { Diagnostics } from './diagnostics.js';
import { check } from './issues.js';
import { isMap } from './merge.js';
import type { ChannelConfig } from './schema/channels.js';
import { probeDefaultsSchema } from './schema/probe.js';
import { DEFAULT_REGIONS, vigilFileSchema, type VigilFile } from './schema/vigil.js';
import { checkSections } from './sections.js';
import { topLevelKind, type SourceFile } from './source-file.js';

export interface LoadedVigilFile {
  /** every section, each its default when absent or invalid */
  settings: VigilFile;
  /** null when `regions` itself is invalid, so region checks are skipped rather than misleading */
  regions: string[] | null;
  /** the raw defaults keys that validated: the bottom layer of every probe's cascade */
  defaults: Record<string, unknown>;
}

const FALLBACK = vigilFileSchema().parse({});

export function loadVigilFile(
  source: SourceFile | null,
  channelTypes: Record<string, z.ZodType> | undefined,
  diags: Diagnostics,
): LoadedVigilFile {
  if (source === null) return { settings: FALLBACK, regions: DEFAULT_REGIONS, defaults: {} };
  const shape = vigilFileSchema().shape as unknown as Record<string, z.ZodType>;
  const top =
    source.data === null || source.data === undefined || isMap(source.data)
      ? checkSections(source, source.data, { ...shape, defaults: z.unknown() }, [], diags, true)
      : notAMap(source, diags);
  const { defaults: _validatedBelow, ...sections } = top.values;
  const settings = { ...FALLBACK, ...sections } as VigilFile;
  const raw = isMap(source.data) ? source.data : {};

  const defaults = checkSections(
    source,
    raw.defaults,
    probeDefaultsSchema().shape,
    ['defaults'],
    diags,
    false,
  );
  settings.channels = checkChannels(source, raw.channels, settings.channels, channelTypes, diags);
  return {
    settings,
    regions: Object.hasOwn(top.values, 'regions') ? settings.regions : null,
    defaults: defaults.validRaw,
  };
}

function notAMap(source: SourceFile, diags: Diagnostics): { values: Record<string, unknown> } {
  diags.add(
    source.at([], `expected a map of settings (regions:, channels:, …), got ${topLevelKind(source.data)}`),
  );
  return { values: {} };
}

function checkChannels(
  source: SourceFile,
  raw: unknown,
  loose: Record<string, ChannelConfig>,
  channelTypes: Record<string, z.ZodType> | undefined,
  diags: Diagnostics,
): Record<string, ChannelConfig> {
  if (channelTypes === undefined || !isMap(raw)) return loose;
  const out: Record<string, ChannelConfig> = {};
  for (const [name, channel] of Object.entries(raw)) {
    const type = isMap(channel) ? channel.type : undefined;
    if (typeof type !== 'string') continue;
    const schema = channelTypes[type];
    if (schema === undefined) {
      const known = Object.keys(channelTypes).join(', ');
      diags.add(
        source.at(['channels', name, 'type'], `unknown channel type "${type}": expected one of ${known}`),
      );
      continue;
    }
    const r = check(schema, channel, ['channels', name]);
    if (r.ok) out[name] = r.value as ChannelConfig;
    else for (const p of r.problems) diags.add(source.at(p.path, p.message));
  }
  return out;
}
