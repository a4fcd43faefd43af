import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { slugListSchema, slugSchema, timeOfDaySchema, timeZoneSchema, WEEKDAYS } from '../primitives.js';
import { labelsSchema } from './probe.js';

/**
 * A maintenance window: once (`start`, an ISO date-time) or every week (`weekdays` + `at`, in `tz`),
 * lasting `duration`. Results inside a window do not alert and do not count against the SLO.
 */
export const maintenanceSchema = () =>
  z
    .strictObject({
      id: slugSchema(),
      reason: z.string().optional(),
      match: z
        .strictObject({
          probes: slugListSchema().optional(),
          providers: slugListSchema().optional(),
          services: slugListSchema().optional(),
          labels: labelsSchema().optional(),
        })
        .default({}),
      start: z.iso.datetime({ offset: true }).optional(),
      weekdays: z.array(z.enum(WEEKDAYS)).min(1).optional(),
      at: timeOfDaySchema().optional(),
      duration: durationSchema({ minMs: 60_000, maxMs: 7 * 86_400_000 }),
      /** defaults to vigil.yaml `timezone` */
      tz: timeZoneSchema().optional(),
    })
    .superRefine((m, ctx) => {
      const weekly = m.weekdays !== undefined || m.at !== undefined;
      if (m.start !== undefined && weekly)
        ctx.addIssue({
          code: 'custom',
          path: ['start'],
          message: 'use either start (once) or weekdays + at (weekly), not both',
        });
      else if (m.start === undefined && !weekly)
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'expected start (once) or weekdays + at (weekly)',
        });
      else if (weekly && m.weekdays === undefined)
        ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'required with at' });
      else if (weekly && m.at === undefined)
        ctx.addIssue({ code: 'custom', path: ['at'], message: 'required with weekdays' });
    });

export const maintenancesSchema = () => z.array(maintenanceSchema());
export type MaintenanceConfig = z.output<ReturnType<typeof maintenanceSchema>>;
