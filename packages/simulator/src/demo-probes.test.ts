import { readdirSync, readFileSync } from 'node:fs';
import { resolveEnv } from '@vigil/core';
import { Agent, request } from 'undici';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoScenario } from './demo.js';
import { fleetRoutes } from './fleet.js';
import { startSimulator } from './simulator.js';
import type { Simulator } from './types.js';

interface DemoRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  json?: unknown;
  auth?: { bearer?: string; basic?: { username: string; password: string } };
}
interface DemoExpect {
  status: number;
  json?: Record<string, unknown>;
}
interface DemoStep extends DemoRequest {
  name: string;
  expect: DemoExpect;
  extract?: Record<string, string>;
}
/** A single request (`http.url`) or a multi-step flow (`http.steps`, each with its own `expect`). */
interface DemoProbe {
  id: string;
  http: DemoRequest | { steps: DemoStep[] };
  expect?: DemoExpect;
}

/** The probe's requests, each with what it must answer: one for a single request, one a step otherwise. */
function requestsOf(p: DemoProbe): DemoStep[] {
  if ('steps' in p.http) return p.http.steps;
  return [{ ...p.http, name: 'request', expect: p.expect ?? { status: 200 } }];
}

const DIR = new URL('../../../probes/demo/probes/', import.meta.url);
const probes: [string, DemoProbe][] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    (parse(readFileSync(new URL(f, DIR), 'utf8')) as { probes: DemoProbe[] }).probes.map(
      (p) => [p.id, p] as [string, DemoProbe],
    ),
  );

/** `$.a.b[0].c` only: enough for the demo's own assertions. */
function at(doc: unknown, path: string): unknown {
  const steps = path
    .slice(2)
    .split(/\.|\[(\d+)\]/)
    .filter((s) => s !== undefined && s !== '');
  return steps.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
}

describe('probes/demo', () => {
  let sim: Simulator;
  let agent: Agent;
  beforeAll(async () => {
    sim = await startSimulator({ routes: fleetRoutes });
    agent = new Agent({ connect: { rejectUnauthorized: false } });
  });
  afterAll(async () => {
    await agent.close();
    await sim.close();
  });

  it('has probes, each with a unique id', () => {
    expect(probes.length).toBeGreaterThanOrEqual(8);
    expect(new Set(probes.map(([id]) => id)).size).toBe(probes.length);
  });

  it.each(probes)('%s probes routes of the demo scenario on the simulator', (_id, p) => {
    for (const r of requestsOf(p)) {
      const url = new URL(resolveEnv(r.url, {}));
      expect(url.hostname).toBe('127.0.0.1');
      expect(['4010', '4443']).toContain(url.port);
      expect(Object.keys(demoScenario())).toContain(url.pathname);
    }
  });

  it('has a multi-step probe: a token, then an API call with it', () => {
    const flows = probes.filter(([, p]) => 'steps' in p.http).map(([, p]) => requestsOf(p));
    expect(flows.length).toBeGreaterThanOrEqual(1);
    expect(flows[0]!.map((s) => [s.name, s.extract ?? s.auth?.bearer])).toEqual([
      ['token', { accessToken: '$.access_token' }],
      ['api', '${steps.token.accessToken}'],
    ]);
  });

  it.each(probes)('%s passes its own expectations against a healthy fleet', async (_id, p) => {
    const env = { SIM_URL: sim.httpUrl, SIM_HTTPS_URL: sim.httpsUrl };
    const values: Record<string, string> = {};
    for (const step of requestsOf(p)) {
      // `${steps.<name>.<var>}` from earlier steps, then `${env:…}` with the defaults the YAML gives
      const text = JSON.stringify(step).replace(
        /\$\{steps\.([\w-]+)\.(\w+)\}/g,
        (_m, n: string, v: string) => {
          const value = values[`${n}.${v}`];
          if (value === undefined) throw new Error(`${p.id}: no ${n}.${v} extracted`);
          return value;
        },
      );
      const http = resolveEnv(JSON.parse(text) as DemoStep, env);
      const json = http.json !== undefined;
      const auth = http.auth?.bearer
        ? `Bearer ${http.auth.bearer}`
        : http.auth?.basic
          ? `Basic ${Buffer.from(`${http.auth.basic.username}:${http.auth.basic.password}`).toString('base64')}`
          : undefined;
      const res = await request(http.url, {
        dispatcher: agent,
        method: (http.method ?? 'GET') as 'GET',
        headers: {
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...(auth && { authorization: auth }),
          ...http.headers,
        },
        body: json ? JSON.stringify(http.json) : http.body,
      });
      const doc = (await res.body.json()) as unknown;
      expect(res.statusCode, `${p.id} ${step.name}`).toBe(http.expect.status);
      for (const [path, m] of Object.entries(http.expect.json ?? {})) {
        const actual = at(doc, path);
        if (m !== null && typeof m === 'object' && 'exists' in m) expect(actual !== undefined).toBe(m.exists);
        else if (m !== null && typeof m === 'object' && 'oneOf' in m) expect(m.oneOf).toContain(actual);
        else expect(actual).toBe(m);
      }
      for (const [name, path] of Object.entries(http.extract ?? {}))
        values[`${step.name}.${name}`] = String(at(doc, path));
    }
  });
});
