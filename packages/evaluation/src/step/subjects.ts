import type { VigilConfig } from '@vigil/config';
import type { BurnAlert, Incident, IncidentEvent, IncidentScope, ProbeSpec } from '@vigil/core';
import type { AlertSubject } from './alert.js';
import type { EngineMemory } from './engine.js';
import type { ServiceDef } from './services.js';
import type { Hierarchy } from './grouping.js';
import type { IncidentMeta } from './incident-log.js';
import { providerSubject, serviceSubject } from './state.js';
import { OVERLOAD_KEY, OVERLOAD_TITLE } from './overload.js';
import { isWatchdogKey, watchdogTitle } from './watchdog.js';

/** Who is whose part, and what an incident or alert says about a subject, for one config. */
export class Subjects {
  readonly byId: Map<string, ProbeSpec>;
  readonly byProvider = new Map<string, ProbeSpec[]>();
  readonly servicesOf = new Map<string, string[]>();
  readonly services: Map<string, ServiceDef>;

  constructor(
    readonly config: VigilConfig,
    services: readonly ServiceDef[],
    private readonly mem: EngineMemory,
  ) {
    this.byId = new Map(config.probes.map((p) => [p.id, p]));
    for (const p of config.probes)
      this.byProvider.set(p.provider, [...(this.byProvider.get(p.provider) ?? []), p]);
    this.services = new Map(services.map((s) => [s.name, s]));
    for (const s of services)
      for (const p of s.providers) this.servicesOf.set(p, [...(this.servicesOf.get(p) ?? []), s.name]);
  }

  hierarchy(): Hierarchy {
    return {
      providerOf: Object.fromEntries(this.config.probes.map((p) => [p.id, p.provider])),
      serviceOfProbe: Object.fromEntries(this.config.probes.map((p) => [p.id, p.service])),
      servicesOf: this.servicesOf,
      downOpen: (scope, key) => this.track(scope, key, 'down')?.open ?? false,
    };
  }

  track(scope: IncidentScope, key: string, kind: Incident['kind']) {
    if (scope === 'probe') {
      const st = this.mem.probes.get(key);
      return kind === 'monitor' ? undefined : st?.tracks[kind];
    }
    if (scope === 'monitor' || kind === 'degraded' || kind === 'monitor') return undefined;
    const subject = scope === 'provider' ? providerSubject(key) : serviceSubject(key);
    return this.mem.aggregates.get(subject)?.tracks[kind];
  }

  /** The rollup subject holding a scope's availability; null for the monitor's own incidents. */
  rollupSubject(scope: IncidentScope, key: string): string | null {
    if (scope === 'probe') return key;
    if (scope === 'provider') return providerSubject(key);
    if (scope === 'service') return serviceSubject(key);
    return null;
  }

  target(scope: IncidentScope, key: string): number {
    if (scope === 'probe') return this.byId.get(key)?.sloTarget ?? 0.98;
    if (scope === 'provider')
      return Math.max(0, ...(this.byProvider.get(key) ?? []).map((p) => p.sloTarget)) || 0.98;
    if (scope === 'service') return this.services.get(key)?.target || 0.98;
    return 0.98;
  }

  /** The probes behind a subject. */
  probesOf(scope: IncidentScope, key: string): ProbeSpec[] {
    if (scope === 'probe') return this.byId.has(key) ? [this.byId.get(key)!] : [];
    if (scope === 'provider') return this.byProvider.get(key) ?? [];
    if (scope === 'service')
      return (this.services.get(key)?.providers ?? []).flatMap((p) => this.byProvider.get(p) ?? []);
    return [];
  }

  meta(e: IncidentEvent, burn: ReadonlyMap<string, BurnAlert[]>): IncidentMeta {
    const probes = this.probesOf(e.scope, e.key);
    const critical = probes.some((p) => p.critical);
    const alerts = burn.get(`${e.scope}:${e.key}`) ?? [];
    const severity =
      e.kind === 'monitor'
        ? 'page'
        : e.kind === 'degraded'
          ? 'ticket'
          : e.kind === 'slo_burn'
            ? alerts.some((a) => a.severity === 'page')
              ? 'page'
              : 'ticket'
            : critical
              ? 'page'
              : 'ticket';
    const rule = alerts[0];
    const detail: Record<string, string | number> = rule
      ? {
          rule: rule.kind,
          factor: rule.factor,
          long_rate: round(rule.longRate),
          short_rate: round(rule.shortRate),
        }
      : {};
    if (e.scope === 'probe') {
      const p = this.byId.get(e.key);
      return {
        title: p?.name ?? e.key,
        severity,
        provider: p?.provider ?? null,
        service: p?.service ?? null,
        probeId: e.key,
        detail,
      };
    }
    if (e.scope === 'provider') {
      const services = this.servicesOf.get(e.key) ?? [];
      return {
        title: e.key,
        severity,
        provider: e.key,
        service: services.length === 1 ? services[0]! : null,
        probeId: null,
        detail,
      };
    }
    if (e.scope === 'service') {
      const svc = this.services.get(e.key);
      return {
        title: this.config.services[e.key]?.name ?? e.key,
        severity,
        provider: svc?.providers.length === 1 ? svc.providers[0]! : null,
        service: e.key,
        probeId: null,
        detail,
      };
    }
    return {
      title: isWatchdogKey(e.key)
        ? watchdogTitle(e.key)
        : e.key === OVERLOAD_KEY
          ? OVERLOAD_TITLE
          : `Vigil monitor in region ${e.key}`,
      severity,
      provider: null,
      service: null,
      probeId: null,
      detail,
    };
  }

  alertSubject(row: Incident): AlertSubject {
    const probes = this.probesOf(row.scope, row.key);
    const lasts = probes.map((p) => this.mem.probes.get(p.id)?.last ?? null).filter((l) => l !== null);
    const failing = lasts.find((l) => l.failingRegions.length > 0);
    const single = row.scope === 'probe' ? probes[0] : undefined;
    return {
      probeName: single?.name ?? null,
      failingRegions: [...new Set(lasts.flatMap((l) => l.failingRegions))].sort(),
      errorClass: failing?.errorClass ?? null,
      lastError: failing?.message ?? null,
      failover: this.failover(row),
      runbook: single?.runbook ?? probes.find((p) => p.runbook)?.runbook ?? null,
      publicUrl: this.config.api?.publicUrl ?? null,
    };
  }

  labels(row: Incident): Record<string, string> {
    return row.scope === 'probe' ? (this.byId.get(row.key)?.labels ?? {}) : {};
  }

  private failover(row: Incident): AlertSubject['failover'] {
    const provider = row.scope === 'provider' ? row.key : row.scope === 'probe' ? row.provider : null;
    if (provider === null) return null;
    for (const name of this.servicesOf.get(provider) ?? []) {
      const svc = this.services.get(name);
      const other =
        svc?.mode === 'any' ? svc.providers.find((p) => p !== provider && this.byProvider.has(p)) : undefined;
      if (other !== undefined)
        return { provider: other, healthy: !(this.track('provider', other, 'down')?.open ?? false) };
    }
    return null;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
