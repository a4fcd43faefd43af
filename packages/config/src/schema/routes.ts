import { z } from 'zod';
import { ERROR_CLASSES } from '@vigil/core';
import { slugListSchema, slugSchema } from '../primitives.js';
import { labelsSchema } from './probe.js';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;

/** Alerts matching every given field of `match` go to `channels`; an empty match catches everything. */
export const routeSchema = () =>
  z.strictObject({
    match: z
      .strictObject({
        provider: slugSchema().optional(),
        service: slugSchema().optional(),
        severity: z.enum(SEVERITIES).optional(),
        labels: labelsSchema().optional(),
        /** the failing probe's error class when the alert was raised, e.g. `auth` (credentials rejected) */
        errorClass: z.enum(ERROR_CLASSES).optional(),
      })
      .default({}),
    channels: slugListSchema(),
  });

export const routesSchema = () => z.array(routeSchema());
export type RouteConfig = z.output<ReturnType<typeof routeSchema>>;
