import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostics.js';
import { parseDuration } from './duration.js';
import { FIXTURES, testChannelTypes } from './testing/fixtures.js';
import { loadConfig } from './load.js';
import { parseSource } from './source-file.js';
import { testKinds } from './testing/kinds.js';

/**
 * Random and mutated input through the whole load path: it must end (a hang fails the per-case
 * guard), never throw, and report only well-formed diagnostics; a config comes back iff no error.
 */
const RUNS = 200;
/** a hang guard, far above the ~20 ms a case takes */
const CASE_MS = 5_000;
/** each property is bounded by its runs; this is the budget for all of them on a loaded machine */
const PROPERTY_MS = 90_000;

let root: string;
let seq = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-prop-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function load(files: Record<string, string | Uint8Array>) {
  const dir = path.join(root, String(seq++));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  const result = await loadConfig({ root: dir, kinds: testKinds, channelTypes: testChannelTypes, env: {} });
  expect(performance.now() - started).toBeLessThan(CASE_MS);
  await rm(dir, { recursive: true, force: true });
  return { result, files: Object.keys(files) };
}

function wellFormed(d: Diagnostic, files: string[]): void {
  expect(files).toContain(d.file);
  expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
  expect(Number.isInteger(d.col) && d.col >= 1).toBe(true);
  expect(typeof d.path).toBe('string');
  expect(d.message.length).toBeGreaterThan(0);
  expect(['error', 'warning']).toContain(d.severity);
}

async function checkLoad(files: Record<string, string | Uint8Array>): Promise<void> {
  const { result, files: names } = await load(files);
  for (const d of result.diagnostics) wellFormed(d, names);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  expect(result.config === null).toBe(errors > 0);
}

const property = { numRuns: RUNS / 2, timeout: CASE_MS };

const PROBE_FILE = `defaults:
  interval: 1m
  timeout: 5s
probes:
  - id: stripe-balance
    name: Stripe balance
    provider: stripe
    service: payments
    regions: [eu-west]
    labels: { team: payments }
    http:
      url: https://api.stripe.com/v1/balance
      headers: { Authorization: "Bearer \${env:STRIPE_KEY}" }
    expect: { status: 200 }
  - id: algolia
    name: Algolia
    provider: algolia
    service: search
    schedule: { cron: "*/5 * * * *", tz: Europe/Berlin }
    tcp: { host: algolia.net, port: 443 }
`;
const VIGIL_FILE = `timezone: Europe/Berlin
regions: [eu-west, us-east]
defaults:
  interval: 30s
channels:
  oncall:
    type: slack
    webhook: \${env:SLACK_URL}
`;

/** Pieces of YAML syntax (and of what people paste into it) to splice anywhere. */
const TOKENS = [
  ':',
  ': ',
  '- ',
  '? ',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!binary ',
  '!!str ',
  '!custom ',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '|',
  '>-',
  '#',
  '\t',
  '\n',
  '\r\n',
  '  ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '${env:',
  '${env:X}',
  '__proto__: 1\n',
  '\u0000',
  '\uFEFF',
  '\u2028',
  'probes:',
  'http:',
  'interval: ',
  'timeout: ',
  '1e999',
  '-.inf',
  '.nan',
  '0x1F',
  '~',
  'null',
  'regions: [',
  'id: dup\n',
  '😀',
];

type Mutation = { at: number; cut: number; insert: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 12 }),
  insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })),
});

function mutate(text: string, ms: Mutation[]): string {
  let out = text;
  for (const m of ms) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    out = out.slice(0, at) + m.insert + out.slice(at + m.cut);
  }
  return out;
}

const mutated = (base: string) =>
  fc.array(mutation, { minLength: 1, maxLength: 8 }).map((ms) => mutate(base, ms));

/** Durations: the grammar (with huge, tiny and fractional numbers), near misses, and other types. */
const number = fc.oneof(
  fc.nat().map(String),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 400 }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`),
);
const unit = fc.constantFrom('ms', 's', 'm', 'h', 'd');
const durationText = fc.oneof(
  fc
    .array(
      fc.tuple(number, unit).map(([n, u]) => n + u),
      { minLength: 1, maxLength: 4 },
    )
    .map((p) => p.join('')),
  fc.constantFrom('5', '5 s', '1e3s', '-5s', '5S', '1h 30m', '', 'P1D', '∞s', '0s', '0ms', '1.s', '.5s'),
  fc.string({ maxLength: 12 }),
);
const durationValue = fc.oneof(
  { weight: 4, arbitrary: durationText },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.nat())),
  },
);

/** A value of any YAML-representable shape, for fields whose type is wrong as often as right. */
const anyValue = fc.jsonValue({ maxDepth: 3 });

const probe = fc.record(
  {
    id: fc.oneof(fc.constantFrom('a', 'b', 'stripe-balance'), fc.string({ maxLength: 20 }), anyValue),
    name: fc.oneof(fc.string({ maxLength: 20 }), anyValue),
    provider: fc.oneof(fc.constantFrom('stripe', 'algolia'), anyValue),
    service: fc.oneof(fc.constantFrom('payments', 'search'), anyValue),
    interval: durationValue,
    timeout: durationValue,
    regions: fc.oneof(fc.subarray(['eu-west', 'us-east', 'mars']), anyValue),
    labels: fc.oneof(fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })), anyValue),
    schedule: fc.oneof(
      fc.record({ cron: fc.string({ maxLength: 15 }), tz: fc.string({ maxLength: 15 }) }),
      anyValue,
    ),
    slo: fc.oneof(fc.record({ target: fc.oneof(fc.double(), fc.string({ maxLength: 6 })) }), anyValue),
    http: fc.oneof(
      fc.record(
        {
          url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 })),
          method: fc.string({ maxLength: 6 }),
          headers: anyValue,
        },
        { requiredKeys: ['url'] },
      ),
      anyValue,
    ),
    tcp: fc.oneof(fc.record({ host: fc.string({ maxLength: 10 }), port: fc.integer() }), anyValue),
    expect: fc.oneof(
      fc.record({ status: fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), body: anyValue }),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);
const probeFile = fc.record(
  {
    defaults: fc.record({ interval: durationValue, timeout: durationValue }, { requiredKeys: [] }),
    probes: fc.oneof(
      { weight: 5, arbitrary: fc.array(probe, { maxLength: 4 }) },
      { weight: 1, arbitrary: anyValue },
    ),
  },
  { requiredKeys: [] },
);
const vigilFile = fc.record(
  {
    timezone: fc.oneof(fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Olympus'), anyValue),
    regions: fc.oneof(fc.subarray(['eu-west', 'us-east', 'local']), anyValue),
    defaults: fc.record({ interval: durationValue, timeout: durationValue }, { requiredKeys: [] }),
    channels: fc.oneof(
      fc.constant({ oncall: { type: 'slack', webhook: 'https://hooks.example.com/x' } }),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);

describe('loading random and mutated input', () => {
  it('parses any text without throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), mutated(PROBE_FILE), mutated(VIGIL_FILE)),
        (text) => {
          const r = parseSource(text, 'p.yaml');
          if (!r.ok) for (const d of r.diagnostics) wellFormed(d, ['p.yaml']);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(
    'survives mutated probe files and vigil.yaml',
    async () => {
      await fc.assert(
        fc.asyncProperty(mutated(PROBE_FILE), fc.option(mutated(VIGIL_FILE)), async (p, v) => {
          await checkLoad({ 'probes/p.yaml': p, ...(v === null ? {} : { 'vigil.yaml': v }) });
        }),
        property,
      );
    },
    PROPERTY_MS,
  );

  it(
    'survives mutated versions of the valid fixtures',
    async () => {
      const cascade = path.join(FIXTURES, 'valid', 'cascade');
      const vigil = await readFile(path.join(cascade, 'vigil.yaml'), 'utf8');
      const network = await readFile(path.join(cascade, 'probes', 'network.yaml'), 'utf8');
      const payments = await readFile(path.join(cascade, 'probes', 'team', 'payments.yaml'), 'utf8');
      await fc.assert(
        fc.asyncProperty(mutated(vigil), mutated(network), fc.option(mutated(payments)), async (v, n, p) => {
          await checkLoad({
            'vigil.yaml': v,
            'probes/network.yaml': n,
            ...(p === null ? {} : { 'probes/team/payments.yaml': p }),
          });
        }),
        property,
      );
    },
    PROPERTY_MS,
  );

  it(
    'survives random bytes as probe files and as vigil.yaml',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 200 }),
          async (p, v) => {
            await checkLoad({ 'probes/p.yaml': p, 'vigil.yaml': v });
          },
        ),
        property,
      );
    },
    PROPERTY_MS,
  );

  it(
    'survives well-formed YAML of the right shape holding wrong values and durations',
    async () => {
      await fc.assert(
        fc.asyncProperty(probeFile, fc.option(vigilFile), async (p, v) => {
          await checkLoad({
            'probes/p.yaml': stringify(p),
            ...(v === null ? {} : { 'vigil.yaml': stringify(v) }),
          });
        }),
        property,
      );
    },
    PROPERTY_MS,
  );
});

describe('files that are not YAML probe files', () => {
  it(
    'reports the first byte that is not UTF-8 where it is, instead of replacing it',
    async () => {
      const bad = fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xe9, 0xf5, 0xff);
      await fc.assert(
        fc.asyncProperty(fc.nat(), bad, async (at, byte) => {
          const text = Buffer.from(PROBE_FILE, 'utf8');
          const i = at % text.length;
          const bytes = Buffer.concat([text.subarray(0, i), Buffer.from([byte]), text.subarray(i)]);
          const { result } = await load({ 'probes/p.yaml': bytes });
          const before = text.subarray(0, i).toString('utf8');
          const line = before.split('\n').length;
          const col = before.length - before.lastIndexOf('\n');
          expect(result.diagnostics.map((d) => [d.line, d.col, d.message])).toEqual([
            [line, col, expect.stringMatching(/^not valid UTF-8: byte 0x[0-9a-f]{2} at offset \d+/)],
          ]);
        }),
        property,
      );
    },
    PROPERTY_MS,
  );

  it(
    'never echoes the content of a text file that is not YAML',
    async () => {
      const field = fc.stringMatching(/^[A-Z0-9]{6,12}$/);
      const line = fc.array(field, { minLength: 2, maxLength: 6 }).map((f) => f.join(':'));
      await fc.assert(
        fc.asyncProperty(
          fc.array(line, { minLength: 1, maxLength: 20 }),
          fc.boolean(),
          async (lines, asVigil) => {
            const text = `${lines.join('\n')}\n`;
            const { result } = await load(asVigil ? { 'vigil.yaml': text } : { 'probes/p.yaml': text });
            const said = result.diagnostics.map((d) => d.message).join('\n');
            expect(result.diagnostics.length).toBeGreaterThan(0);
            for (const f of lines.flatMap((l) => l.split(':'))) expect(said).not.toContain(f);
          },
        ),
        property,
      );
    },
    PROPERTY_MS,
  );
});

describe('parseDuration on any text', () => {
  it('returns null or a number of milliseconds that is not negative, never throws', () => {
    fc.assert(
      fc.property(durationText, (text) => {
        const ms = parseDuration(text);
        expect(ms === null || ms >= 0).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
