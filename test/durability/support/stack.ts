import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VigilConfig } from '@vigil/config';
import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { slotOffsetMs } from '@vigil/core';
import { migrate, openDb, queryResults, type DbHandle } from '@vigil/db';
import { createBullDispatcher } from '@vigil/queue';
import { createLogger, loadVigilConfig, systemClock } from '@vigil/runtime';
import { startSchedulerRole, type SchedulerRole } from '@vigil/scheduler';
import { createTestDatabase, type TestDatabase } from '@vigil/testing';

export { waitUntil } from '@vigil/testing';

export const silentLog = createLogger('durability-test', { level: process.env.LOG_LEVEL ?? 'silent' });

export interface ProbeOptions {
  everyMs?: number;
  timeoutMs?: number;
  regions?: string[];
  ca?: string;
  maxRedirects?: number;
}

/** An http ProbeSpec built directly, so it may use intervals below the 5 s that YAML allows. */
export function httpProbe(id: string, url: string, o: ProbeOptions = {}): ProbeSpec {
  return {
    id,
    name: id,
    provider: 'sim',
    service: 'sim',
    critical: false,
    schedule: { type: 'interval', everyMs: o.everyMs ?? 1_000 },
    timeoutMs: o.timeoutMs ?? 2_000,
    regions: o.regions ?? ['eu'],
    sloTarget: 0.98,
    labels: {},
    runbook: null,
    kind: 'http',
    spec: {
      url,
      ...(o.ca && { tls: { ca: o.ca } }),
      ...(o.maxRedirects !== undefined && { maxRedirects: o.maxRedirects }),
    },
    expect: {},
    source: { file: 'probes/test.yaml', line: 1, col: 1 },
  };
}

export interface TestDb {
  url: string;
  handle: DbHandle;
  rows(probeId?: string): Promise<ProbeResult[]>;
  close(): Promise<void>;
}

/** A fresh Postgres database with the schema; `urlFor` lets a test route roles through a proxy. */
export async function testDb(): Promise<TestDb & { database: TestDatabase }> {
  const database = await createTestDatabase('vigil_durability');
  const handle = await openDb({ url: database.url, poolSize: 4, onError: () => undefined });
  await migrate(handle);
  return {
    url: database.url,
    database,
    handle,
    rows: (probeId) =>
      queryResults(handle.db, { from: new Date(0), to: new Date(8_640_000_000_000), probeId }),
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}

/** A VigilConfig of `regions` holding `probes` as given (loaded from a real, minimal vigil.yaml). */
export async function configWith(regions: string[], probes: ProbeSpec[]): Promise<VigilConfig> {
  const root = await mkdtemp(join(tmpdir(), 'vigil-cfg-'));
  try {
    await writeFile(join(root, 'vigil.yaml'), `regions: [${regions.join(', ')}]\n`);
    const { config, diagnostics } = await loadVigilConfig({ root });
    if (!config) throw new Error(`test config invalid: ${JSON.stringify(diagnostics)}`);
    return { ...config, probes };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A scheduler role on BullMQ whose config is `probes` (no YAML, no file watching). */
export async function startScheduler(o: {
  db: DbHandle;
  redisUrl: string;
  prefix: string;
  regions: string[];
  probes: ProbeSpec[];
  reconcileEveryMs?: number;
}): Promise<SchedulerRole> {
  const config = await configWith(o.regions, o.probes);
  return startSchedulerRole({
    source: { root: config.root },
    load: async () => ({ config, diagnostics: [] }),
    db: o.db.db,
    dispatcherFor: (regions) => createBullDispatcher({ redisUrl: o.redisUrl, prefix: o.prefix, regions }),
    clock: systemClock,
    log: silentLog,
    watch: false,
    reconcileEveryMs: o.reconcileEveryMs ?? 60_000,
  });
}

/** The slots of an interval probe in [from, to]. */
export function expectedSlots(p: ProbeSpec, from: number, to: number): number[] {
  if (p.schedule.type !== 'interval') throw new Error('interval probes only');
  const every = p.schedule.everyMs;
  const offset = slotOffsetMs(p.id, every);
  const out: number[] = [];
  for (let s = Math.ceil((from - offset) / every) * every + offset; s <= to; s += every) out.push(s);
  return out;
}

export interface SlotAudit {
  /** `probe/region@slot` expected in the window and not stored */
  missing: string[];
  /** keys stored more than once */
  duplicates: string[];
  /** stored slots that are not on the probe's grid */
  offGrid: string[];
}

/** Compares stored rows of `probes` with every slot in [from, to], per region. */
export function auditSlots(rows: ProbeResult[], probes: ProbeSpec[], from: number, to: number): SlotAudit {
  const seen = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.probeId}/${r.region}@${r.slotAt}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const audit: SlotAudit = { missing: [], duplicates: [], offGrid: [] };
  for (const [k, n] of seen) if (n > 1) audit.duplicates.push(k);
  for (const p of probes) {
    if (p.schedule.type !== 'interval') continue;
    const every = p.schedule.everyMs;
    const offset = slotOffsetMs(p.id, every);
    for (const r of rows)
      if (r.probeId === p.id && (((r.slotAt - offset) % every) + every) % every !== 0)
        audit.offGrid.push(`${p.id}/${r.region}@${r.slotAt}`);
    for (const region of p.regions)
      for (const s of expectedSlots(p, from, to))
        if (!seen.has(`${p.id}/${region}@${s}`)) audit.missing.push(`${p.id}/${region}@${s}`);
  }
  return audit;
}
