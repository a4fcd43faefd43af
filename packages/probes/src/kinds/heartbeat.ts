import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { emptyPhases } from '../phases.js';
import type { ProbeContext, ProbeKind, ProbeRunOutput } from '../types.js';

/** The whole value is one `${env:NAME}` reference, no default: the token is a secret. */
const ENV_REF_ONLY = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;
/** Same syntax as durations elsewhere in vigil.yaml ("30s", "5m", "1h30m"). */
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_GRACE_MS = 7 * UNIT_MS.d;

/** "90s" → 90000; the schema has accepted the text already. */
export function graceMs(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Math.round(ms);
}

export const heartbeatSpecSchema = z.strictObject({
  /** what the sender presents (`/ping/<probe-id>/<token>` or `Authorization: Bearer <token>`) */
  token: z.string({ error: 'expected a ${env:NAME} reference' }).regex(ENV_REF_ONLY, {
    // never echo the value: it may be the token itself
    error: 'the token must be a ${env:NAME} reference (without a default), never the token itself',
  }),
  /** how late a ping may be, past the interval, before the probe is down */
  grace: z
    .string({ error: 'expected a duration like "1m"' })
    .regex(DURATION, { error: (iss) => `expected a duration like "1m", got ${JSON.stringify(iss.input)}` })
    .refine((g) => graceMs(g) <= MAX_GRACE_MS, { error: 'at most 7d' })
    .default('1m'),
});
export type HeartbeatSpec = z.infer<typeof heartbeatSpecSchema>;

export const heartbeatExpectSchema = z.strictObject({}).default({});
export type HeartbeatExpect = z.infer<typeof heartbeatExpectSchema>;

/** "1h30m" for a message; whole seconds or ms. */
function human(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  let rest = ms / 1000;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}

/** The store's answer, or null when it did not answer before the run's deadline. */
async function lookUp(ctx: ProbeContext, pings: NonNullable<ProbeContext['pings']>, now: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ctx.timeoutMs);
  });
  const aborted = new Promise<null>((resolve) => {
    if (ctx.signal?.aborted) resolve(null);
    ctx.signal?.addEventListener('abort', () => resolve(null), { once: true });
  });
  try {
    return await Promise.race([pings.lastPing(ctx.probe.id, now), expired, aborted]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A push probe: the sender calls `POST /ping/<probe-id>` every `interval`. The run at slot `slotAt` is up
 * when a ping arrived in (slotAt − interval − grace, now], i.e. the next ping after the last one was not yet
 * more than `grace` late at the slot; else down with `no_ping`. A probe never pinged counts from when its
 * store first awaited it, so a new probe (or a restarted embedded process) gets one interval and grace.
 */
export const heartbeatProbe: ProbeKind<HeartbeatSpec, HeartbeatExpect> = {
  kind: 'heartbeat',
  spec: heartbeatSpecSchema,
  expect: heartbeatExpectSchema,
  async run(spec, _expect, ctx): Promise<ProbeRunOutput> {
    const t0 = performance.now();
    const out = (o: Pick<ProbeRunOutput, 'outcome' | 'errorClass' | 'message'>): ProbeRunOutput => ({
      phases: emptyPhases(performance.now() - t0),
      httpStatus: null,
      assertions: [],
      retryAfterS: null,
      tlsDaysLeft: null,
      ...o,
    });
    const internal = (message: string) => out({ outcome: 'down', errorClass: 'internal', message });
    const { schedule, slotAt } = ctx.probe;
    if (schedule.type !== 'interval')
      return internal('a heartbeat probe is expected every `interval`; a cron schedule is not supported');
    if (!ctx.pings) return internal('this process has no ping store: heartbeat probes cannot be judged here');
    const now = ctx.clock.now();
    const seen = await lookUp(ctx, ctx.pings, now);
    if (seen === null)
      return internal(
        ctx.signal?.aborted ? 'run cancelled' : `the ping store did not answer within ${ctx.timeoutMs}ms`,
      );
    const grace = graceMs(spec.grace);
    const from = slotAt - schedule.everyMs - grace;
    if (seen.lastPingAt !== null && seen.lastPingAt > from)
      return out({ outcome: 'up', errorClass: null, message: null });
    if (seen.lastPingAt === null && seen.watchingSince > from)
      return out({ outcome: 'up', errorClass: null, message: null });
    const expected = `expected every ${human(schedule.everyMs)} with ${human(grace)} grace`;
    const message =
      seen.lastPingAt === null
        ? `no ping since ${new Date(seen.watchingSince).toISOString()} (none received yet; ${expected})`
        : `no ping since ${new Date(seen.lastPingAt).toISOString()} (${expected})`;
    return out({ outcome: 'down', errorClass: 'no_ping', message });
  },
};
