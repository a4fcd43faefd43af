import type { Behavior, RouteScript } from './types.js';

/** The behaviour a route has `elapsedMs` after the simulator started. Pure. */
export function behaviorAt(script: RouteScript, elapsedMs: number): Behavior {
  for (const o of script.outages ?? []) if (elapsedMs >= o.fromMs && elapsedMs < o.toMs) return o.behavior;
  const e = script.every;
  if (e && e.periodMs > 0) {
    const since = elapsedMs - (e.offsetMs ?? 0);
    if (since >= 0 && since % e.periodMs < e.downMs) return e.behavior;
  }
  return script.behavior;
}

export function toScript(value: RouteScript | Behavior): RouteScript {
  return 'mode' in value ? { behavior: value } : value;
}
