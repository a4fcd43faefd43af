import type { IncidentEvent } from './incidents.js';

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

/**
 * Alert grouping: while a provider's `down` incident is open (every probe of it down), a probe `down`
 * incident that opens attaches to it silently, and everything it says until it resolves stays silent.
 * Returns the events to record and the attachments to keep for the next tick.
 */
export function groupEvents(input: GroupingInput): {
  events: IncidentEvent[];
  attached: Record<string, string>;
} {
  const attached = { ...input.attached };
  const events = input.events.map((e): IncidentEvent => {
    if (e.scope !== 'probe' || e.kind !== 'down') return e;
    const parent = attached[e.key];
    if (parent !== undefined) {
      if (e.type === 'resolved') delete attached[e.key];
      return { ...e, parent, silent: true };
    }
    const provider = input.providerOf[e.key];
    if (provider === undefined || !input.openProviders.has(provider)) return e;
    if (e.type === 'opened') {
      attached[e.key] = provider;
      return { ...e, type: 'attached', parent: provider, silent: true };
    }
    return e.type === 'resolved' ? e : { ...e, silent: true };
  });
  return { events, attached };
}
