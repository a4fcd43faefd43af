import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

interface Manifest {
  name: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const manifests: Manifest[] = ['apps', 'packages'].flatMap((dir) =>
  readdirSync(join(root, dir)).map(
    (name) => JSON.parse(readFileSync(join(root, dir, name, 'package.json'), 'utf8')) as Manifest,
  ),
);

describe('product code is not test code', () => {
  it('no app or product package depends on @vigil/testing at run time', () => {
    const dependents = manifests
      .filter((m) => m.name !== '@vigil/testing' && m.dependencies?.['@vigil/testing'] !== undefined)
      .map((m) => m.name);
    expect(dependents).toEqual([]);
  });

  it('the simulator depends on core and its certificate generator only', () => {
    const simulator = manifests.find((m) => m.name === '@vigil/simulator');
    expect(Object.keys(simulator?.dependencies ?? {}).sort()).toEqual(['@vigil/core', 'selfsigned']);
  });

  it('no package exports benchmark code', async () => {
    const subpaths = manifests.flatMap((m) =>
      Object.keys(m.exports ?? {}).map((k) => `${m.name}${k.slice(1)}`),
    );
    expect(subpaths.filter((p) => /bench/.test(p))).toEqual([]);
    const evaluator = await import('@vigil/evaluator');
    expect(Object.keys(evaluator).filter((k) => /bench/i.test(k))).toEqual([]);
  });
});
