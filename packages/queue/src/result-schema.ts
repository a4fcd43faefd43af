import { ERROR_CLASSES, NOT_SENT_REASONS, type ProbeResult } from '@vigil/core';
import { z } from 'zod';

const ms = z.number().nonnegative();
const nullableMs = ms.nullable();
const phases = z.object({
  dnsMs: nullableMs,
  connectMs: nullableMs,
  tlsMs: nullableMs,
  ttfbMs: nullableMs,
  transferMs: nullableMs,
  totalMs: ms,
});
const outcome = z.enum(['up', 'down', 'rate_limited']);
const errorClass = z.enum(ERROR_CLASSES).nullable();

/** ProbeResult as it crosses Redis: parsed on append and on read, like job payloads. */
export const probeResultSchema = z.object({
  probeId: z.string().min(1),
  region: z.string().min(1),
  slotAt: z.number().int().nonnegative(),
  startedAt: z.number().int().nonnegative(),
  phases,
  outcome,
  httpStatus: z.number().int().nullable(),
  errorClass,
  message: z.string().nullable(),
  assertions: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      expected: z.string(),
      actual: z.string(),
      message: z.string(),
    }),
  ),
  retryAfterS: z.number().nonnegative().nullable(),
  tlsDaysLeft: z.number().nullable(),
  notices: z
    .object({
      deprecated: z.boolean(),
      deprecatedAt: z.number().nullable(),
      sunsetAt: z.number().nullable(),
      link: z.string().nullable(),
    })
    .nullable()
    .optional(),
  /** a multi-step probe's steps: carried to Postgres (probe_results.steps), not stripped */
  steps: z
    .array(
      z.object({
        name: z.string(),
        outcome,
        httpStatus: z.number().int().nullable(),
        errorClass,
        phases,
      }),
    )
    .optional(),
  notSent: z.enum(NOT_SENT_REASONS).optional(),
  workerId: z.string(),
}) satisfies z.ZodType<ProbeResult>;
