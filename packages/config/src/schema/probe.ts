import { z } from 'zod';
import { minCronGapMs } from '../cron-gap.js';
import { durationSchema, formatDuration } from '../duration.js';
import { percentSchema } from '../percent.js';
import { cronSchema, slugListSchema, slugSchema, timeZoneSchema } from '../primitives.js';

export const MIN_INTERVAL_MS = 5_000;
/** a day: any longer and a probe says little about availability (and setTimeout's 24.8 days stay far) */
export const MAX_INTERVAL_MS = 86_400_000;
export const DEFAULT_INTERVAL_MS = 60_000;
export const MIN_TIMEOUT_MS = 100;
/** a minute: a synthetic check slower than that is down for its users, whatever it returns at the end */
export const MAX_TIMEOUT_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_SLO_TARGET = 0.98;

export const LABEL_KEY_PATTERN = '^[a-z0-9][a-z0-9_./-]{0,62}$';

export const labelsSchema = () =>
  z.record(
    z.string().regex(new RegExp(LABEL_KEY_PATTERN), {
      error: (iss) =>
        `expected a label name (lowercase letters, digits, "_", ".", "/", "-"), got ${JSON.stringify(iss.input)}`,
    }),
    z.string(),
  );

/** A cron pattern whose runs are never closer than the shortest interval allowed. */
const probeCronSchema = () =>
  cronSchema().superRefine((pattern, ctx) => {
    const gap = minCronGapMs(pattern);
    if (gap !== null && gap < MIN_INTERVAL_MS)
      ctx.addIssue({
        code: 'custom',
        input: pattern,
        message: `expected runs at least ${formatDuration(MIN_INTERVAL_MS)} apart, got "${pattern}" (${formatDuration(gap)} apart)`,
      });
  });

export const cronScheduleSchema = () =>
  z.strictObject({
    cron: probeCronSchema(),
    /** defaults to vigil.yaml `timezone` */
    tz: timeZoneSchema().optional(),
  });

/** The probe fields every kind shares; each is optional here because defaults may supply it. */
export const sharedProbeFields = () => ({
  provider: slugSchema(),
  service: slugSchema(),
  critical: z.boolean(),
  interval: durationSchema({ minMs: MIN_INTERVAL_MS, maxMs: MAX_INTERVAL_MS }),
  schedule: cronScheduleSchema(),
  timeout: durationSchema({ minMs: MIN_TIMEOUT_MS, maxMs: MAX_TIMEOUT_MS }),
  regions: slugListSchema(),
  slo: z.strictObject({ target: percentSchema() }),
  labels: labelsSchema(),
  runbook: z.string().min(1),
});

type Shared = ReturnType<typeof sharedProbeFields>;
type Optionalised = { [K in keyof Shared]: z.ZodOptional<Shared[K]> };

const optionalise = (fields: Shared): Optionalised =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as Optionalised;

/** `defaults:` in vigil.yaml or a probe file: any probe field except id, name and the kind block. */
export const probeDefaultsSchema = () =>
  z.strictObject({
    ...optionalise(sharedProbeFields()),
    expect: z.record(z.string(), z.unknown()).optional(),
  });
export type ProbeDefaults = z.output<ReturnType<typeof probeDefaultsSchema>>;

const probeSchemas = new Map<string, ReturnType<typeof buildProbeSchema>>();

/** A probe with the kind blocks left to the kinds' own schemas (checked one by one after this). Cached. */
export function probeSchema(kindNames: readonly string[]) {
  const key = kindNames.join('\n');
  let schema = probeSchemas.get(key);
  if (schema === undefined) probeSchemas.set(key, (schema = buildProbeSchema(kindNames)));
  return schema;
}

const buildProbeSchema = (kindNames: readonly string[]) =>
  z.strictObject({
    id: slugSchema(),
    name: z.string().min(1).max(200),
    ...optionalise(sharedProbeFields()),
    expect: z.unknown().optional(),
    ...Object.fromEntries(kindNames.map((k) => [k, z.unknown().optional()])),
  });

/** The top level of a probe file. */
export const probeFileSchema = () =>
  z.strictObject({
    defaults: z.unknown().optional(),
    probes: z.array(z.unknown()),
  });
