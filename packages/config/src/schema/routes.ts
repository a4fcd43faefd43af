import { z } from 'zod';
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
      })
      .default({}),
    channels: slugListSchema(),
  });

export const routesSchema = () => z.array(routeSchema());
export type RouteConfig = z.output<ReturnType<typeof routeSchema>>;
