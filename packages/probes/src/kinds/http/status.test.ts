import { describe, expect, it } from 'vitest';
import { matchStatus, statusExpectSchema, statusNamed } from './status.js';

describe('status expectations', () => {
  it.each([
    [undefined, 204, true, 'expected status 2xx, got 204'],
    [undefined, 301, false, 'expected status 2xx, got 301'],
    [200, 503, false, 'expected status 200, got 503'],
    [[200, 204], 204, true, 'expected status one of 200, 204, got 204'],
    [['2xx', 304], 304, true, 'expected status one of 2xx, 304, got 304'],
    ['4xx', 404, true, 'expected status 4xx, got 404'],
    [{ min: 200, max: 299 }, 300, false, 'expected status 200..299, got 300'],
    [{ min: 200, max: 299 }, 299, true, 'expected status 200..299, got 299'],
  ])('%j against %i', (e, status, ok, message) => {
    expect(matchStatus(e === undefined ? undefined : statusExpectSchema.parse(e), status)).toMatchObject({
      ok,
      message,
    });
  });

  it.each([
    [429, 429, true],
    [[200, 429], 429, true],
    ['4xx', 429, false],
    [{ min: 400, max: 499 }, 429, false],
    [undefined, 429, false],
  ])('%j names %i explicitly: %s', (e, status, named) => {
    expect(statusNamed(e === undefined ? undefined : statusExpectSchema.parse(e), status)).toBe(named);
  });

  it.each([[99], ['200'], ['6xx'], [[]], [{ min: 300, max: 200 }], [{ min: 200 }]])('rejects %j', (e) => {
    expect(statusExpectSchema.safeParse(e).success).toBe(false);
  });
});
