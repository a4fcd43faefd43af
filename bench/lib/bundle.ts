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
 * Compiles an app's entry point to one plain-JS ESM file, to measure the worker without tsx's loader
 * thread and source-mapped stack traces. Written under bench/.build/<name>/ so that the relative
 * migrations path of packages/db (three folders up) still lands on /migrations.
 */
export async function bundleEntry(entry: string, name: string): Promise<string> {
  const outDir = join(REPO_ROOT, 'bench', '.build', name);
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, 'main.mjs');
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
