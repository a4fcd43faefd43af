import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { channelConfigSchemas } from '@vigil/notify';
import { probeKindSchemas } from '@vigil/probes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { loadConfig } from './load.js';
import { literalSecret } from './secret-check.js';

const probe = (...rest: (string | number)[]) => ['probes', 0, 'http', ...rest];

describe('a secret written literally', () => {
  it.each([
    [
      'a Slack webhook with ${env:NOPE:-} appended',
      'https://hooks.slack.com/services/T0A/B0B/abcdef${env:NOPE:-}',
      ['channels', 'x', 'webhook'],
    ],
    ['a Slack webhook anywhere', 'see https://hooks.slack.com/services/T0A/B0B/abcdef', ['runbook']],
    ['a Stripe secret key as a bearer', 'sk_live_51HabcdefGHIJ', probe('auth', 'bearer')],
    [
      'a Stripe key in the default of a reference',
      '${env:STRIPE:-sk_test_51HabcdefGHIJ}',
      probe('auth', 'bearer'),
    ],
    ['a Slack bot token in a header', 'Bearer xoxb-1234-5678-abcdefgh', probe('headers', 'X-Token')],
    ['a GitHub token', 'ghp_0123456789abcdefghijABCDEFGHIJ', probe('headers', 'X-Thing')],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE', probe('query', 'id')],
    ['a password in a URL', 'https://svc:hunter2@api.example.com/v1', probe('url')],
    [
      'a password in a URL after a reference',
      '${env:SCHEME:-https}://svc:hunter2@api.example.com',
      probe('url'),
    ],
    ['a literal bearer with an empty default appended', 'abc123${env:NOPE:-}', probe('auth', 'bearer')],
    ['a literal basic password', 'hunter2', probe('auth', 'basic', 'password')],
    ['a literal header auth value', 'k-123', probe('auth', 'header', 'value')],
    ['a literal query auth value', 'k-123', probe('auth', 'query', 'value')],
    ['a literal OAuth2 client secret', 's3cr3t', probe('auth', 'oauth2', 'clientSecret')],
    ['a literal bearer beside a step reference', 'abc${steps.token.accessToken}', probe('auth', 'bearer')],
    ['a literal Authorization header', 'Basic dXNlcjpwYXNz', probe('headers', 'Authorization')],
    ['a literal SMTP password', 'hunter2${env:NOPE:-}', ['channels', 'mail', 'smtp', 'pass']],
  ])('is an error: %s', (_name, value, at) => {
    expect(literalSecret(value, at)).toMatchObject({ severity: 'error' });
  });

  it.each([
    ['an API key header', '0123abcd', probe('headers', 'X-Algolia-API-Key')],
    ['a token header', 'abc', probe('headers', 'X-Auth-Token')],
    ['a secret query parameter', 'abc', probe('query', 'access_token')],
    ['a key in the URL query', 'https://maps.example.com/geo?q=berlin&key=AbC123', probe('url')],
    ['an api_key in the URL query', '${env:BASE}/v1?api_key=abc123', probe('url')],
  ])('is a warning when only a name suggests it: %s', (_name, value, at) => {
    expect(literalSecret(value, at)).toMatchObject({ severity: 'warning' });
  });

  it.each([
    ['a reference', '${env:STRIPE_API_KEY}', probe('auth', 'bearer')],
    ['a scheme and a reference', 'Bearer ${env:TOKEN}', probe('headers', 'Authorization')],
    ['a placeholder default', '${env:STRIPE_API_KEY:-sk_test_demo}', probe('auth', 'bearer')],
    ['a demo default for a key header', '${env:ADNET_KEY:-demo-key}', probe('headers', 'x-api-key')],
    ['an empty password', '', probe('auth', 'basic', 'password')],
    ['a literal user name', 'vigil', probe('auth', 'basic', 'username')],
    ['a public header', 'application/json', probe('headers', 'Accept')],
    ['an application id', 'app-1', probe('headers', 'X-Algolia-Application-Id')],
    ['a key in the URL query from a reference', '${env:BASE}/v1?api_key=${env:KEY}&page=2', probe('url')],
    ['a URL with a user and no password', 'https://svc@api.example.com', probe('url')],
    ['a JSON path assertion named like a secret', 'Bearer', ['probes', 0, 'expect', 'json', '$.token_type']],
    ['a publishable Stripe key', 'pk_live_51HabcdefGHIJ', probe('headers', 'X-Publishable')],
    [
      "an earlier step's token as a bearer",
      '${steps.token.accessToken}',
      probe('steps', 1, 'auth', 'bearer'),
    ],
    [
      "an earlier step's token in a header",
      'Bearer ${steps.token.accessToken}',
      probe('steps', 1, 'headers', 'Authorization'),
    ],
    [
      "an earlier step's token in the URL query",
      'https://api.example.com/v1?access_token=${steps.token.accessToken}',
      probe('steps', 1, 'url'),
    ],
  ])('is not flagged: %s', (_name, value, at) => {
    expect(literalSecret(value, at)).toBeNull();
  });

  it('never repeats the value in its message', () => {
    for (const [value, at] of [
      ['sk_live_51HabcdefGHIJ', probe('auth', 'bearer')],
      ['hunter2', probe('auth', 'basic', 'password')],
      ['0123abcd', probe('headers', 'X-Api-Key')],
    ] as const)
      expect(literalSecret(value, at)?.message).not.toContain(value);
  });
});

describe('loading a config with literal secrets', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'vigil-secrets-'));
    await mkdir(path.join(root, 'probes'));
    await writeFile(
      path.join(root, 'vigil.yaml'),
      `channels:
  oncall:
    type: slack
    webhook: "https://hooks.slack.com/services/T0AAAA/B0BBBB/s3cr3tT0k3n\${env:NOPE:-}"
`,
    );
    await writeFile(
      path.join(root, 'probes', 'search.yaml'),
      `probes:
  - id: algolia-search
    name: Algolia query
    provider: algolia
    service: search
    http:
      url: https://app-dsn.algolia.net/1/indexes/products/query
      headers:
        X-Algolia-Application-Id: app-1
        X-Algolia-API-Key: 0123abcd0123abcd
      auth: { bearer: "sk_live_51HabcdefGHIJ" }
`,
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reports each where it is written, errors stopping the load, and the webhook trick among them', async () => {
    const r = await loadConfig({ root, kinds: probeKindSchemas, channelTypes: channelConfigSchemas });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'probes/search.yaml:10:9 probes[0].http.headers.X-Algolia-API-Key: warning: looks like a credential written literally: write it as ${env:NAME} and set NAME in the environment',
      'probes/search.yaml:11:15 probes[0].http.auth.bearer: looks like a Stripe secret key written literally: write it as ${env:NAME} and set NAME in the environment',
      'vigil.yaml:4:5 channels.oncall.webhook: looks like a Slack webhook URL written literally: write it as ${env:NAME} and set NAME in the environment',
    ]);
    expect(r.config).toBeNull();
  });
});
