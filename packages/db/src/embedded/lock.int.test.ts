import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStoreLock, liveHolder, LOCK_FILE, type LockHolder } from './lock.js';

const child = join(import.meta.dirname, 'fixtures', 'lock-child.ts');

interface Contender {
  process: ChildProcess;
  outcome: Promise<{ won: boolean; holder?: number }>;
}

function contend(dir: string): Contender {
  const p = spawn(process.execPath, ['--import', 'tsx', child, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: p.stdout! });
  const outcome = once(lines, 'line').then(
    ([l]) => JSON.parse(l as string) as { won: boolean; holder?: number },
  );
  return { process: p, outcome };
}

async function stop(c: Contender): Promise<void> {
  if (c.process.exitCode !== null || c.process.signalCode !== null) return;
  const exited = once(c.process, 'exit');
  c.process.stdin!.end();
  await exited;
}

/** The pid of a process that has exited and been reaped: no process has it now. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '']);
  await once(p, 'exit');
  return p.pid!;
}

const stale = (pid: number, extra: Partial<LockHolder> = {}): LockHolder => ({
  pid,
  startTicks: null,
  hostname: hostname(),
  command: 'run',
  mode: 'serving',
  since: 1,
  socket: '/nowhere',
  ...extra,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the state-dir lock', () => {
  it('is held by one process: another one is told the holder’s pid', async () => {
    const got = await acquireStoreLock(dir, { command: 'run', mode: 'serving' });
    expect('lock' in got).toBe(true);
    const other = contend(dir);
    expect(await other.outcome).toEqual({ won: false, holder: process.pid });
    await stop(other);
    if ('lock' in got) await got.lock.release();
    expect(await liveHolder(dir)).toBeNull();
  });

  it('passes to the next process once released', async () => {
    const first = contend(dir);
    expect((await first.outcome).won).toBe(true);
    expect((await liveHolder(dir))?.pid).toBe(first.process.pid);
    await stop(first);
    const got = await acquireStoreLock(dir, { command: 'status', mode: 'exclusive' });
    expect('lock' in got).toBe(true);
    if ('lock' in got) await got.lock.release();
  });

  it('is taken over when its process was killed', async () => {
    const first = contend(dir);
    expect((await first.outcome).won).toBe(true);
    const exited = once(first.process, 'exit');
    first.process.kill('SIGKILL');
    await exited;
    const got = await acquireStoreLock(dir, { command: 'run', mode: 'serving' });
    expect('lock' in got && got.lock.holder.pid).toBe(process.pid);
    if ('lock' in got) await got.lock.release();
  });

  it('is taken over when its pid now belongs to another program (start time differs)', async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale(process.ppid, { startTicks: '1' })));
    const got = await acquireStoreLock(dir, { command: 'run', mode: 'serving' });
    expect('lock' in got).toBe(true);
    if ('lock' in got) await got.lock.release();
  });

  it('is never taken from a process on another host', async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale(await deadPid(), { hostname: 'elsewhere' })));
    const got = await acquireStoreLock(dir, { command: 'run', mode: 'serving' });
    expect('holder' in got && got.holder.hostname).toBe('elsewhere');
  });

  it('replaces an unreadable lock file', async () => {
    await writeFile(join(dir, LOCK_FILE), '{"pid":');
    const got = await acquireStoreLock(dir, { command: 'run', mode: 'serving' });
    expect('lock' in got).toBe(true);
  });

  it('goes to exactly one of eight processes racing for a stale lock', async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale(await deadPid())));
    const racers = Array.from({ length: 8 }, () => contend(dir));
    const outcomes = await Promise.all(racers.map((r) => r.outcome));
    const winners = racers.filter((_, i) => outcomes[i]!.won);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.process.pid;
    expect(outcomes.filter((o) => !o.won).map((o) => o.holder)).toEqual(Array(7).fill(winner));
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(winner);
    await Promise.all(racers.map(stop));
  });

  it('release leaves a lock that another process has since taken', async () => {
    const got = await acquireStoreLock(dir, { command: 'run', mode: 'serving' });
    if (!('lock' in got)) throw new Error('expected the lock');
    const mine = got.lock;
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale(process.ppid, { since: 2 })));
    await mine.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).since).toBe(2);
  });
});
