import { Redactor } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { emptyPhases } from '../../phases.js';
import type { ProbeContext } from '../../types.js';
import type { RequestBudget, RequestOutcome } from './run-request.js';
import { httpSpecSchema, type HttpSpec, type HttpStepsSpec } from './spec.js';
import { runSteps, stepRequest, type StepsIO } from './steps.js';

const parse = (steps: unknown[], extra: Record<string, unknown> = {}) =>
  httpSpecSchema.parse({ steps, ...extra }) as HttpStepsSpec;

function context(timeoutMs = 1000, secrets = Redactor.none) {
  const added: string[] = [];
  const ctx: ProbeContext = {
    timeoutMs,
    env: {},
    secrets,
    clock: { now: () => 0 },
    probe: { id: 'p', slotAt: 0, schedule: { type: 'interval', everyMs: 60_000 } },
    addSecret: (v) => void added.push(v),
  };
  return { ctx, added };
}

/** Requests that take `costMs` each on a fake monotonic clock and answer `bodies[i]` with HTTP 200. */
function fakeIO(bodies: unknown[], costMs = 0) {
  let now = 0;
  const calls: { request: HttpSpec; budget: RequestBudget }[] = [];
  const io: StepsIO = {
    now: () => now,
    request: (request, _expect, _ctx, budget, secrets = Redactor.none) => {
      calls.push({ request, budget });
      now += costMs;
      const out: RequestOutcome = {
        phases: { ...emptyPhases(costMs), connectMs: 1, ttfbMs: 2 },
        outcome: 'up',
        httpStatus: 200,
        errorClass: null,
        message: null,
        assertions: [],
        retryAfterS: null,
        tlsDaysLeft: null,
        notices: null,
        response: {
          headers: { 'request-id': 'req-1' },
          bodyText: JSON.stringify(bodies[calls.length - 1] ?? {}),
        },
        secrets,
      };
      return Promise.resolve(out);
    },
  };
  return { io, calls };
}

describe('multi-step runs', () => {
  it('gives each step what the steps before it left of the one timeout, and does not start one past it', async () => {
    const spec = parse([
      { name: 'a', url: 'http://a.test/1' },
      { name: 'b', url: 'http://a.test/2' },
      { name: 'c', url: 'http://a.test/3' },
    ]);
    const { io, calls } = fakeIO([], 600);
    const r = await runSteps(spec, {}, context(1000).ctx, io);
    expect(calls.map((c) => c.budget.timeoutMs)).toEqual([1000, 400]);
    expect(calls[0]!.budget.timeoutText).toBe('1000ms, the timeout all steps share');
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'timeout' });
    expect(r.message).toBe(
      'step "c": not started: the probe\'s 1000ms timeout was spent by the steps before it',
    );
    expect(r.steps?.map((s) => [s.name, s.outcome])).toEqual([
      ['a', 'up'],
      ['b', 'up'],
      ['c', 'down'],
    ]);
    expect(r.phases).toMatchObject({ connectMs: 2, ttfbMs: 4, totalMs: 1200 });
  });

  it('passes extracted values to later steps: headers, path (keeping /), query (one value), json, auth', async () => {
    const spec = parse(
      [
        {
          name: 'token',
          url: 'http://a.test/token',
          extract: { tok: '$.access_token', path: '$.next', id: '$.id' },
        },
        {
          name: 'use',
          url: 'http://a.test${steps.token.path}/items/${steps.token.id}?q=${steps.token.id}',
          headers: { 'x-token': '${steps.token.tok}' },
          json: { nested: ['${steps.token.id}'] },
          auth: { bearer: '${steps.token.tok}' },
        },
      ],
      { headers: { accept: 'application/json' }, maxBodyBytes: 1000, tls: { verify: false } },
    );
    const { io, calls } = fakeIO([{ access_token: 'tok-1', next: '/v1/a b', id: 'x&y/z' }]);
    const r = await runSteps(spec, {}, context().ctx, io);
    expect(r.outcome).toBe('up');
    const sent = calls[1]!.request;
    expect(sent.url).toBe('http://a.test/v1/a%20b/items/x&y/z?q=x%26y%2Fz');
    expect(sent.headers).toEqual({ accept: 'application/json', 'x-token': 'tok-1' });
    expect(sent.json).toEqual({ nested: ['x&y/z'] });
    expect(sent.auth).toEqual({ bearer: 'tok-1' });
    expect(sent).toMatchObject({ maxBodyBytes: 1000, tls: { verify: false }, method: 'GET' });
  });

  it('a value from a response to a request with a secret becomes a secret (unless secret: false)', async () => {
    const spec = parse([
      {
        name: 'token',
        url: 'http://a.test/token',
        auth: { basic: { username: 'id', password: 'pw-secret' } },
        extract: { tok: '$.access_token', id: { json: '$.id', secret: false } },
      },
      {
        name: 'plain',
        url: 'http://a.test/x',
        extract: { open: '$.open', forced: { json: '$.f', secret: true } },
      },
      { name: 'echo', url: 'http://a.test/y?t=${steps.token.tok}', extract: { echoed: '$.echoed' } },
    ]);
    const { io } = fakeIO([
      { access_token: 'tok-abc', id: 'acct_1' },
      { open: 'visible', f: 'forced-secret' },
      { echoed: 'from-secret-request' },
    ]);
    const { ctx, added } = context();
    await runSteps(spec, {}, ctx, io);
    expect(added).toEqual(['tok-abc', 'forced-secret', 'from-secret-request']);
  });

  it('a reference that names no value fails the step that asks, naming it, the step and the variable', async () => {
    const spec = parse([
      { name: 'token', url: 'http://a.test/token', extract: { tok: '$.access_token' } },
      { name: 'use', url: 'http://a.test/x', headers: { authorization: 'Bearer ${steps.token.tok}' } },
    ]);
    // past the schema (a stored spec from an older version, say): the run still says what is wrong
    spec.steps[1]!.headers.authorization = 'Bearer ${steps.token.token}';
    const { io, calls } = fakeIO([{ access_token: 'tok-1' }]);
    const r = await runSteps(spec, {}, context().ctx, io);
    expect(calls).toHaveLength(1);
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'config' });
    expect(r.message).toBe(
      'step "use": ${steps.token.token} is not defined: step "token" extracts tok, not token',
    );
  });

  it('a value with a line break is not sent as a header; one that makes no URL is not requested', async () => {
    const spec = parse([
      { name: 'a', url: 'http://a.test/', extract: { v: '$.v', u: { json: '$.u', secret: false } } },
      { name: 'b', url: '${steps.a.u}' },
    ]);
    const values = new Map([
      [
        'a',
        new Map([
          ['v', 'x\r\ninjected: 1'],
          ['u', 'ftp://x'],
        ]),
      ],
    ]);
    const headerStep = { ...spec.steps[1]!, url: 'http://a.test/', headers: { 'x-v': '${steps.a.v}' } };
    expect(() => stepRequest(spec, headerStep, values)).toThrow(
      'header x-v: a value from an earlier step holds a line break',
    );
    expect(() => stepRequest(spec, spec.steps[1]!, values)).toThrow(
      'url: a value from an earlier step does not make an http(s) URL',
    );
  });

  it("judges each step by its own expect over the probe's, and prefixes its assertions with its name", async () => {
    const spec = parse([
      { name: 'a', url: 'http://a.test/1', expect: { json: { '$.ok': true } } },
      { name: 'b', url: 'http://a.test/2' },
    ]);
    const seen: unknown[] = [];
    const { io } = fakeIO([{ ok: true }, {}]);
    const request = io.request;
    io.request = (r, e, c, b, s) => {
      seen.push(e);
      return request(r, e, c, b, s);
    };
    const r = await runSteps(spec, { status: 200, responseTime: '< 500ms' }, context().ctx, io);
    expect(seen).toEqual([
      { status: 200, responseTime: '< 500ms', json: { '$.ok': true } },
      { status: 200, responseTime: '< 500ms' },
    ]);
    expect(r.assertions.map((a) => a.name)).toEqual(['step "a"', 'step "b"']);
  });
});
