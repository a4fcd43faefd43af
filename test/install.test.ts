import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const json = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
const manifest = json('package.json') as { allowScripts?: Record<string, boolean> };
const lock = json('package-lock.json') as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean; link?: boolean }>;
};

const nameOf = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
const installed = Object.entries(lock.packages).filter(
  ([key, p]) => key.includes('node_modules/') && !p.link,
);

describe('a clean npm ci', () => {
  it('meets no dependency install script that package.json has not decided on (allowScripts)', () => {
    const decided = new Set(Object.keys(manifest.allowScripts ?? {}).map((k) => k.replace(/(.)@.*$/, '$1')));
    const undecided = installed
      .filter(([, p]) => p.hasInstallScript)
      .map(([key, p]) => `${nameOf(key)}@${p.version}`)
      .filter((id) => !decided.has(id.replace(/(.)@.*$/, '$1')));
    expect(undecided).toEqual([]);
  });

  it('installs one esbuild (the build, tsx, vite and drizzle-kit share it)', () => {
    const versions = new Set(
      installed.filter(([key]) => nameOf(key) === 'esbuild').map(([, p]) => p.version),
    );
    expect([...versions]).toHaveLength(1);
  });
});
