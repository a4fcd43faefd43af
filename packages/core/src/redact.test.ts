import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_EDGE_PREFIX, REDACTED, Redactor, redact } from './redact.js';

const SECRET = 'sk_live_"q/u+o=t%e&d<s>3cr3t';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

describe('redact', () => {
  it('redacts every occurrence', () => {
    expect(redact('token sk_live_1 and sk_live_1', ['sk_live_1'])).toBe('token [REDACTED] and [REDACTED]');
  });

  it('leaves a text without secrets, and any text when there are none, as it is', () => {
    expect(redact('expected status 200, got 503: {"error":"x"}…', [SECRET])).toBe(
      'expected status 200, got 503: {"error":"x"}…',
    );
    expect(redact(`a ${SECRET}`, [])).toBe(`a ${SECRET}`);
  });

  it.each([
    ['JSON-escaped', JSON.stringify({ error: `bad key ${SECRET}` })],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify({ error: SECRET }))],
    ['JSON-escaped with \\/', JSON.stringify(SECRET).replaceAll('/', '\\/')],
    ['JSON-escaped to ASCII', '"tok\\u00e9n-\\u20ac-long-enough"'],
    ['HTML-escaped', '<p>bad key sk_live_&quot;q/u+o=t%e&amp;d&lt;s&gt;3cr3t</p>'],
    ['percent-encoded', `/loop?seen=${encodeURIComponent(SECRET)}`],
    ['percent-encoded in lower case', `/loop?seen=${encodeURIComponent(SECRET).toLowerCase()}`],
    ['form-encoded', new URLSearchParams({ seen: SECRET }).toString()],
    ['base64', `token ${b64(SECRET)} rejected`],
    ['base64url without padding', `token ${b64url(SECRET)} rejected`],
    ['base64 in a URL', `/cb?t=${encodeURIComponent(b64(SECRET))}`],
    ['HTTP Basic', `bad credentials: Basic ${b64(`svc-user:${SECRET}`)}`],
    ['SMTP AUTH PLAIN', `535 5.7.8 rejected ${b64(`\0vigil\0${SECRET}`)}`],
    ['SMTP AUTH PLAIN with an authorization id', `535 ${b64(`vigil\0vigil\0${SECRET}`)}`],
    ['base64 glued to other letters', `Basicx${b64(`u:${SECRET}`)}`],
  ])('removes a secret %s', (_name, text) => {
    const secrets = _name === 'JSON-escaped to ASCII' ? ['tokén-€-long-enough'] : [SECRET];
    const out = redact(text, secrets);
    expect(out).toContain(REDACTED);
    expect(out).not.toMatch(/3cr3t|M2NyM3|zY3IzdA|long-enough/);
  });

  it.each([0, 1, 2])('finds a secret at byte offset %i mod 3 inside base64', (pad) => {
    const secret = 'hunter2-abcdef';
    const wrapped = b64(`${'u'.repeat(pad)}\0${secret}\0tail`);
    expect(redact(`AUTH ${wrapped} failed`, [secret])).toBe(`AUTH ${REDACTED} failed`);
  });

  it.each([
    ['an ellipsis', (t: string) => `${t.slice(0, 119)}…`],
    ['three dots', (t: string) => `${t.slice(0, 120)}...`],
    ['the end of the text', (t: string) => t.slice(0, 120)],
  ])('removes the start of a secret cut at %s', (_name, cut) => {
    const text = `${'x'.repeat(110)} key=${SECRET}`;
    const out = redact(cut(text), [SECRET]);
    expect(out).toMatch(/key=\[REDACTED\](…|\.\.\.)?$/);
  });

  it('removes base64 cut in the middle of the secret', () => {
    const secret = 'pa55word-that-is-long';
    const token = b64(`\0vigil\0${secret}`);
    const out = redact(`535 rejected ${token.slice(0, 16)}…`, [secret]);
    expect(out).toBe(`535 rejected ${REDACTED}…`);
  });

  it('leaves a short text that merely ends like the start of a secret', () => {
    expect(redact('200', ['2001893456abcdef'])).toBe('200');
    expect(redact('expected status 200, got 503', ['503abcdefgh'])).toBe('expected status 200, got 503');
  });

  it('keeps two characters of a secret at an edge at most', () => {
    expect(redact('got sk…', [SECRET])).toBe('got sk…');
    expect(redact('got sk_…', [SECRET])).toBe(`got ${REDACTED}…`);
  });

  it('is idempotent, even for a secret that is part of the placeholder', () => {
    const r = new Redactor(['RED', SECRET]);
    const once = r.redact(`RED ${SECRET} RED…`);
    expect(once).toBe(`${REDACTED} ${REDACTED} ${REDACTED}…`);
    expect(r.redact(once)).toBe(once);
  });

  it('says whether a text holds a secret', () => {
    const r = new Redactor([SECRET]);
    expect(r.has(`x-key: ${SECRET}`)).toBe(true);
    expect(r.has(JSON.stringify({ k: SECRET }))).toBe(true);
    expect(r.has('x-key: public')).toBe(false);
    expect(Redactor.none.has(SECRET)).toBe(false);
  });
});

const ALPHABET = [
  ...'abcXYZ0189',
  '"',
  '\\',
  '/',
  '+',
  '=',
  '%',
  '&',
  '<',
  "'",
  ' ',
  ':',
  '@',
  'é',
  '€',
  '😀',
];
const secretArb = fc
  .array(fc.constantFrom(...ALPHABET), { minLength: 6, maxLength: 40 })
  .map((cs) => cs.join(''));

type Encoding = (s: string) => { text: string; bytesBefore: number | null };
const literal =
  (f: (s: string) => string): Encoding =>
  (s) => ({ text: f(s), bytesBefore: null });
const base64 =
  (wrap: string, alphabet: 'base64' | 'base64url', url = false): Encoding =>
  (s) => {
    const t = Buffer.from(`${wrap}${s}\0x`).toString(alphabet);
    return { text: url ? encodeURIComponent(t) : t, bytesBefore: Buffer.byteLength(wrap) };
  };

const ENCODINGS: [string, Encoding][] = [
  ['raw', literal((s) => s)],
  ['json', literal((s) => JSON.stringify(s).slice(1, -1))],
  ['json twice', literal((s) => JSON.stringify(JSON.stringify(s).slice(1, -1)).slice(1, -1))],
  ['percent', literal(encodeURIComponent)],
  ['form', literal((s) => new URLSearchParams({ k: s }).toString().slice(2))],
  ['html', literal((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'))],
  ['base64', base64('', 'base64')],
  ['base64 after 1 byte', base64('u', 'base64')],
  ['base64 after 2 bytes', base64('us', 'base64')],
  ['base64url basic', base64('svc:', 'base64url')],
  ['base64 auth plain', base64('\0vigil\0', 'base64')],
  ['base64 in a URL', base64('ab:', 'base64', true)],
];

describe('redact, for any secret', () => {
  it('leaves no encoded form of it, whole or cut at an edge', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.constantFrom(...ENCODINGS),
        fc.constantFrom('error: ', 'bad key (', '{"detail":"', ''),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
        (secret, [, encode], before, cutAt) => {
          const enc = encode(secret);
          const full = `${before}${enc.text} (rejected)`;
          if (cutAt === null) {
            expect(redact(full, [secret])).not.toContain(enc.text);
            return;
          }
          const leaked = enc.text.slice(0, Math.round(cutAt * enc.text.length));
          const out = redact(`${before}${leaked}…`, [secret]);
          const secretBytesShown =
            enc.bytesBefore === null
              ? leaked.length
              : Math.floor((leaked.replace(/%../g, 'x').length * 6) / 8) - enc.bytesBefore;
          if (secretBytesShown >= MIN_EDGE_PREFIX + (enc.bytesBefore === null ? 0 : 1))
            expect(out.endsWith(`${leaked}…`)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('Redactor.with', () => {
  it('hides the values it had and the ones added, and leaves the original as it was', () => {
    const base = new Redactor(['env-secret-1']);
    const more = base.with(['sim-access-token-abc']);
    expect(more.redact('a env-secret-1 b sim-access-token-abc')).toBe(`a ${REDACTED} b ${REDACTED}`);
    expect(base.redact('sim-access-token-abc')).toBe('sim-access-token-abc');
    expect(base.with([])).toBe(base);
  });
});
