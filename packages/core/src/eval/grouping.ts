import type { IncidentEvent, IncidentScope } from './incidents.js';

export interface GroupingInput {
  /** this tick's events of every scope */
  events: readonly IncidentEvent[];
  /** probe id → provider */
  providerOf: Readonly<Record<string, string>>;
  /** providers whose `down` incident is open after this tick */
  openProviders: ReadonlySet<string>;
  /** probe id → provider, for probe incidents attached before this tick */
  attached: Readonly<Record<string, string>>;
}

export interface AttachInput {
  events: readonly IncidentEvent[];
  /** the scope whose `down` events attach (a probe to its provider, a provider to a service) */
  scope: Extract<IncidentScope, 'probe' | 'provider'>;
  /** the parent whose `down` incident is open after this tick, if any */
  openParentOf(key: string): string | undefined;
  /** key → parent, for incidents attached before this tick */
  attached: Readonly<Record<string, string>>;
}

/**
 * Alert grouping, one level: while a parent's `down` incident is open, a child `down` incident that
 * opens attaches to it silently, and everything it says until it resolves stays silent. Returns the
 * events to record and the attachments to keep for the next tick. The one rule for both levels.
 */
export function attachToOpenParent(input: AttachInput): {
  events: IncidentEvent[];
  attached: Record<string, string>;
} {
  const attached = { ...input.attached };
  const events = input.events.map((e): IncidentEvent => {
    if (e.scope !== input.scope || e.kind !== 'down') return e;
    const parent = attached[e.key];
    if (parent !== undefined) {
      if (e.type === 'resolved') delete attached[e.key];
      return { ...e, parent, silent: true };
    }
    const open = input.openParentOf(e.key);
    if (open === undefined) return e;
    if (e.type === 'opened') {
      attached[e.key] = open;
      return { ...e, type: 'attached', parent: open, silent: true };
    }
    return e.type === 'resolved' ? e : { ...e, silent: true };
  });
  return { events, attached };
}

/** Probes attach to their provider's open `down` incident (attachToOpenParent for the probe level). */
export function groupEvents(input: GroupingInput): {
  events: IncidentEvent[];
  attached: Record<string, string>;
} {
  return attachToOpenParent({
    events: input.events,
    scope: 'probe',
    openParentOf: (key) => {
      const provider = input.providerOf[key];
      return provider !== undefined && input.openProviders.has(provider) ? provider : undefined;
    },
    attached: input.attached,
  });
}
