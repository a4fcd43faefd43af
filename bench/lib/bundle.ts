import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { REPO_ROOT } from './children.js';

/** Third-party packages stay imports (resolved from the repository's node_modules); @vigil/* is bundled. */
const onlyWorkspace: Plugin = {
  name: 'only-workspace',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@vigil/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Compiles an app's entry point to one plain-JS ESM file with the options scripts/build.mjs uses for the
 * image (no tsx loader thread, no source-mapped stacks). Written to node_modules/.cache/vigil-bench/ (out
 * of lint's and git's way), where packages/db's migrations path (three folders up) still lands on /migrations.
 */
export async function bundleEntry(entry: string, name: string): Promise<string> {
  const outDir = join(REPO_ROOT, 'node_modules', '.cache', 'vigil-bench');
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [onlyWorkspace],
    logLevel: 'error',
  });
  return outfile;
}
