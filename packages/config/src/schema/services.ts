import { z } from 'zod';
import { percentSchema } from '../percent.js';
import { slugListSchema, slugSchema } from '../primitives.js';

/**
 * A capability served by one or more providers. `mode: any` (failover): up while any provider is up;
 * `mode: all`: up only while every provider is up.
 */
export const serviceSchema = () =>
  z.strictObject({
    name: z.string().min(1).optional(),
    providers: slugListSchema(),
    mode: z.enum(['any', 'all']).default('any'),
    target: percentSchema().optional(),
  });

export const servicesSchema = () => z.record(slugSchema(), serviceSchema());
export type ServiceConfig = z.output<ReturnType<typeof serviceSchema>>;
