export type PathStep = string | number;

const STEP = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\]/y;

/**
 * `$.data.items[0]["x-id"]` → ['data', 'items', 0, 'x-id']; null when the text is not such a path.
 * A deliberately small subset of JSONPath: no wildcards or filters, one value per path.
 */
export function parseJsonPath(text: string): PathStep[] | null {
  if (!text.startsWith('$')) return null;
  const steps: PathStep[] = [];
  STEP.lastIndex = 1;
  while (STEP.lastIndex < text.length) {
    const m = STEP.exec(text);
    if (!m) return null;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else if (m[3] !== undefined) {
      const key = unescape(m[3]);
      if (key === null) return null;
      steps.push(key);
    } else steps.push(m[4] ?? '');
  }
  return steps;
}

/** The value at `steps`, or undefined when any step is missing. */
export function getPath(value: unknown, steps: readonly PathStep[]): unknown {
  let cur = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, step))
        return undefined;
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

function unescape(quoted: string): string | null {
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}
