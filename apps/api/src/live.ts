import type { Incident } from '@vigil/core';
import type { DashboardProbe } from '@vigil/evaluation';

/** What the live feed compares between polls. */
export interface LiveSnapshot {
  probes: DashboardProbe[];
  /** open incidents */
  open: Incident[];
}

/** An incident as a browser sees it in an event. */
export interface LiveIncident {
  id: string;
  title: string;
  kind: string;
  scope: string;
  key: string;
  parentId: string | null;
  openedAt: string;
  resolvedAt: string | null;
}

/** One change pushed to the dashboard. */
export type LiveEvent =
  | { type: 'probe'; probe: DashboardProbe }
  | { type: 'incident'; change: 'opened' | 'resolved'; incident: LiveIncident };

export interface LiveFeed {
  /** `listener` gets every later batch of changes; returns the unsubscribe. */
  subscribe(listener: (events: LiveEvent[]) => void): () => void;
  /** Polls once now (after any poll under way) and sends the changes to every subscriber. */
  tick(): Promise<void>;
  /** the last snapshot read; null before the first poll */
  current(): LiveSnapshot | null;
  readonly subscribers: number;
  /** Stops polling and drops every subscriber. */
  close(): void;
}

export interface LiveFeedOptions {
  /** null when there is nothing to read yet (no config) */
  read: () => Promise<LiveSnapshot | null>;
  /** polling interval while someone listens; 0: only explicit ticks */
  intervalMs: number;
  onError: (err: unknown) => void;
}

/**
 * Live state by polling: the API process may not be the evaluator's, so the feed reads what the
 * evaluator stored every `intervalMs` while at least one subscriber listens, and sends only the changes.
 * One feed serves every browser of the process; the timer stops when the last one leaves.
 */
export function liveFeed(o: LiveFeedOptions): LiveFeed {
  const listeners = new Set<(events: LiveEvent[]) => void>();
  let last: LiveSnapshot | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let chain: Promise<void> = Promise.resolve();

  const poll = async (): Promise<void> => {
    let next: LiveSnapshot | null;
    try {
      next = await o.read();
    } catch (err) {
      o.onError(err);
      return;
    }
    if (next === null) return;
    const events = last === null ? [] : changes(last, next);
    last = next;
    if (events.length > 0) for (const l of listeners) l(events);
  };
  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const feed: LiveFeed = {
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null && o.intervalMs > 0) {
        timer = setInterval(() => void feed.tick(), o.intervalMs);
        timer.unref?.();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    tick() {
      chain = chain.then(poll);
      return chain;
    },
    current: () => last,
    get subscribers() {
      return listeners.size;
    },
    close() {
      stop();
      listeners.clear();
    },
  };
  return feed;
}

/** What changed between two snapshots: probes whose shown fields differ, incidents opened or resolved. */
export function changes(before: LiveSnapshot, after: LiveSnapshot): LiveEvent[] {
  const out: LiveEvent[] = [];
  const old = new Map(before.probes.map((p) => [p.id, shown(p)]));
  for (const p of after.probes) if (old.get(p.id) !== shown(p)) out.push({ type: 'probe', probe: p });
  const wasOpen = new Map(before.open.map((i) => [i.id, i]));
  const isOpen = new Set(after.open.map((i) => i.id));
  for (const i of after.open)
    if (!wasOpen.has(i.id)) out.push({ type: 'incident', change: 'opened', incident: liveIncident(i) });
  for (const [id, i] of wasOpen)
    if (!isOpen.has(id))
      out.push({ type: 'incident', change: 'resolved', incident: { ...liveIncident(i), resolvedAt: null } });
  return out;
}

/** The fields a dashboard row shows (lastAt is left out: it moves every slot). */
const shown = (p: DashboardProbe): string =>
  JSON.stringify([p.state, p.failingRegions, p.errorClass, p.lastError, p.latencyMs, p.openIncidentId]);

export const liveIncident = (i: Incident): LiveIncident => ({
  id: i.id,
  title: i.title,
  kind: i.kind,
  scope: i.scope,
  key: i.key,
  parentId: i.parentId,
  openedAt: i.openedAt.toISOString(),
  resolvedAt: i.resolvedAt?.toISOString() ?? null,
});
