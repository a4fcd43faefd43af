import { readdirSync, readFileSync } from 'node:fs';
import { resolveEnv } from '@vigil/core';
import { Agent, request } from 'undici';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoScenario } from './demo.js';
import { fleetRoutes } from './fleet.js';
import { startSimulator } from './simulator.js';
import type { Simulator } from './types.js';

interface DemoProbe {
  id: string;
  http: { url: string; method?: string; headers?: Record<string, string>; body?: string; json?: unknown };
  expect: { status: number; json?: Record<string, unknown> };
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

  it.each(probes)('%s probes a route of the demo scenario on the simulator', (_id, p) => {
    const url = new URL(resolveEnv(p.http.url, {}));
    expect(url.hostname).toBe('127.0.0.1');
    expect(['4010', '4443']).toContain(url.port);
    expect(Object.keys(demoScenario())).toContain(url.pathname);
  });

  it.each(probes)('%s passes its own expectations against a healthy fleet', async (_id, p) => {
    const http = resolveEnv(p.http, { SIM_URL: sim.httpUrl, SIM_HTTPS_URL: sim.httpsUrl });
    const json = http.json !== undefined;
    const res = await request(http.url, {
      dispatcher: agent,
      method: (http.method ?? 'GET') as 'GET',
      headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...http.headers },
      body: json ? JSON.stringify(http.json) : http.body,
    });
    const doc = (await res.body.json()) as unknown;
    expect(res.statusCode).toBe(p.expect.status);
    for (const [path, m] of Object.entries(p.expect.json ?? {})) {
      const actual = at(doc, path);
      if (m !== null && typeof m === 'object' && 'exists' in m) expect(actual !== undefined).toBe(m.exists);
      else if (m !== null && typeof m === 'object' && 'oneOf' in m) expect(m.oneOf).toContain(actual);
      else expect(actual).toBe(m);
    }
  });
});
