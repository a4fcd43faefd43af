import type { AlertingConfig } from '@vigil/config';
import { DEFAULT_FLAP_POLICY, type FlapPolicy, type IncidentPolicy } from '@vigil/core';

/**
 * vigil.yaml's `alerting` as core's incident policy for a probe run every `everyMs`. `flapping:
 * { changes, window }` becomes a sample window of window / interval slots that flaps once about
 * `changes` recent state changes fall inside it.
 */
export function incidentPolicy(alerting: AlertingConfig, everyMs: number): IncidentPolicy {
  return {
    open: { m: alerting.failures.failures, n: alerting.failures.window },
    resolveAfter: alerting.recovery,
    reminderEveryMs: alerting.reminder,
    flap: flapPolicy(alerting.flapping, everyMs),
  };
}

/** Burn-rate tracks open on the first firing evaluation and resolve like the others. */
export function burnPolicy(alerting: AlertingConfig): IncidentPolicy {
  return {
    open: { m: 1, n: 1 },
    resolveAfter: alerting.recovery,
    reminderEveryMs: alerting.reminder,
    flap: DEFAULT_FLAP_POLICY,
  };
}

export function flapPolicy(flapping: AlertingConfig['flapping'], everyMs: number): FlapPolicy {
  if (!flapping) return DEFAULT_FLAP_POLICY;
  const window = Math.min(100, Math.max(3, Math.round(flapping.window / Math.max(1, everyMs))));
  // recent changes weigh up to 1.2 in core's percent state change: `changes` recent ones just cross it
  const high = Math.min(0.95, Math.max(0.05, ((flapping.changes - 0.5) * 1.2) / (window - 1)));
  return { window, high, low: high / 2 };
}
