import { readdir } from 'node:fs/promises';
import type { VigilConfig } from '@vigil/config';
import type { Availability, ErrorBudget } from '@vigil/core';
import type { MetricsSnapshot } from '@vigil/evaluation';
import type { MetricFamily, Sample } from './exposition.js';

/**
 * The metric families of one scrape. Every label value is a config id (probe, region, provider, service),
 * a scope, a kind, a window or a phase name: never a URL, a header, a message or a title. The series count
 * is bounded by the config (apps/api/README.md, "Metrics").
 */
export function metricFamilies(
  config: VigilConfig,
  snap: MetricsSnapshot,
  proc: ProcessFigures,
): MetricFamily[] {
  const specs = new Map(config.probes.map((p) => [p.id, p]));
  const run = (id: string, region: string) => {
    const p = specs.get(id)!;
    return { probe: id, region, provider: p.provider, service: p.service };
  };
  const s = (labels: Record<string, string>, value: number): Sample => ({ labels, value });
  const seconds = (ms: number) => ms / 1000;

  const phases = (['dns', 'connect', 'tls', 'processing', 'transfer', 'total'] as const).flatMap((phase) =>
    snap.latest.flatMap((r) => {
      const ms = {
        dns: r.phases.dnsMs,
        connect: r.phases.connectMs,
        tls: r.phases.tlsMs,
        processing: r.phases.ttfbMs,
        transfer: r.phases.transferMs,
        total: r.phases.totalMs,
      }[phase];
      return ms === null ? [] : [s({ ...run(r.probeId, r.region), phase }, seconds(ms))];
    }),
  );

  const subjects = [...snap.status.services, ...snap.status.providers, ...snap.status.probes];
  const key = (x: { scope: string; key: string }) => ({ scope: x.scope, key: x.key });
  const windows: [string, (x: (typeof subjects)[number]) => Availability][] = [
    ['24h', (x) => x.availability24h],
    ['30d', (x) => x.availability30d],
    ['quarter', (x) => x.availabilityQuarter],
  ];
  const budgets: [string, (x: (typeof subjects)[number]) => ErrorBudget][] = [
    ['30d', (x) => x.budget30d],
    ['quarter', (x) => x.budgetQuarter],
  ];

  const open = new Set(snap.open.map((i) => `${i.scope}\u0000${i.key}\u0000${i.kind}`));
  const incidentSeries: Sample[] = [];
  const track = (scope: string, k: string, kinds: readonly string[]) => {
    for (const kind of kinds)
      incidentSeries.push(s({ scope, key: k, kind }, open.has(`${scope}\u0000${k}\u0000${kind}`) ? 1 : 0));
  };
  for (const x of snap.status.services) track('service', x.key, ['down', 'slo_burn']);
  for (const x of snap.status.providers) track('provider', x.key, ['down', 'slo_burn']);
  for (const x of snap.status.probes) track('probe', x.key, ['down', 'degraded', 'slo_burn']);
  const regions = [...new Set([...config.regions, ...config.probes.flatMap((p) => p.regions)])].sort();
  for (const r of regions) track('monitor', r, ['monitor']);
  // the watchdog's own incidents (`watchdog`, `watchdog:<region>`) only while open: region names again
  const watchdogKeys = new Set(['watchdog', ...regions.map((r) => `watchdog:${r}`)]);
  for (const i of snap.open)
    if (i.scope === 'monitor' && watchdogKeys.has(i.key)) track('monitor', i.key, [i.kind]);

  const ev = snap.evaluator;
  return [
    {
      name: 'probe_success',
      help: 'Whether the newest run of the probe in the region succeeded (1) or not (0: down or rate limited)',
      type: 'gauge',
      samples: snap.latest.map((r) => s(run(r.probeId, r.region), r.outcome === 'up' ? 1 : 0)),
    },
    {
      name: 'probe_duration_seconds',
      help: 'Duration of the newest run by phase: dns, connect, tls, processing (to first byte), transfer, and total',
      type: 'gauge',
      unit: 'seconds',
      samples: phases,
    },
    {
      name: 'probe_http_status_code',
      help: 'HTTP status of the newest run of an http probe (0: no response)',
      type: 'gauge',
      samples: snap.latest
        .filter((r) => r.kind === 'http')
        .map((r) => s(run(r.probeId, r.region), r.httpStatus ?? 0)),
    },
    {
      name: 'probe_ssl_earliest_cert_expiry',
      help: 'When the peer certificate seen by the newest run expires, in Unix seconds (from whole days left: at most a day early)',
      type: 'gauge',
      samples: snap.latest.flatMap((r) =>
        r.certExpiresAt === null ? [] : [s(run(r.probeId, r.region), Math.floor(r.certExpiresAt / 1000))],
      ),
    },
    {
      name: 'vigil_probe_last_run_timestamp_seconds',
      help: 'Scheduled slot of the newest stored run of the probe in the region, in Unix seconds',
      type: 'gauge',
      unit: 'seconds',
      samples: snap.latest.map((r) => s(run(r.probeId, r.region), seconds(r.slotAt))),
    },
    {
      name: 'vigil_availability_ratio',
      help: 'Availability, up / (up + down) time, over the last 24 h, the last 30 d or the current calendar quarter',
      type: 'gauge',
      unit: 'ratio',
      samples: subjects.flatMap((x) =>
        windows.flatMap(([window, of]) => {
          const a = of(x).availability;
          return a === null ? [] : [s({ ...key(x), window }, a)];
        }),
      ),
    },
    {
      name: 'vigil_availability_target_ratio',
      help: 'The availability target (SLO) of the service, provider or probe',
      type: 'gauge',
      unit: 'ratio',
      samples: subjects.map((x) => s(key(x), x.target)),
    },
    {
      name: 'vigil_error_budget_remaining_ratio',
      help: 'Share of the error budget left (negative once overspent) over the last 30 d or the whole current quarter',
      type: 'gauge',
      unit: 'ratio',
      samples: subjects.flatMap((x) =>
        budgets.flatMap(([window, of]) => {
          const left = of(x).leftFraction;
          return left === null ? [] : [s({ ...key(x), window }, left)];
        }),
      ),
    },
    {
      name: 'vigil_incident_open',
      help: 'Whether an incident of this kind is open for the service, provider, probe or region (1) or not (0)',
      type: 'gauge',
      samples: incidentSeries,
    },
    {
      name: 'vigil_probes_configured',
      help: 'Probes in the config in force',
      type: 'gauge',
      samples: [s({}, config.probes.length)],
    },
    {
      name: 'vigil_probe_regions_configured',
      help: 'Probe and region pairs in the config in force (the unit of the probe_* series count)',
      type: 'gauge',
      samples: [
        s(
          {},
          config.probes.reduce((n, p) => n + p.regions.length, 0),
        ),
      ],
    },
    {
      name: 'vigil_evaluator_lag_seconds',
      help: 'How long the most overdue probe slot has waited to be judged since it ended (about the grace period when healthy)',
      type: 'gauge',
      unit: 'seconds',
      samples: ev.lagMs === null ? [] : [s({}, seconds(ev.lagMs))],
    },
    {
      name: 'vigil_evaluator_judged_until_timestamp_seconds',
      help: 'Every slot of every probe before this instant is judged, in Unix seconds',
      type: 'gauge',
      unit: 'seconds',
      samples: ev.judgedUntil === null ? [] : [s({}, seconds(ev.judgedUntil))],
    },
    {
      name: 'vigil_evaluator_last_write_timestamp_seconds',
      help: 'When the evaluator last stored a probe state, in Unix seconds',
      type: 'gauge',
      unit: 'seconds',
      samples: ev.lastWriteAt === null ? [] : [s({}, seconds(ev.lastWriteAt))],
    },
    {
      name: 'vigil_results_unjudged',
      help: 'Stored probe results of slots the evaluator has not judged yet',
      type: 'gauge',
      samples: [s({}, ev.unjudgedResults)],
    },
    {
      name: 'vigil_outbox_pending',
      help: 'Notifications waiting to be delivered (queued or retrying)',
      type: 'gauge',
      samples: [s({}, snap.outbox.pending)],
    },
    {
      name: 'vigil_outbox_dead',
      help: 'Notifications given up on, within the outbox retention',
      type: 'gauge',
      samples: [s({}, snap.outbox.dead)],
    },
    {
      name: 'vigil_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest notification waiting to be delivered (0 when none waits)',
      type: 'gauge',
      unit: 'seconds',
      samples: [
        s(
          {},
          snap.outbox.oldestPendingAt === null
            ? 0
            : Math.max(0, seconds(snap.at - snap.outbox.oldestPendingAt)),
        ),
      ],
    },
    {
      name: 'process_cpu_seconds',
      help: 'User and system CPU time spent by this process',
      type: 'counter',
      unit: 'seconds',
      samples: [s({}, proc.cpuSeconds)],
    },
    {
      name: 'process_resident_memory_bytes',
      help: 'Resident memory of this process',
      type: 'gauge',
      unit: 'bytes',
      samples: [s({}, proc.residentBytes)],
    },
    {
      name: 'process_heap_bytes',
      help: 'V8 heap in use by this process',
      type: 'gauge',
      unit: 'bytes',
      samples: [s({}, proc.heapBytes)],
    },
    {
      name: 'process_start_time_seconds',
      help: 'When this process started, in Unix seconds',
      type: 'gauge',
      unit: 'seconds',
      samples: [s({}, proc.startTimeSeconds)],
    },
    {
      name: 'process_open_fds',
      help: 'Open file descriptors of this process',
      type: 'gauge',
      samples: proc.openFds === null ? [] : [s({}, proc.openFds)],
    },
  ];
}

export interface ProcessFigures {
  cpuSeconds: number;
  residentBytes: number;
  heapBytes: number;
  startTimeSeconds: number;
  /** null where /proc is not there */
  openFds: number | null;
}

/** This process's own figures (the real process clock, not the injected one: they describe the process). */
export async function processFigures(): Promise<ProcessFigures> {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  let openFds: number | null = null;
  try {
    openFds = (await readdir('/proc/self/fd')).length;
  } catch {
    // not Linux
  }
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    residentBytes: mem.rss,
    heapBytes: mem.heapUsed,
    startTimeSeconds: Math.floor(performance.timeOrigin / 1000),
    openFds,
  };
}
