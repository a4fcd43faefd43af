import { describe, expect, it } from 'vitest';
import { storable } from './text.js';

describe('storable', () => {
  it.each([
    ['plain text', 'expected status 200, got 503', 'expected status 200, got 503'],
    ['a NUL byte', 'a\u0000b', 'a\uFFFDb'],
    ['a high surrogate cut at the end', 'ok \uD83D', 'ok \uFFFD'],
    ['a stray low surrogate', '\uDE00x', '\uFFFDx'],
    ['a whole emoji', 'up \uD83D\uDE00', 'up \uD83D\uDE00'],
  ])('keeps what Postgres can store and replaces the rest: %s', (_name, input, output) => {
    expect(storable(input)).toBe(output);
  });
});
