/** `${env:NAME}` or `${env:NAME:-default}` inside a string value. */
const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Env = Readonly<Record<string, string | undefined>>;

export class MissingEnvError extends Error {
  readonly code = 'MISSING_ENV';
  constructor(readonly names: string[]) {
    super(`missing environment variable${names.length > 1 ? 's' : ''}: ${names.join(', ')}`);
  }
}

/** Names referenced anywhere inside `value` (deep), with whether each has a default. */
export function envRefs(value: unknown): { name: string; hasDefault: boolean }[] {
  const out: { name: string; hasDefault: boolean }[] = [];
  walkStrings(value, (s) => {
    for (const m of s.matchAll(ENV_REF)) out.push({ name: m[1]!, hasDefault: m[2] !== undefined });
  });
  return out;
}

/** Names that `value` needs but `env` lacks (references with a default never miss). */
export function missingEnv(value: unknown, env: Env): string[] {
  const missing = new Set<string>();
  for (const r of envRefs(value)) if (!r.hasDefault && env[r.name] === undefined) missing.add(r.name);
  return [...missing];
}

/**
 * Returns a deep copy of `value` with every reference replaced. Call only at the moment of use
 * (the request, the send) and never store, queue or log the result. Throws MissingEnvError.
 */
export function resolveEnv<T>(value: T, env: Env): T {
  const missing = missingEnv(value, env);
  if (missing.length > 0) throw new MissingEnvError(missing);
  return mapStrings(value, (s) =>
    s.replace(ENV_REF, (_m, name: string, def: string | undefined) => env[name] ?? def ?? ''),
  ) as T;
}

/** The resolved values of every reference in `value`: what a redactor must hide from output. */
export function secretValues(value: unknown, env: Env): string[] {
  const vals = new Set<string>();
  for (const r of envRefs(value)) {
    const v = env[r.name];
    if (v !== undefined && v.length >= 3) vals.add(v);
  }
  return [...vals];
}

/**
 * What `value` holds literally: the text outside its references (each reference replaced by a NUL, so
 * no pattern runs across one) and the default of each reference that has one.
 */
export function literalParts(value: string): { outside: string; defaults: string[] } {
  const defaults: string[] = [];
  const outside = value.replace(ENV_REF, (_m, _name: string, def: string | undefined) => {
    if (def !== undefined && def !== '') defaults.push(def);
    return '\0';
  });
  return { outside, defaults };
}

function walkStrings(value: unknown, fn: (s: string) => void): void {
  if (typeof value === 'string') fn(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, fn);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) walkStrings(v, fn);
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
    return out;
  }
  return value;
}
