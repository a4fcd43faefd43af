import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { manualClock, startSimulator, type Simulator } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from './run-probe.js';
import { probeSpec } from './testing/probes.js';

const SECRET = 'sk_live_s3cr3t/+=token';
const env = { TOKEN: SECRET, KEY: SECRET, USER: 'svc-user', PASS: 'pa55word!' };
const clock = manualClock('2025-03-01T10:00:00Z');
const ctx = { env, clock, region: 'eu-west', slotAt: 1_740_823_200_000, workerId: 'worker-7' };

let sim: Simulator;
let leaky: Server;
let leakyUrl: string;

beforeAll(async () => {
  sim = await startSimulator();
  // a target that puts every credential it receives into its redirects and error bodies
  leaky = createServer((req, res) => {
    const creds = `${req.headers.authorization ?? ''}|${req.url ?? ''}`;
    if (req.url?.startsWith('/loop')) {
      res.writeHead(302, { location: `/loop?seen=${encodeURIComponent(creds)}` }).end();
      return;
    }
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`bad credentials: ${creds}`);
  });
  await new Promise<void>((resolve) => leaky.listen(0, '127.0.0.1', resolve));
  leakyUrl = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim.close();
  await new Promise<void>((resolve) => leaky.close(() => resolve()));
});

const forms = [SECRET, encodeURIComponent(SECRET), btoa('svc-user:pa55word!'), 'pa55word!'];

describe('runProbe', () => {
  it('stamps the result with the probe, region, slot, worker and the clock’s start time', async () => {
    const r = await runProbe(probeSpec('http', { url: `${sim.httpUrl}/echo` }), ctx);
    expect(r).toMatchObject({
      probeId: 'test-http',
      region: 'eu-west',
      slotAt: ctx.slotAt,
      startedAt: Date.parse('2025-03-01T10:00:00Z'),
      workerId: 'worker-7',
      outcome: 'up',
    });
  });

  it.each([
    [
      'a bearer token echoed in an error body',
      { url: `${'$'}{env:BASE}/err`, auth: { bearer: '${env:TOKEN}' } },
    ],
    [
      'a bearer token echoed in redirects',
      { url: `${'$'}{env:BASE}/loop`, auth: { bearer: '${env:TOKEN}' } },
    ],
    [
      'a query key echoed in redirects',
      { url: `${'$'}{env:BASE}/loop`, auth: { query: { name: 'key', value: '${env:KEY}' } } },
    ],
    [
      'basic credentials echoed in an error body',
      { url: `${'$'}{env:BASE}/err`, auth: { basic: { username: '${env:USER}', password: '${env:PASS}' } } },
    ],
  ])('never lets %s into the result', async (_name, spec) => {
    const r = await runProbe(probeSpec('http', spec, { body: { contains: 'never' } }), {
      ...ctx,
      env: { ...env, BASE: leakyUrl },
    });
    expect(r.outcome).toBe('down');
    expect(r.message).toContain('[REDACTED]');
    const text = JSON.stringify(r);
    for (const secret of forms) expect(text).not.toContain(secret);
  });

  it('sends the resolved secret to the target', async () => {
    const r = await runProbe(
      probeSpec(
        'http',
        { url: `${sim.httpUrl}/echo`, auth: { bearer: '${env:TOKEN}' } },
        {
          json: { '$.headers.authorization': { regex: '^Bearer sk_live_' } },
        },
      ),
      ctx,
    );
    expect(r.outcome).toBe('up');
  });

  it('does not run a probe whose variable is missing, and records a configuration problem naming it', async () => {
    const before = sim.requests('/echo');
    const r = await runProbe(
      probeSpec('http', { url: `${sim.httpUrl}/echo`, headers: { 'x-key': '${env:NOPE}' } }),
      ctx,
    );
    expect(r).toMatchObject({
      outcome: 'down',
      errorClass: 'config',
      message: 'cannot run: missing environment variable: NOPE',
    });
    expect(sim.requests('/echo')).toBe(before);
  });

  it.each([
    ['an unknown kind', probeSpec('smtp', { host: 'x' }), 'unknown probe kind "smtp"'],
    [
      'an invalid spec',
      probeSpec('http', { url: 'ftp://x' }),
      'invalid http probe definition http.url: expected an http:// or https:// URL, got "ftp://x"',
    ],
    [
      'an invalid expect block',
      probeSpec('http', { url: 'http://x' }, { status: 'ok' }),
      'invalid http probe definition expect.status',
    ],
  ])('turns %s into an internal result instead of throwing', async (_name, p, message) => {
    const r = await runProbe(p, ctx);
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'internal', httpStatus: null });
    expect(r.message).toContain(message);
  });
});
