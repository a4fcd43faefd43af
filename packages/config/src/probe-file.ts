import type { ProbeSchedule, ProbeSpec } from '@vigil/core';
import { describeValue } from './describe.js';
import type { Diagnostic, Diagnostics } from './diagnostics.js';
import { formatDuration, parseDuration } from './duration.js';
import { check, type Problem } from './issues.js';
import { cascade, isMap } from './merge.js';
import type { Path } from './positions.js';
import { minCronGapMs } from './cron-gap.js';
import {
  DEFAULT_INTERVAL_MS,
  DEFAULT_SLO_TARGET,
  DEFAULT_TIMEOUT_MS,
  MAX_INTERVAL_MS,
  MAX_TIMEOUT_MS,
  MIN_INTERVAL_MS,
  MIN_TIMEOUT_MS,
  probeDefaultsSchema,
  probeFileSchema,
  probeSchema,
} from './schema/probe.js';
import { checkSections } from './sections.js';
import { topLevelKind, type SourceFile } from './source-file.js';
import type { KindSchemas } from './types.js';

/** One layer of a probe's cascade: where it lives, so a problem is reported where the value was written. */
interface Layer {
  source: SourceFile;
  base: Path;
}

export interface ProbeContext {
  kinds: KindSchemas;
  vigil: SourceFile | null;
  vigilDefaults: Record<string, unknown>;
  timezone: string;
  regions: string[] | null;
}

export interface LoadedProbes {
  /** the probes that validated, with their index in the file's `probes:` list */
  probes: { probe: ProbeSpec; index: number }[];
  /** every id written in the file, valid or not, with its index: cross-file checks need not wait */
  ids: { id: string; index: number }[];
}

/** The probes of one file; every problem goes to `diags`. */
export function loadProbeFile(source: SourceFile, ctx: ProbeContext, diags: Diagnostics): LoadedProbes {
  const out: LoadedProbes = { probes: [], ids: [] };
  if (source.data === null || source.data === undefined) {
    diags.add(source.at([], 'expected a map with a "probes:" list, got an empty file'));
    return out;
  }
  if (!isMap(source.data)) {
    diags.add(source.at([], `expected a map with a "probes:" list, got ${topLevelKind(source.data)}`));
    return out;
  }
  const top = checkSections(source, source.data, probeFileSchema().shape, [], diags, true);
  if (!Array.isArray(source.data.probes)) return out;
  const fileDefaults = checkSections(
    source,
    source.data.defaults,
    probeDefaultsSchema().shape,
    ['defaults'],
    diags,
    false,
  );
  if (source.data.probes.length === 0 && top.ok)
    diags.add(source.at(['probes'], 'the list is empty: this file defines no probe', 'warning'));

  const layers = (i: number): Layer[] => [
    { source, base: ['probes', i] },
    { source, base: ['defaults'] },
    ...(ctx.vigil === null ? [] : [{ source: ctx.vigil, base: ['defaults'] }]),
  ];
  source.data.probes.forEach((raw, i) => {
    if (!isMap(raw)) {
      diags.add(source.at(['probes', i], `expected a probe (a map), got ${describeValue(raw)}`));
      return;
    }
    if (typeof raw.id === 'string') out.ids.push({ id: raw.id, index: i });
    const merged = cascade([ctx.vigilDefaults, fileDefaults.validRaw, raw]);
    const emit = (p: ProbeProblem) => {
      const d = reportAt(p.own === true ? layers(i).slice(0, 1) : layers(i), p.path, p.message);
      const inDefaults = !d.path.startsWith('probes[');
      const label = typeof raw.id === 'string' ? `probe "${raw.id}"` : `probes[${i}]`;
      diags.add(
        p.kind !== undefined && inDefaults
          ? { ...d, message: `${d.message} (for ${label}, kind ${p.kind})` }
          : d,
      );
    };
    const spec = loadProbe(merged, ctx, emit);
    if (spec !== null)
      out.probes.push({
        probe: { ...spec, source: { file: source.file, ...pos(source.at(['probes', i], '')) } },
        index: i,
      });
  });
  return out;
}

const pos = (d: Diagnostic) => ({ line: d.line, col: d.col });

/** Reports at the highest layer that holds the whole path, else where most of it exists. */
function reportAt(layers: Layer[], path: Path, message: string): Diagnostic {
  let best: { layer: Layer; depth: number } | null = null;
  for (const [n, layer] of layers.entries()) {
    const depth = layer.source.depth([...layer.base, ...path]) - layer.base.length;
    if (depth === path.length) return layer.source.at([...layer.base, ...path], message);
    if ((n === 0 || depth >= 1) && (best === null || depth > best.depth)) best = { layer, depth };
  }
  const { layer } = best ?? { layer: layers[0]! };
  return layer.source.at([...layer.base, ...path], message);
}

/**
 * `own`: about this probe even when the value came from defaults, so reported on the probe.
 * `kind`: found by a kind's schema, so a defaults value can be fine for one probe and wrong for another.
 */
type ProbeProblem = Problem & { own?: true; kind?: string };

function loadProbe(
  merged: Record<string, unknown>,
  ctx: ProbeContext,
  emit: (p: ProbeProblem) => void,
): Omit<ProbeSpec, 'source'> | null {
  const kindNames = Object.keys(ctx.kinds);
  const problems: ProbeProblem[] = [];
  const common = check(probeSchema(kindNames), merged);
  if (!common.ok) problems.push(...common.problems);

  const present = kindNames.filter((k) => Object.hasOwn(merged, k));
  let kind: string | null = null;
  let spec: Record<string, unknown> = {};
  let expect: unknown = {};
  if (present.length === 0)
    problems.push({
      path: [],
      message: `missing the probe kind: add one of ${kindNames.map((k) => `${k}:`).join(', ')}`,
    });
  else if (present.length > 1)
    problems.push({
      path: [present[1]!],
      message: `a probe has exactly one kind block, got ${present.join(' and ')}`,
    });
  else {
    kind = present[0]!;
    const s = check(ctx.kinds[kind]!.spec, merged[kind], [kind]);
    if (s.ok) spec = s.value as Record<string, unknown>;
    else problems.push(...s.problems);
    const e = check(ctx.kinds[kind]!.expect, merged.expect ?? {}, ['expect']);
    if (e.ok) expect = e.value;
    else problems.push(...e.problems.map((p) => ({ ...p, kind: kind! })));
  }
  problems.push(...crossFieldProblems(merged, ctx.regions));
  problems.forEach(emit);
  if (!common.ok || kind === null || problems.length > 0) return null;
  const v = common.value;
  const schedule: ProbeSchedule =
    v.schedule !== undefined
      ? { type: 'cron', cron: v.schedule.cron, tz: v.schedule.tz ?? ctx.timezone }
      : { type: 'interval', everyMs: v.interval ?? DEFAULT_INTERVAL_MS };
  return {
    id: v.id,
    name: v.name,
    provider: v.provider!,
    service: v.service!,
    critical: v.critical ?? false,
    schedule,
    timeoutMs: v.timeout ?? DEFAULT_TIMEOUT_MS,
    regions: v.regions ?? ctx.regions ?? [],
    sloTarget: v.slo?.target ?? DEFAULT_SLO_TARGET,
    labels: v.labels ?? {},
    runbook: v.runbook ?? null,
    kind,
    spec,
    expect,
  };
}

const durationOr = (v: unknown, fallback: number) => (typeof v === 'string' ? parseDuration(v) : fallback);

/** Checks across fields, on the raw values so they run even when another field failed its schema. */
function crossFieldProblems(merged: Record<string, unknown>, regions: string[] | null): ProbeProblem[] {
  const problems: ProbeProblem[] = [];
  for (const key of ['provider', 'service'])
    if (merged[key] === undefined) problems.push({ path: [key], message: 'required' });
  if (merged.interval !== undefined && merged.schedule !== undefined)
    problems.push({ path: ['schedule'], message: 'use either interval or schedule, not both' });
  // a push probe's sender pings every interval: its slots are judged against interval + grace
  else if (merged.schedule !== undefined && Object.hasOwn(merged, 'heartbeat'))
    problems.push({
      own: true,
      path: ['schedule'],
      message:
        'a heartbeat probe is pinged every `interval`: use interval (and heartbeat.grace), not schedule',
    });
  // each compared only when valid on its own: an out-of-range value has its own error already
  const inRange = (ms: number | null, min: number, max: number): ms is number =>
    ms !== null && ms >= min && ms <= max;
  const timeoutMs = durationOr(merged.timeout, DEFAULT_TIMEOUT_MS);
  const everyMs = durationOr(merged.interval, DEFAULT_INTERVAL_MS);
  const cron =
    isMap(merged.schedule) && typeof merged.schedule.cron === 'string' ? merged.schedule.cron : null;
  const cronGapMs = cron === null ? null : minCronGapMs(cron);
  if (inRange(timeoutMs, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)) {
    if (
      merged.schedule === undefined &&
      inRange(everyMs, MIN_INTERVAL_MS, MAX_INTERVAL_MS) &&
      timeoutMs >= everyMs
    )
      problems.push({
        own: true,
        path: ['timeout'],
        message: `the timeout (${formatDuration(timeoutMs)}) must be shorter than the interval (${formatDuration(everyMs)})`,
      });
    if (
      merged.interval === undefined &&
      inRange(cronGapMs, MIN_INTERVAL_MS, Infinity) &&
      timeoutMs >= cronGapMs
    )
      problems.push({
        own: true,
        path: ['timeout'],
        message: `the timeout (${formatDuration(timeoutMs)}) must be shorter than the shortest gap between runs of the schedule (${formatDuration(cronGapMs)})`,
      });
  }
  if (regions !== null && Array.isArray(merged.regions))
    merged.regions.forEach((r, j) => {
      if (typeof r === 'string' && !regions.includes(r))
        problems.push({
          path: ['regions', j],
          message: `unknown region "${r}": known regions are ${regions.join(', ')} (vigil.yaml regions)`,
        });
    });
  return problems;
}
