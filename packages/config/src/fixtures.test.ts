import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, loadFixture } from './testing/fixtures.js';

const cases = (kind: 'invalid' | 'valid') =>
  readdirSync(path.join(FIXTURES, kind))
    .sort()
    .map((name) => [name, path.join(FIXTURES, kind, name)] as const);

describe('invalid fixtures', () => {
  it('covers at least 25 cases', () => {
    expect(cases('invalid').length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases('invalid'))('%s reports exactly its expected.txt', async (_name, dir) => {
    const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8').trimEnd().split('\n');
    const { result, lines } = await loadFixture(dir);
    expect(lines).toEqual(expected);
    expect(result.config).toBeNull();
  });
});

describe('valid fixtures', () => {
  it.each(cases('valid'))('%s loads to its expected.json without diagnostics', async (_name, dir) => {
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as unknown;
    const { result, lines } = await loadFixture(dir);
    expect(lines).toEqual([]);
    expect(JSON.parse(JSON.stringify({ ...result.config, root: '.' }))).toEqual(expected);
  });
});
