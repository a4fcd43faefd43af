import { z } from 'zod';
import { QueueError } from './errors.js';

const region = z.string().regex(/^[A-Za-z0-9_-]+$/, 'a region is letters, digits, "-" or "_"');

/** The payload of one probe run: ids and the slot time, never the spec itself nor any secret. */
export const probeJobSchema = z.object({
  probeId: z.string().min(1),
  region,
  /** epoch ms of the slot, from the schedule (never a worker's clock): the idempotency key */
  slotAt: z.number().int().nonnegative(),
  /** hash of the validated spec, so a worker can tell it runs the config the scheduler saw */
  specHash: z.string().min(1),
});
export type ProbeJob = z.infer<typeof probeJobSchema>;

/** What a BullMQ Job Scheduler stores as its template: the payload minus the slot, known only per tick. */
export const probeJobTemplateSchema = probeJobSchema.omit({ slotAt: true });
export type ProbeJobTemplate = z.infer<typeof probeJobTemplateSchema>;

export function parseProbeJob(input: unknown): ProbeJob {
  return parseWith(probeJobSchema, input, 'probe job');
}

export function parseProbeJobTemplate(input: unknown): ProbeJobTemplate {
  return parseWith(probeJobTemplateSchema, input, 'probe job template');
}

/** The BullMQ queue of a region. */
export function queueName(regionName: string): string {
  return `probes-${regionName}`;
}

/** The id BullMQ gives the job of one scheduler tick: `repeat:<schedulerId>:<millis>`. */
export function schedulerJobId(probeId: string, slotAt: number): string {
  return `repeat:${probeId}:${slotAt}`;
}

/** The slot time of a scheduler tick's job, or null when the id is not one of that scheduler's. */
export function slotAtFromJobId(jobId: string, probeId: string): number | null {
  const head = `repeat:${probeId}:`;
  if (!jobId.startsWith(head)) return null;
  const millis = jobId.slice(head.length);
  return /^\d+$/.test(millis) ? Number(millis) : null;
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new QueueError('INVALID_PAYLOAD', `invalid ${what}: ${z.prettifyError(parsed.error)}`, {
    cause: parsed.error,
  });
}
