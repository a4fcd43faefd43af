// `npm run build`: bundles each role's entry point (apps/*/src/main.ts, apps/cli/src/bin.ts) into one
// plain-JS ESM file under dist/, so production runs without tsx's loader thread and source-mapped stacks.
// @vigil/* is compiled in; third-party packages stay imports, resolved from node_modules at run time.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './esbuild-options.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `apps/<app>/src/<name>.ts` → `dist/apps/<app>/<name>.mjs` (scripts/launch.mjs applies the same rule). */
export function bundlePath(entry) {
  const m = /^apps\/([^/]+)\/src\/([^/]+)\.ts$/.exec(entry);
  if (!m) throw new Error(`not an app entry point: ${entry}`);
  return `dist/apps/${m[1]}/${m[2]}.mjs`;
}

/** Each app's process entry: its CLI `bin.ts`, else its role `main.ts`. */
export function entryPoints() {
  const entries = [];
  for (const app of readdirSync(join(ROOT, 'apps'))) {
    const name = ['bin.ts', 'main.ts'].find((n) => existsSync(join(ROOT, 'apps', app, 'src', n)));
    if (name) entries.push(`apps/${app}/src/${name}`);
  }
  return entries;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const entry of entryPoints()) {
    // three folders deep (dist/apps/<app>/), like packages/db/src/: its migrations path still resolves
    const outfile = join(ROOT, bundlePath(entry));
    await build({ ...bundleOptions(join(ROOT, entry), outfile), sourcemap: 'linked', logLevel: 'warning' });
    process.stdout.write(`${entry} → ${bundlePath(entry)}\n`);
  }
}
