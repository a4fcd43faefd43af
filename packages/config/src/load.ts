import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ProbeSpec } from '@vigil/core';
import { Diagnostics } from './diagnostics.js';
import { checkDuplicateIds, checkReferences, type PlacedId } from './cross-checks.js';
import { discoverProbeFiles } from './discover.js';
import { checkEnvRefs } from './env-check.js';
import { loadProbeFile } from './probe-file.js';
import { checkLiteralSecrets } from './secret-check.js';
import { readSourceFile, type SourceFile } from './source-file.js';
import type { LoadOptions, LoadResult, VigilConfig } from './types.js';
import { loadVigilFile } from './vigil-file.js';

export const VIGIL_FILE = 'vigil.yaml';
export const DEFAULT_PATHS = ['probes'];

/**
 * Reads vigil.yaml (optional) and every probe file, and reports every problem at once. The config is
 * returned only when there is no error; warnings do not block it. Never throws for a bad config.
 */
export async function loadConfig(opts: LoadOptions): Promise<LoadResult> {
  const root = path.resolve(opts.root);
  const diags = new Diagnostics();
  const files: string[] = [];

  let vigil: SourceFile | null = null;
  if (await exists(path.join(root, VIGIL_FILE))) {
    files.push(VIGIL_FILE);
    const r = await readSourceFile(path.join(root, VIGIL_FILE), VIGIL_FILE);
    if (r.ok) vigil = r.source;
    (r.ok ? r.warnings : r.diagnostics).forEach((d) => diags.add(d));
  }
  const loaded = loadVigilFile(vigil, opts.channelTypes, diags);
  const { settings } = loaded;

  const paths = opts.paths ?? ((await exists(path.join(root, 'probes'))) ? DEFAULT_PATHS : ['.']);
  const found = await discoverProbeFiles(root, paths);
  for (const m of found.missing)
    diags.add({ file: m, line: 1, col: 1, path: '', message: 'no such file or folder', severity: 'error' });
  const sources: SourceFile[] = [];
  const reads = await Promise.all(found.files.map((f) => readSourceFile(path.join(root, f), f)));
  for (const [i, r] of reads.entries()) {
    files.push(found.files[i]!);
    if (r.ok) sources.push(r.source);
    (r.ok ? r.warnings : r.diagnostics).forEach((d) => diags.add(d));
  }

  const ctx = {
    kinds: opts.kinds,
    vigil,
    vigilDefaults: loaded.defaults,
    timezone: settings.timezone,
    regions: loaded.regions,
  };
  const probes: ProbeSpec[] = [];
  const ids: PlacedId[] = [];
  for (const source of sources) {
    const r = loadProbeFile(source, ctx, diags);
    for (const { id, index } of r.ids) ids.push({ id, source, index });
    for (const { probe } of r.probes) probes.push(probe);
  }
  checkDuplicateIds(ids, diags);
  const idSet = new Set(ids.map((p) => p.id));
  if (vigil !== null) checkReferences(vigil, settings, idSet, diags.hasErrors ? null : probes, diags);
  for (const source of vigil === null ? sources : [vigil, ...sources]) {
    checkEnvRefs(source, opts.env, diags);
    checkLiteralSecrets(source, diags);
  }

  const diagnostics = diags.list();
  if (diags.hasErrors) return { config: null, diagnostics };
  const config: VigilConfig = {
    root,
    timezone: settings.timezone,
    regions: settings.regions,
    probes,
    services: settings.services,
    providers: settings.providers,
    channels: settings.channels,
    routes: settings.routes,
    maintenance: settings.maintenance,
    reports: settings.reports,
    alerting: settings.alerting,
    ...(settings.heartbeat && { heartbeat: settings.heartbeat }),
    watchdog: settings.watchdog,
    retention: settings.retention,
    api: settings.api,
    files,
  };
  return { config, diagnostics };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}
