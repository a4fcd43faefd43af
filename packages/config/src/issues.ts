import type { z } from 'zod';
import { describeValue } from './describe.js';
import type { Path, PathSegment } from './positions.js';

export interface Problem {
  path: PathSegment[];
  message: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  record: 'a map',
};

const quoteAll = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

type RawIssue = z.core.$ZodRawIssue;

/** The house wording for zod's built-in checks; schemas with their own `error` keep theirs. */
export function errorMap(iss: RawIssue): string | undefined {
  const got = describeValue(iss.input);
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      return `expected ${TYPE_NAMES[iss.expected] ?? iss.expected}, got ${got}`;
    case 'too_small':
    case 'too_big': {
      const min = iss.code === 'too_small';
      const bound = Number(min ? iss.minimum : iss.maximum);
      const cmp = min ? (iss.inclusive ? 'at least' : 'more than') : iss.inclusive ? 'at most' : 'less than';
      if (iss.origin === 'array') return `expected ${cmp} ${bound} item${bound === 1 ? '' : 's'}`;
      if (iss.origin === 'string')
        return min && bound === 1 ? 'must not be empty' : `expected ${cmp} ${bound} characters`;
      return `expected a number ${cmp} ${bound}, got ${got}`;
    }
    case 'invalid_value':
      return iss.values.length === 1
        ? `expected ${quoteAll(iss.values)}, got ${got}`
        : `expected one of ${quoteAll(iss.values)}, got ${got}`;
    case 'invalid_format':
      if (iss.format === 'email') return `expected an email address, got ${got}`;
      if (iss.format === 'url') return `expected a URL, got ${got}`;
      if (iss.format === 'datetime')
        return `expected an ISO 8601 date-time like "2025-06-01T02:00:00Z", got ${got}`;
      return `expected text matching ${iss.pattern ?? iss.format}, got ${got}`;
    case 'invalid_union':
      return `does not match any allowed form, got ${got}`;
    case 'invalid_key':
      return `invalid key ${got}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(iss.divisor)}, got ${got}`;
    default:
      return undefined;
  }
}

/** Parses with the house wording; problems come back with their full paths and unknown keys one by one. */
export function check<S extends z.ZodType>(
  schema: S,
  data: unknown,
  base: Path = [],
): { ok: true; value: z.output<S> } | { ok: false; problems: Problem[] } {
  const r = schema.safeParse(data, { error: errorMap, reportInput: true });
  if (r.success) return { ok: true, value: r.data };
  const problems: Problem[] = [];
  for (const issue of r.error.issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path as PathSegment[]);
      for (const key of issue.keys)
        problems.push({ path: [...path, key], message: `unknown key "${key}"${suggestion(key, known)}` });
    } else if (issue.code === 'invalid_key' && issue.issues[0] !== undefined) {
      problems.push({ path, message: `invalid key: ${issue.issues[0].message}` });
    } else problems.push({ path, message: issue.message });
  }
  return { ok: false, problems };
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
}
const defOf = (s: z.ZodType | undefined) => (s as unknown as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** The keys an object schema at `path` allows, looking through optional/default/pipe/list/map wrappers. */
export function knownKeys(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let s: z.ZodType | undefined = schema;
  let i = 0;
  for (let guard = 0; s !== undefined && guard < 100; guard++) {
    const def = defOf(s);
    if (def === undefined) return [];
    if (def.innerType !== undefined) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (i === path.length) return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
    else if (def.type === 'object') s = def.shape?.[String(path[i++])];
    else if (def.type === 'array' || def.type === 'record') {
      s = def.type === 'array' ? def.element : def.valueType;
      i++;
    } else return [];
  }
  return [];
}

export function suggestion(key: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best === null ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
