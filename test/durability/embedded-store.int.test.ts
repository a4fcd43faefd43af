import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveHolder, openEmbeddedStore, queryResults } from '@vigil/db';
import { seededRandom, startSimulator, type Simulator } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killVigils, spawnVigil, type VigilProcess } from '../../apps/cli/src/testing/cli.js';

let sim: Simulator;
let root: string;
let state: string;

/** The real bin on this test's config and state folders. */
const vigil = (args: string[]): VigilProcess =>
  spawnVigil(['-C', root, ...args], { cwd: root, env: { VIGIL_STATE_DIR: state } });

/** `vigil run` once it serves the store (its lock names a socket); start-up takes seconds on a busy machine. */
async function startRun(): Promise<VigilProcess> {
  const run = vigil(['run', '--no-table']);
  const bound = Date.now() + 180_000;
  while (run.child.exitCode === null && Date.now() < bound) {
    const h = await liveHolder(state);
    if (h !== null && h.pid === run.child.pid && h.socket) return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`vigil run did not start serving: ${run.output()}`);
}

/** Every stored (probe, region, slot), read as another command would (through the owner, or owning it). */
async function storedSlots(): Promise<Set<string>> {
  const h = await openEmbeddedStore({ dir: state, command: 'test' });
  try {
    const rows = await queryResults(h.db, { from: new Date(0), to: new Date(Date.now() + 86_400_000) });
    return new Set(rows.map((r) => `${r.probeId}|${r.region}|${r.slotAt}`));
  } finally {
    await h.close();
  }
}

beforeAll(async () => {
  sim = await startSimulator({ routes: { '/ok': { behavior: { mode: 'ok' } } } });
  root = await mkdtemp(join(tmpdir(), 'vigil-store-'));
  state = join(root, 'state');
  await mkdir(join(root, 'probes'));
  await writeFile(join(root, 'vigil.yaml'), 'regions: [local]\n');
  const probes = Array.from(
    { length: 20 },
    (_, i) =>
      `  - id: p${i}\n    name: Probe ${i}\n    provider: sim\n    service: api\n    http: { url: '${sim.httpUrl}/ok' }\n`,
  );
  await writeFile(
    join(root, 'probes', 'fleet.yaml'),
    `defaults:\n  interval: 5s\n  timeout: 2s\nprobes:\n${probes.join('')}`,
  );
});

afterAll(async () => {
  await killVigils();
  await sim.close();
  await rm(root, { recursive: true, force: true });
});

describe('the embedded store has one owner', () => {
  it('serves status, incidents, silence, report, plan and migrate while `vigil run` runs; refuses a second run; survives the stop', async () => {
    const run = await startRun();
    const pid = run.child.pid!;

    const status = await vigil(['status', '--json']).exit;
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).probes.map((p: { key: string }) => p.key)).toContain('p0');

    for (const args of [
      ['incidents', '--json'],
      ['silence', 'p1', '--for', '1h'],
      ['report', 'weekly'],
      ['plan'],
      ['migrate'],
    ]) {
      const r = await vigil(args).exit;
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }

    const second = await vigil(['run', '--no-table']).exit;
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`pid ${pid}`);
    expect(second.stderr).toContain(state);
    expect(run.child.exitCode).toBeNull();

    const before = await storedSlots();
    expect(before.size).toBeGreaterThan(0);
    run.child.kill('SIGTERM');
    const stopped = await run.exit;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout + stopped.stderr).not.toMatch(/shutdown failed|Aborted/);

    expect(await liveHolder(state)).toBeNull();
    const after = await storedSlots();
    expect([...before].filter((k) => !after.has(k))).toEqual([]);
    const reopened = await vigil(['status', '--json']).exit;
    expect(reopened.code).toBe(0);
  }, 400_000);

  it('keeps every stored slot through 20 SIGKILLs at random moments with concurrent status calls', async () => {
    const seed = Number(process.env.VIGIL_TEST_SEED ?? Date.now() % 100_000);
    const random = seededRandom(seed);
    let kept = await storedSlots();
    for (let round = 0; round < 20; round++) {
      // the kill lands anywhere from PGlite's start-up and migrations to steady running
      const killAt = Date.now() + random() * 6000;
      const run = vigil(['run', '--no-table']);
      const reader = vigil(['status', '--json']);
      let seen: Set<string> | null = null;
      while (Date.now() < killAt && run.child.exitCode === null) {
        const h = await liveHolder(state);
        if (seen === null && h !== null && h.pid === run.child.pid && h.socket)
          seen = await storedSlots().catch(() => null);
        await new Promise((r) => setTimeout(r, 50));
      }
      run.child.kill('SIGKILL');
      await run.exit;
      const read = await reader.exit;
      // a reader cut off by the kill fails with a message; it never hangs and never breaks the store
      if (read.code !== 0) expect(read.stderr, `seed ${seed} round ${round}`).toMatch(/^vigil: /m);
      const after = await storedSlots();
      const lost = [...kept, ...(seen ?? [])].filter((k) => !after.has(k));
      expect({ seed, round, lost }).toEqual({ seed, round, lost: [] });
      kept = after;
    }
    expect(kept.size).toBeGreaterThan(0);
  }, 900_000);
});
