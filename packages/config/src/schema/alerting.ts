import { z } from 'zod';
import { describeValue } from '../describe.js';
import { durationSchema } from '../duration.js';

const M_OF_N = /^(\d+) of (\d+)$/;
const mOfNError = (iss: { input?: unknown }) =>
  iss.input === undefined ? 'required' : `expected "M of N" like "3 of 5", got ${describeValue(iss.input)}`;

/** "3 of 5": alert when 3 of the last 5 slots failed. */
export const mOfNSchema = () =>
  z
    .string({ error: mOfNError })
    .regex(M_OF_N, { error: mOfNError })
    .transform((text, ctx) => {
      const [, m, n] = M_OF_N.exec(text) ?? [];
      const failures = Number(m);
      const window = Number(n);
      if (failures < 1 || failures > window || window > 100)
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: `expected 1 <= M <= N <= 100, got "${text}"`,
        });
      return { failures, window };
    });

export const alertingSchema = () =>
  z.strictObject({
    failures: mOfNSchema().prefault('3 of 5'),
    /** consecutive good slots that resolve an incident */
    recovery: z.int().min(1).max(100).default(2),
    /** re-notify an open incident this often */
    reminder: durationSchema({ minMs: 60_000 }).prefault('2h'),
    /** regions that must agree a slot failed; unset leaves it to the evaluator */
    quorum: z.int().min(1).optional(),
    flapping: z
      .strictObject({
        /** state changes within `window` that mark a probe as flapping (alerts are then held) */
        changes: z.int().min(2).default(5),
        window: durationSchema({ minMs: 60_000 }).prefault('1h'),
      })
      .optional(),
  });

export type AlertingConfig = z.output<ReturnType<typeof alertingSchema>>;
