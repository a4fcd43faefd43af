import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from '../../scripts/esbuild-options.mjs';
import { REPO_ROOT } from './children.js';

/**
 * Compiles an app's entry point to one plain-JS ESM file with the options scripts/build.mjs uses for the
 * image (scripts/esbuild-options.mjs: no tsx loader thread; here without source maps). Written to
 * node_modules/.cache/vigil-bench/ (out of lint's and git's way), where packages/db's migrations path (three
 * folders up) still lands on /migrations.
 */
export async function bundleEntry(entry: string, name: string): Promise<string> {
  const outDir = join(REPO_ROOT, 'node_modules', '.cache', 'vigil-bench');
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.mjs`);
  await build({ ...bundleOptions(join(REPO_ROOT, entry), outfile), logLevel: 'error' });
  return outfile;
}
