const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** interval and schedule replace each other: a layer choosing one drops both from the layers below. */
const EXCLUSIVE = ['interval', 'schedule'];

/**
 * Cascades layers, lowest first (vigil.yaml defaults → file defaults → probe): maps merge key by key,
 * lists and scalars replace. Builds null-prototype objects so no key can reach Object.prototype.
 */
export function cascade(layers: readonly Record<string, unknown>[]): Record<string, unknown> {
  let out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const layer of layers) {
    if (EXCLUSIVE.some((k) => Object.hasOwn(layer, k))) for (const k of EXCLUSIVE) delete out[k];
    out = mergeMaps(out, layer);
  }
  return out;
}

function mergeMaps(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(over)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    out[k] = isMap(prev) && isMap(v) ? mergeMaps(prev, v) : v;
  }
  return out;
}

export { isMap };
