import type { AssertionResult } from '@vigil/core';

export function assertion(name: string, ok: boolean, expected: string, actual: string): AssertionResult {
  return { name, ok, expected, actual, message: `expected ${name} ${expected}, got ${actual}` };
}

const MAX_SHOWN = 120;

/**
 * A value as shown in an assertion: its JSON, cut at MAX_SHOWN characters. Written only as far as
 * shown, so a huge body costs nothing and a deeply nested one cannot overflow the stack.
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
      write(v, out);
    }
    out.text += '}';
  } else if (typeof value === 'string') out.text += JSON.stringify(value.slice(0, MAX_SHOWN + 1));
  else out.text += JSON.stringify(value) ?? String(value);
}
