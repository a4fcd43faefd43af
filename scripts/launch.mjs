// The Docker image's entry point: `node scripts/launch.mjs apps/worker/src/main.ts [args…]` runs the
// bundle `npm run build` made of that entry point, so compose files keep naming the source entry.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const entry = process.argv[2] ?? '';
const m = /^(?:\.\/)?apps\/([^/]+)\/src\/([^/]+)\.ts$/.exec(entry);
if (!m) {
  process.stderr.write(`usage: launch.mjs apps/<app>/src/<entry>.ts [args…] (got "${entry}")\n`);
  process.exit(2);
}
const bundle = join(ROOT, 'dist', 'apps', m[1], `${m[2]}.mjs`);
if (!existsSync(bundle)) {
  process.stderr.write(`${bundle} is missing: run \`npm run build\` first\n`);
  process.exit(2);
}
process.argv.splice(1, 2, bundle);
await import(pathToFileURL(bundle).href);
