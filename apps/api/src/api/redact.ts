import { redact, secretValues, type Env, type ProbeSpec } from '@vigil/core';

export const MASK = '••••••';

/**
 * A probe's kind-specific spec fit for the API: `${env:…}` references stay references (the config never
 * resolves them), every header value is masked, and any value a reference resolves to in `env` is
 * redacted wherever it appears (belt and braces).
 */
export function publicSpec(
  p: Pick<ProbeSpec, 'spec' | 'expect'>,
  env: Env,
): { spec: Record<string, unknown>; expect: Record<string, unknown> } {
  const secrets = secretValues([p.spec, p.expect], env);
  const clean = (v: unknown): Record<string, unknown> =>
    JSON.parse(redact(JSON.stringify(v ?? {}), secrets)) as Record<string, unknown>;
  const spec = clean(p.spec);
  if (spec.headers && typeof spec.headers === 'object')
    spec.headers = Object.fromEntries(Object.keys(spec.headers).map((k) => [k, MASK]));
  return { spec, expect: clean(p.expect) };
}
