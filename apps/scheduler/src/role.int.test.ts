import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { migrate, openDb, type DbHandle } from '@vigil/db';
import { diffSchedules, type CurrentSchedule, type Dispatcher } from '@vigil/queue';
import { createTestDatabase, manualClock, type TestDatabase } from '@vigil/testing';
import { startSchedulerRole, type SchedulerRole } from './role.js';

/** A dispatcher that only remembers what it holds: reconcile is the pure diff, applied. */
function memoryDispatcher(): Dispatcher {
  let current: CurrentSchedule[] = [];
  return {
    plan: (desired) => Promise.resolve(diffSchedules(desired, current)),
    reconcile(desired) {
      const plan = diffSchedules(desired, current);
      current = desired.map((d) => ({ ...d }));
      return Promise.resolve(plan);
    },
    close: () => Promise.resolve(),
  };
}

const probeFile = (ids: string[]) =>
  `probes:\n${ids
    .map(
      (id) =>
        `  - { id: ${id}, name: ${id}, provider: acme, service: widgets, http: { url: "https://acme.example/${id}" } }\n`,
    )
    .join('')}`;

describe('scheduler reconcile, on removals', () => {
  let root: string;
  let h: DbHandle;
  let database: TestDatabase;
  let role: SchedulerRole;
  let lines: { level: number; msg: string; [k: string]: unknown }[];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'vigil-sched-'));
    await mkdir(join(root, 'probes'));
    await writeFile(join(root, 'vigil.yaml'), 'regions: [eu, us]\n');
    await writeFile(join(root, 'probes', 'acme.yaml'), probeFile(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']));
    await writeFile(join(root, 'probes', 'beta.yaml'), probeFile(['b1', 'b2', 'b3', 'b4']));
    database = await createTestDatabase('vigil_sched');
    h = await openDb({ url: database.url, poolSize: 2 });
    await migrate(h);
    lines = [];
    const log = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
          cb();
        },
      }),
    );
    role = await startSchedulerRole({
      source: { root },
      db: h.db,
      dispatcherFor: memoryDispatcher,
      clock: manualClock('2025-03-03T10:00:00Z'),
      log,
      watch: false,
      reconcileEveryMs: 3_600_000,
    });
  });
  afterEach(async () => {
    await role.close();
    await h.close();
    await database.drop();
    await rm(root, { recursive: true, force: true });
  });

  const warnings = () => lines.filter((l) => l.level === 40);

  it('warns with counts and the files that disappeared when more than half of the probes go', async () => {
    await rm(join(root, 'probes', 'acme.yaml'));
    const out = await role.reconcile();
    expect(out.ok).toBe(true);
    expect(out.plan?.remove).toHaveLength(12);
    expect(warnings()).toEqual([
      expect.objectContaining({
        msg: 'config change removes more than half of the probes',
        removed: 6,
        before: 10,
        remaining: 4,
        probes: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'],
        files_gone: ['probes/acme.yaml'],
      }),
    ]);
  });

  it('warns when every probe file is removed', async () => {
    await rm(join(root, 'probes', 'acme.yaml'));
    await rm(join(root, 'probes', 'beta.yaml'));
    await role.reconcile();
    expect(warnings()).toEqual([
      expect.objectContaining({
        removed: 10,
        before: 10,
        remaining: 0,
        files_gone: ['probes/acme.yaml', 'probes/beta.yaml'],
      }),
    ]);
  });

  it('stays at info for a removal of half or less, and says nothing twice', async () => {
    await rm(join(root, 'probes', 'beta.yaml'));
    await role.reconcile();
    await role.reconcile();
    expect(warnings()).toEqual([]);
    expect(lines.filter((l) => l.msg === 'reconciled').at(-2)).toMatchObject({ level: 30, removed: 8 });
  });
});
