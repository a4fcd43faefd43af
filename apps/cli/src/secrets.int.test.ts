import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from './testing/cli.js';

const SECRET = 'sk_live_"q/u+o=t%e&d<s>3cr3t-0123456789';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Every 8-character piece of every form of the secret found in `text`. */
function leaks(text: string): string[] {
  const forms = [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), b64(SECRET)];
  const found = new Set<string>();
  for (const f of forms)
    for (let i = 0; i + 8 <= f.length; i++)
      if (text.includes(f.slice(i, i + 8))) found.add(f.slice(i, i + 8));
  return [...found];
}

let leaky: Server;
let dir: string;

beforeAll(async () => {
  leaky = createServer((req, res) => {
    const key = (req.headers['x-api-key'] as string | undefined) ?? '';
    if (req.url === '/json') return res.writeHead(401).end(JSON.stringify({ error: 'bad key', key }));
    res.writeHead(401).end(`${'x'.repeat(150)} ${b64(`\0svc\0${key}`)} ${'z'.repeat(60)}`);
  });
  await new Promise<void>((resolve) => leaky.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'vigil-secrets-'));
  await mkdir(join(dir, 'probes'));
  await writeFile(join(dir, 'vigil.yaml'), 'regions: [local]\n');
  await writeFile(
    join(dir, 'probes', 'p.yaml'),
    `defaults: { provider: acme, service: search, timeout: 2s }
probes:
${['json', 'cut']
  .map(
    (id) =>
      `  - { id: ${id}, name: ${id}, http: { url: "${base}/${id}", headers: { X-Api-Key: "\${env:VIGIL_TEST_KEY}" } } }`,
  )
  .join('\n')}
`,
  );
});
afterAll(async () => {
  await new Promise<void>((resolve) => leaky.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('vigil check --json', () => {
  it('prints no form of a secret the target echoed back', async () => {
    const r = await runVigil(['-C', dir, 'check', '--json'], { env: { VIGIL_TEST_KEY: SECRET } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toContain('[REDACTED]');
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });
});

describe('vigil validate', () => {
  it('refuses a literal Slack webhook hidden behind ${env:NOPE:-}, naming where it is', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'vigil-literal-'));
    await writeFile(
      join(bad, 'vigil.yaml'),
      'channels:\n  oncall:\n    type: slack\n    webhook: "https://hooks.slack.com/services/T0AAAA/B0BBBB/s3cr3tT0k3n${env:NOPE:-}"\n',
    );
    await writeFile(
      join(bad, 'p.yaml'),
      'probes:\n  - { id: a, name: A, provider: p, service: s, http: { url: "http://127.0.0.1:1" } }\n',
    );
    const r = await runVigil(['-C', bad, 'validate', '--no-env']);
    await rm(bad, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'vigil.yaml:4:5 channels.oncall.webhook: looks like a Slack webhook URL written literally',
    );
    expect(r.stderr).not.toContain('s3cr3tT0k3n');
  });
});
