import { describe, expect, it } from 'vitest';
import { getPath, parseJsonPath } from './json-path.js';

describe('JSON paths', () => {
  it.each([
    ['$', []],
    ['$.status', ['status']],
    ['$.data.items[0].id', ['data', 'items', 0, 'id']],
    ['$["x-id"]', ['x-id']],
    ["$['a b']", ['a b']],
    ['$.a-b', ['a-b']],
    ['status', null],
    ['$.', null],
    ['$[x]', null],
    ['$.a[', null],
  ])('parses %j', (text, steps) => {
    expect(parseJsonPath(text)).toEqual(steps);
  });

  const doc = { data: { items: [{ id: 7 }], empty: null }, list: [1, 2] };
  it.each([
    ['$.data.items[0].id', 7],
    ['$.data.empty', null],
    ['$.list[1]', 2],
    ['$.list[5]', undefined],
    ['$.data.items.id', undefined],
    ['$.missing.deeper', undefined],
    ['$.list.length', undefined],
  ])('reads %s', (path, value) => {
    expect(getPath(doc, parseJsonPath(path)!)).toBe(value);
  });
});
