import { z } from 'zod';
import { slugListSchema, timeOfDaySchema, timeZoneSchema } from '../primitives.js';

const scopeSchema = () =>
  z.strictObject({
    services: slugListSchema().optional(),
    providers: slugListSchema().optional(),
    probes: slugListSchema().optional(),
  });

/**
 * One scheduled report. `at` is "MON 08:00" for weekly (the day the report covering the past week is
 * sent) and "08:00" for monthly/quarterly (sent on the first day of the next period), in `tz`.
 */
const reportSchema = (needWeekday: boolean) =>
  z.strictObject({
    recipients: z.array(z.email()).min(1),
    at: timeOfDaySchema(needWeekday).optional(),
    /** defaults to vigil.yaml `timezone` */
    tz: timeZoneSchema().optional(),
    /** everything when absent */
    scope: scopeSchema().optional(),
  });

export const reportsSchema = () =>
  z.strictObject({
    weekly: reportSchema(true).optional(),
    monthly: reportSchema(false).optional(),
    quarterly: reportSchema(false).optional(),
  });

export type ReportsConfig = z.output<ReturnType<typeof reportsSchema>>;
export type ReportConfig = NonNullable<ReportsConfig['weekly']>;
