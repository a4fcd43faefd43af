import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type DbHandle } from './client.js';
import { migrate } from './migrate.js';
import { insertResults, queryResults } from './repos/results.js';
import { result } from './testing/builders.js';

describe('openDb', () => {
  const dirs: string[] = [];
  let h: DbHandle | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses to guess when given neither a url nor a data directory', async () => {
    await expect(openDb({})).rejects.toMatchObject({ name: 'DbError', code: 'DB_CONFIG' });
  });

  it('keeps a PGlite database on disk across reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-pglite-'));
    dirs.push(dir);
    const dataDir = join(dir, '.vigil', 'pgdata');
    h = await openDb({ dataDir });
    expect(h.kind).toBe('pglite');
    await migrate(h);
    await insertResults(h.db, [result()]);
    await h.close();

    h = await openDb({ dataDir });
    expect(await migrate(h)).toEqual({ applied: [] });
    const from = new Date(result().slotAt);
    expect(await queryResults(h.db, { from, to: new Date(from.getTime() + 1) })).toEqual([result()]);
  });
});
