import { REDACTED, type AssertionResult } from '@vigil/core';

export function assertion(name: string, ok: boolean, expected: string, actual: string): AssertionResult {
  return { name, ok, expected, actual, message: `expected ${name} ${expected}, got ${actual}` };
}

const MAX_SHOWN = 120;

/** What a credential's string value is shown as: what the Redactor writes for a known secret. */
export const HIDDEN = JSON.stringify(REDACTED);

/**
 * Whether a JSON key names a credential (`access_token`, `refreshToken`, `client_secret`, `password`,
 * `x-api-key`, ...): its value is a secret the run did not know it had (a token endpoint's answer),
 * so no assertion shows it.
 */
export function isCredentialKey(name: string): boolean {
  const n = name.toLowerCase().replace(/[_-]/g, '');
  return (
    n.endsWith('token') ||
    n.endsWith('secret') ||
    n.includes('password') ||
    n.endsWith('passwd') ||
    n.endsWith('apikey') ||
    n.endsWith('privatekey')
  );
}

/** A credential header: one named like a credential key, `authorization` or a cookie. */
export function isCredentialHeader(name: string): boolean {
  const n = name.toLowerCase();
  return (
    isCredentialKey(n) ||
    n === 'authorization' ||
    n === 'proxy-authorization' ||
    n === 'cookie' ||
    n === 'set-cookie'
  );
}

/**
 * What an `exists` assertion shows of a value: its type, never the value itself (a token endpoint's
 * `$.access_token: { exists: true }` would otherwise store the token).
 */
export function typeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * A value as shown in an assertion: its JSON, cut at MAX_SHOWN characters, with the string values of
 * credential-named keys ({@link isCredentialKey}) as {@link HIDDEN}. Written only as far as shown,
 * so a huge body costs nothing and a deeply nested one cannot overflow the stack.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const out = { text: '' };
  write(value, out);
  return out.text.length > MAX_SHOWN ? `${out.text.slice(0, MAX_SHOWN)}…` : out.text;
}

function write(value: unknown, out: { text: string }): void {
  if (out.text.length > MAX_SHOWN) return;
  if (Array.isArray(value)) {
    out.text += '[';
    for (let i = 0; i < value.length && out.text.length <= MAX_SHOWN; i++) {
      if (i > 0) out.text += ',';
      write(value[i] ?? null, out);
    }
    out.text += ']';
  } else if (value !== null && typeof value === 'object') {
    out.text += '{';
    let first = true;
    for (const key in value) {
      if (out.text.length > MAX_SHOWN) break;
      if (!Object.hasOwn(value, key)) continue;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out.text += `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      if (typeof v === 'string' && isCredentialKey(key)) out.text += HIDDEN;
      else write(v, out);
    }
    out.text += '}';
  } else if (typeof value === 'string') out.text += JSON.stringify(value.slice(0, MAX_SHOWN + 1));
  else out.text += JSON.stringify(value) ?? String(value);
}
