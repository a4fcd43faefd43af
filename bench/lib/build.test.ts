import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './children.js';

const run = promisify(execFile);
const node = (...args: string[]) => run(process.execPath, args, { cwd: REPO_ROOT });

// The image runs these bundles (Dockerfile → scripts/launch.mjs); the bench measures the same build.
describe('npm run build (scripts/build.mjs) and the image entry point', () => {
  let built = '';
  beforeAll(async () => {
    built = (await node('scripts/build.mjs')).stdout;
  }, 60_000);

  it.each(['apps/cli/src/bin.ts', 'apps/scheduler/src/main.ts', 'apps/worker/src/main.ts'])(
    'bundles %s where the launcher looks for it',
    (entry) => {
      const [, app, name] = /^apps\/([^/]+)\/src\/([^/]+)\.ts$/.exec(entry)!;
      expect(built).toContain(`${entry} → dist/apps/${app}/${name}.mjs`);
      expect(existsSync(join(REPO_ROOT, 'dist', 'apps', app!, `${name}.mjs`))).toBe(true);
    },
  );

  it('puts bundles where packages/db still finds the migrations (three folders up)', () => {
    const bundle = pathToFileURL(join(REPO_ROOT, 'dist/apps/worker/main.mjs'));
    expect(fileURLToPath(new URL('../../../migrations', bundle))).toBe(join(REPO_ROOT, 'migrations'));
  });

  it('runs the bundle of the source entry it is given, with the arguments after it', async () => {
    const { stdout } = await node('scripts/launch.mjs', 'apps/cli/src/bin.ts', '--help');
    expect(stdout).toContain('Usage: vigil');
  });

  it('refuses anything that is not an app entry point', async () => {
    await expect(node('scripts/launch.mjs', 'packages/core/src/index.ts')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: launch.mjs'),
    });
  });
});
