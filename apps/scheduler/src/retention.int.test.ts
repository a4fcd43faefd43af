import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ensurePartitions, listPartitions, migrate, openDb, type DbHandle } from '@vigil/db';
import { diffSchedules, type Dispatcher } from '@vigil/queue';
import { createTestDatabase, manualClock, type TestDatabase } from '@vigil/testing';
import { startSchedulerRole, type SchedulerRole } from './role.js';

const dispatcher = (): Dispatcher => ({
  plan: (desired) => Promise.resolve(diffSchedules(desired, [])),
  reconcile: (desired) => Promise.resolve(diffSchedules(desired, [])),
  close: () => Promise.resolve(),
});

const march = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `probe_results_202503${String(from + i).padStart(2, '0')}`);

describe('raw-result retention from vigil.yaml', () => {
  let root: string;
  let h: DbHandle;
  let database: TestDatabase;
  let role: SchedulerRole | null;
  let lines: { msg: string; dropped?: string[] }[];
  let onLine: (() => void) | null;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'vigil-retention-'));
    await mkdir(join(root, 'probes'));
    await writeFile(
      join(root, 'probes', 'acme.yaml'),
      'probes:\n  - { id: a1, name: a1, provider: acme, service: widgets, http: { url: "https://acme.example/a1" } }\n',
    );
    database = await createTestDatabase('vigil_retention');
    h = await openDb({ url: database.url, poolSize: 2 });
    await migrate(h);
    // a day partition for every day of March 2025; now is the 31st at noon
    await ensurePartitions(h.db, new Date('2025-03-01T00:00:00Z'), 30);
    role = null;
    lines = [];
    onLine = null;
  });
  afterEach(async () => {
    await role?.close();
    await h.close();
    await database.drop();
    await rm(root, { recursive: true, force: true });
  });

  const start = (vigilYaml: string, maintainEveryMs = 3_600_000, now = '2025-03-31T12:00:00Z') =>
    writeFile(join(root, 'vigil.yaml'), vigilYaml).then(async () => {
      role = await startSchedulerRole({
        source: { root },
        db: h.db,
        dispatcherFor: dispatcher,
        clock: manualClock(now),
        log: pino(
          { level: 'info' },
          new Writable({
            write(chunk: Buffer, _enc, cb) {
              lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
              onLine?.();
              cb();
            },
          }),
        ),
        watch: false,
        reconcileEveryMs: 3_600_000,
        maintainEveryMs,
      });
    });
  const days = async () => (await listPartitions(h.db)).filter((n) => n !== 'probe_results_default');

  it('drops the day partitions older than retention.results and keeps the rest', async () => {
    await start('retention: { results: 10d }\n');
    // the 20th ends 2025-03-21T00:00, more than 10 days before noon on the 31st; the 21st does not
    expect(await days()).toEqual(expect.arrayContaining(march(21, 31)));
    expect(await days()).not.toEqual(expect.arrayContaining(['probe_results_20250320']));
    expect(lines.find((l) => l.msg === 'partitions maintained')?.dropped).toEqual(march(1, 20));
  });

  it('keeps 35 days by default: all of March stays', async () => {
    await start('regions: [local]\n');
    expect(role?.current()?.retention?.results).toBe(35 * 86_400_000);
    expect(await days()).toEqual(expect.arrayContaining(march(1, 31)));
  });

  it('drops nothing while no config is valid, even past the default retention', async () => {
    await start('retention: { results: 1d }\nregoins: [eu]\n', 3_600_000, '2025-05-31T12:00:00Z');
    expect(role?.current()).toBeNull();
    expect(await days()).toEqual(expect.arrayContaining(march(1, 31)));
  });

  it('applies a changed retention at the next maintenance pass', async () => {
    await start('retention: { results: 20d }\n', 200);
    expect(await days()).toEqual(expect.arrayContaining(march(11, 31)));
    expect(await days()).not.toEqual(expect.arrayContaining(['probe_results_20250310']));
    await writeFile(join(root, 'vigil.yaml'), 'retention: { results: 5d }\n');
    await role?.reconcile();
    await new Promise<void>((resolve) => {
      onLine = () => {
        if (
          lines.some(
            (l) => l.msg === 'partitions maintained' && l.dropped?.includes('probe_results_20250325'),
          )
        )
          resolve();
      };
      onLine();
    });
    expect((await days()).filter((n) => n.startsWith('probe_results_202503'))).toEqual(march(26, 31));
  });
});
