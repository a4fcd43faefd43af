import { performance } from 'node:perf_hooks';
import {
  MissingEnvError,
  Redactor,
  resolveEnv,
  secretValues,
  type AssertionResult,
  type Clock,
  type Env,
  type PingStore,
  type ProbeResult,
  type ProbeSpec,
} from '@vigil/core';
import type { TokenCache } from './kinds/http/oauth2.js';
import { emptyPhases } from './phases.js';
import { probeKind } from './registry.js';
import type { ProbeKind, ProbeRunOutput } from './types.js';

export interface RunProbeContext {
  env: Env;
  clock: Clock;
  region: string;
  /** the scheduled slot this run is for (the idempotency key), not the worker's clock */
  slotAt: number;
  workerId: string;
  signal?: AbortSignal;
  /** where push probes' pings are read (`kind: heartbeat`) */
  pings?: Pick<PingStore, 'lastPing'>;
  /** where OAuth2 tokens are cached; @defaultValue the process's one cache */
  tokens?: TokenCache;
}

/**
 * Runs one probe once: resolves `${env:…}` only now, runs its kind under `p.timeoutMs`, and returns a
 * result in which no resolved secret appears. Never throws: an unknown kind or a bad spec is a `down`
 * result with errorClass `internal`; an unset variable is errorClass `config` (the run never starts).
 */
export async function runProbe(p: ProbeSpec, ctx: RunProbeContext): Promise<ProbeResult> {
  const startedAt = ctx.clock.now();
  const t0 = performance.now();
  let secrets = secretsOf(p, ctx.env);
  const finish = (out: ProbeRunOutput): ProbeResult => ({
    probeId: p.id,
    region: ctx.region,
    slotAt: ctx.slotAt,
    startedAt,
    ...out,
    message: out.message === null ? null : secrets.redact(out.message),
    assertions: out.assertions.map((a) => redactAssertion(a, secrets)),
    ...(out.notices?.link && { notices: { ...out.notices, link: secrets.redact(out.notices.link) } }),
    workerId: ctx.workerId,
  });
  const internal = (message: string, errorClass: 'internal' | 'config' = 'internal'): ProbeResult =>
    finish({
      phases: emptyPhases(performance.now() - t0),
      outcome: 'down',
      httpStatus: null,
      errorClass,
      message,
      assertions: [],
      retryAfterS: null,
      tlsDaysLeft: null,
    });

  const checked = checkedSpec(p);
  if (typeof checked === 'string') return internal(checked);
  const { kind } = checked;
  let resolved: { spec: unknown; expect: unknown };
  try {
    resolved = resolveEnv({ spec: checked.spec, expect: checked.expect }, ctx.env);
  } catch (err) {
    if (err instanceof MissingEnvError) return internal(`cannot run: ${err.message}`, 'config');
    throw err;
  }
  try {
    const out = await kind.run(resolved.spec, resolved.expect, {
      timeoutMs: p.timeoutMs,
      env: ctx.env,
      secrets,
      clock: ctx.clock,
      ...(ctx.signal && { signal: ctx.signal }),
      probe: { id: p.id, slotAt: ctx.slotAt, schedule: p.schedule, provider: p.provider, region: ctx.region },
      addSecret: (value) => {
        secrets = secrets.with([value]);
      },
      ...(ctx.tokens && { tokens: ctx.tokens }),
      ...(ctx.pings && { pings: ctx.pings }),
    });
    return finish(out);
  } catch (err) {
    return internal(`probe kind "${p.kind}" failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

type Checked = { kind: ProbeKind<unknown, unknown>; spec: unknown; expect: unknown } | string;

/** Validation per spec object: workers reuse one ProbeSpec per definition, so each is checked once, not per run. */
const checkedSpecs = new WeakMap<ProbeSpec, Checked>();

/** The kind and its validated blocks, or why the definition cannot run. */
function checkedSpec(p: ProbeSpec): Checked {
  const hit = checkedSpecs.get(p);
  if (hit !== undefined) return hit;
  const out = check(p);
  checkedSpecs.set(p, out);
  return out;
}

function check(p: ProbeSpec): Checked {
  const kind = probeKind(p.kind);
  if (!kind) return `unknown probe kind "${p.kind}"`;
  const spec = kind.spec.safeParse(p.spec);
  const expect = kind.expect.safeParse(p.expect);
  if (!spec.success || !expect.success) {
    const issue = (spec.error ?? expect.error)?.issues[0];
    const where = issue
      ? `${spec.success ? 'expect' : p.kind}.${issue.path.join('.')}: ${issue.message}`
      : '';
    return `invalid ${p.kind} probe definition ${where}`.trim();
  }
  return { kind, spec: spec.data, expect: expect.data };
}

/** The resolved secrets of the definition; the Redactor also hides their escaped and encoded forms. */
function secretsOf(p: ProbeSpec, env: Env): Redactor {
  return new Redactor(secretValues({ spec: p.spec, expect: p.expect }, env));
}

function redactAssertion(a: AssertionResult, secrets: Redactor): AssertionResult {
  return {
    name: secrets.redact(a.name),
    ok: a.ok,
    expected: secrets.redact(a.expected),
    actual: secrets.redact(a.actual),
    message: secrets.redact(a.message),
  };
}
