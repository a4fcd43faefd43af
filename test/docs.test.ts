import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../apps/cli/src/main.js';

const root = join(import.meta.dirname, '..');

/** Repo folders a backticked path may start with; `/migrations` counts as `migrations`. */
const ROOTS = /^\/?(?:packages|apps|test|migrations|probes|scripts|bench)(?:\/|$)/;
/** In a README below the root, paths relative to its folder. */
const RELATIVE = /^(?:src|fixtures|support|bin)\//;

/**
 * The repo paths a markdown text names: backticked spans that look like a path, and relative link
 * targets. A segment with a placeholder (`<kind>`), a glob (`*`) or a brace list (`{html,csv}`) ends
 * the path there: what comes before it must exist.
 */
function namedPaths(text: string, docDir: string): { named: string; path: string }[] {
  const out: { named: string; path: string }[] = [];
  for (const [, span] of text.matchAll(/`([^`\s]+)`/g)) {
    const rel = ROOTS.test(span!)
      ? span!.replace(/^\//, '')
      : docDir !== '.' && RELATIVE.test(span!)
        ? join(docDir, span!)
        : null;
    if (rel !== null) out.push({ named: span!, path: upToPlaceholder(rel) });
  }
  for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g))
    if (!/^[a-z]+:/.test(target!)) out.push({ named: target!, path: join(docDir, target!) });
  return out;
}

function upToPlaceholder(path: string): string {
  const segments = path.split('/');
  const open = segments.findIndex((s) => /[<*{]/.test(s));
  return (open === -1 ? segments : segments.slice(0, open)).join('/').replace(/\/$/, '');
}

function docs(): string[] {
  const found = ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md', 'bench/README.md'].filter((f) =>
    existsSync(join(root, f)),
  );
  for (const dir of ['packages', 'apps'])
    for (const name of readdirSync(join(root, dir)))
      if (existsSync(join(root, dir, name, 'README.md'))) found.push(`${dir}/${name}/README.md`);
  for (const name of readdirSync(join(root, 'test'), { recursive: true }))
    if (String(name).endsWith('README.md')) found.push(join('test', String(name)));
  return found;
}

describe('namedPaths', () => {
  it.each([
    ['`packages/probes/src/registry.ts`', 'README.md', ['packages/probes/src/registry.ts']],
    ['`packages/probes/src/kinds/<kind>.ts`', 'README.md', ['packages/probes/src/kinds']],
    ['`probes/*.yaml` and `apps/*`', 'README.md', ['probes', 'apps']],
    ['`/migrations`', 'packages/db/README.md', ['migrations']],
    ['`src/schema/<table>.ts`', 'packages/db/README.md', ['packages/db/src/schema']],
    ['`src/x.ts` at the root is no path', 'README.md', []],
    ['[bench/README.md](bench/README.md#run) [site](https://example.com)', 'README.md', ['bench/README.md']],
    ['`npm run build` `vigil.yaml` `${env:NAME}` `2xx`', 'README.md', []],
  ])('finds the paths in %s', (text, doc, paths) => {
    expect(namedPaths(text, dirname(doc)).map((p) => p.path)).toEqual(paths);
  });
});

describe('the docs', () => {
  it('exist where the code points at them', () => {
    expect(docs()).toEqual(expect.arrayContaining(['ARCHITECTURE.md', 'CONTRIBUTING.md']));
    // eslint.config.js's boundary messages send readers to ARCHITECTURE.md
    expect(readFileSync(join(root, 'eslint.config.js'), 'utf8')).toContain('ARCHITECTURE.md');
  });

  it('name only paths that exist', () => {
    const missing = docs().flatMap((doc) =>
      namedPaths(readFileSync(join(root, doc), 'utf8'), dirname(doc))
        .filter((p) => !existsSync(join(root, p.path)))
        .map((p) => `${doc}: ${p.named}`),
    );
    expect(missing).toEqual([]);
  });

  it('give every package and app a README', () => {
    const without = ['packages', 'apps'].flatMap((dir) =>
      readdirSync(join(root, dir), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, dir, d.name, 'package.json')))
        .filter((d) => !existsSync(join(root, dir, d.name, 'README.md')))
        .map((d) => `${dir}/${d.name}`),
    );
    expect(without).toEqual([]);
  });

  it('list every vigil command in the README, in the command table and in the tree', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    // the diagram: the first fenced block after the heading
    const tree = readme.slice(readme.indexOf('## How it is built')).split('```')[1] ?? '';
    const commands = buildProgram().commands.map((c) => c.name());
    expect(commands.filter((c) => !readme.includes(`| \`vigil ${c}`))).toEqual([]);
    expect(commands.filter((c) => !new RegExp(`\\b${c}\\b`).test(tree))).toEqual([]);
  });
});
