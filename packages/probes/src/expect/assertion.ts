import type { AssertionResult } from '@vigil/core';

export function assertion(name: string, ok: boolean, expected: string, actual: string): AssertionResult {
  return { name, ok, expected, actual, message: `expected ${name} ${expected}, got ${actual}` };
}

const MAX_SHOWN = 120;

/** A value as shown in an assertion: JSON, shortened so a huge body never lands in a result. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
