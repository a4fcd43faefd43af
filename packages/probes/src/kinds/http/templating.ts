/**
 * `${steps.<name>.<var>}` in a multi-step probe: a value an earlier step extracted from its response,
 * resolved just before a later step's request is sent. `${env:…}` references are resolved before this
 * (by runProbe); these are the only other references a probe has.
 */

/** A step name: letters, digits, `_` and `-`, starting with a letter or digit. */
export const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** A variable an `extract` block defines: an identifier. */
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** One well-formed reference; `g` for replace/matchAll (a fresh RegExp per use keeps lastIndex local). */
const STEP_REF_SOURCE = String.raw`\$\{steps\.([A-Za-z0-9][A-Za-z0-9_-]{0,62})\.([A-Za-z_][A-Za-z0-9_]{0,62})\}`;
const REF_START = '${steps.';

export const stepRefPattern = (): RegExp => new RegExp(STEP_REF_SOURCE, 'g');

export interface StepRef {
  step: string;
  variable: string;
}

/** The references in `text`, and whether every `${steps.` in it starts a well-formed one. */
export function stepRefs(text: string): { refs: StepRef[]; malformed: boolean } {
  const refs = [...text.matchAll(stepRefPattern())].map((m) => ({ step: m[1]!, variable: m[2]! }));
  return { refs, malformed: text.split(REF_START).length - 1 !== refs.length };
}

/** Whether `text` is exactly one reference (then it is substituted as is, even into a URL). */
export function isWholeRef(text: string): boolean {
  const m = new RegExp(`^${STEP_REF_SOURCE}$`).exec(text);
  return m !== null;
}

/** A reference that names no value: which step asked, and for what. Carries names only, never values. */
export class StepRefError extends Error {
  readonly code = 'STEP_REF';
  constructor(
    readonly step: string,
    readonly ref: StepRef,
    reason: string,
  ) {
    super(`step "${step}": \${steps.${ref.step}.${ref.variable}} ${reason}`);
  }
}

/** What the steps so far extracted: step name → variable → value. */
export type StepValues = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * `text` with each reference replaced by its value (passed through `encode` unless the text is one
 * whole reference). Throws StepRefError naming the asking step and the missing step or variable.
 */
export function resolveStepRefs(
  text: string,
  values: StepValues,
  step: string,
  encode: (value: string) => string = (v) => v,
): string {
  if (!text.includes(REF_START)) return text;
  const whole = isWholeRef(text);
  return text.replace(stepRefPattern(), (_m, name: string, variable: string) => {
    const ref = { step: name, variable };
    const vars = values.get(name);
    if (vars === undefined) {
      const known = [...values.keys()];
      throw new StepRefError(
        step,
        ref,
        `is not defined: no earlier step "${name}" ran${known.length > 0 ? ` (earlier steps: ${known.join(', ')})` : ''}`,
      );
    }
    const value = vars.get(variable);
    if (value === undefined) {
      const known = [...vars.keys()];
      throw new StepRefError(
        step,
        ref,
        `is not defined: step "${name}" extracts ${known.length > 0 ? known.join(', ') : 'nothing'}, not ${variable}`,
      );
    }
    return whole ? value : encode(value);
  });
}

/** Every string inside `value` (deep) through `fn`; other values are kept. */
export function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
    return out;
  }
  return value;
}

/** Calls `fn` with every string inside `value` (deep) and its path. */
export function walkStrings(
  value: unknown,
  path: (string | number)[],
  fn: (s: string, path: (string | number)[]) => void,
): void {
  if (typeof value === 'string') fn(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], fn));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], fn);
}
