import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

/** The repository root: the default working folder of a spawned `vigil`. */
export const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
/** The real `vigil` bin (tsx over the TypeScript sources), as a user runs it. */
export const vigilBin = join(repoRoot, 'apps', 'cli', 'bin', 'vigil.js');

export interface VigilOptions {
  /** working folder of the child; default the repository root */
  cwd?: string;
  /**
   * Added to the test's environment; `undefined` removes a variable. The child sees none of
   * `DATABASE_URL`, `REDIS_URL`, `VIGIL_CONFIG_DIR` and `VIGIL_STATE_DIR` unless given here, so its
   * store and config are the ones the test names.
   */
  env?: Record<string, string | undefined>;
  /** written to the child's stdin, which is then closed; without it stdin stays open */
  input?: string;
  /** close our end of the child's stdout at once, as `| head` does once it has read enough */
  closeStdout?: boolean;
  /** a hang guard: a child still running after this many ms is killed (SIGKILL), so a hang fails */
  killAfterMs?: number;
}

export interface VigilExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface VigilProcess {
  child: ChildProcessWithoutNullStreams;
  /** settles once the child has exited and its output is closed; rejects if it could not be spawned */
  exit: Promise<VigilExit>;
  /** stdout and stderr so far */
  output(): string;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Starts `vigil <args>` and returns at once: for a command the test stops (`vigil run`) or races. */
export function spawnVigil(args: string[], o: VigilOptions = {}): VigilProcess {
  const child = spawn(process.execPath, [vigilBin, ...args], {
    cwd: o.cwd ?? repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      VIGIL_CONFIG_DIR: undefined,
      VIGIL_STATE_DIR: undefined,
      ...o.env,
    },
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  if (o.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  if (o.input !== undefined) child.stdin.end(o.input);
  const killer = o.killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), o.killAfterMs);
  const exit = new Promise<VigilExit>((resolve, reject) => {
    child.on('error', (err) => {
      if (killer) clearTimeout(killer);
      running.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (killer) clearTimeout(killer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, exit, output: () => stdout + stderr };
}

/** Runs `vigil <args>` to its end: exit code, signal and everything it printed. */
export function runVigil(args: string[], o: VigilOptions = {}): Promise<VigilExit> {
  return spawnVigil(args, o).exit;
}

/** SIGKILLs every `vigil` this file's tests started that is still running (for `afterAll`). */
export async function killVigils(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
