import { z } from 'zod';
import { percentSchema } from '../../percent.js';
import { timeZoneSchema } from '../../primitives.js';

/** One service-credit tier of a contract: measured availability below `below` earns `credit`. */
const creditTierSchema = () =>
  z.strictObject({
    /** availability under which this tier applies, e.g. `99.9%` (a fraction after parsing) */
    below: percentSchema(),
    /** share of the window's fee credited, e.g. `10%` (a fraction after parsing) */
    credit: percentSchema(),
  });

/**
 * `providers.<name>.sla`: a provider's contract SLA (from its terms), reported beside the internal
 * target. Availability is judged per calendar `window` (month or quarter, in `tz`); the credit is the
 * last tier whose `below` the measured availability falls under, as in AWS / Google Cloud / Stripe-style
 * terms:
 *
 * ```yaml
 * sla:
 *   target: 99.9%
 *   window: month
 *   credits:
 *     - { below: 99.9%, credit: 10% }
 *     - { below: 99%, credit: 25% }
 * ```
 *
 * Tiers go from the mildest to the worst: `below` strictly descending and at most `target`, `credit`
 * rising (never less for more downtime).
 */
export const providerSlaSchema = () =>
  z
    .strictObject({
      target: percentSchema(),
      window: z.enum(['month', 'quarter']).default('month'),
      /** the zone of the calendar windows; defaults to the report's zone (vigil.yaml `timezone`) */
      tz: timeZoneSchema().optional(),
      credits: z.array(creditTierSchema()).default([]),
    })
    .superRefine((sla, ctx) => {
      const pct = (f: number) => `${Number((f * 100).toFixed(6))}%`;
      sla.credits.forEach((tier, i) => {
        if (tier.below > sla.target)
          ctx.addIssue({
            code: 'custom',
            path: ['credits', i, 'below'],
            message: `a credit tier applies below the target at most: ${pct(tier.below)} is above target ${pct(sla.target)}`,
          });
        const prev = sla.credits[i - 1];
        if (!prev) return;
        if (tier.below >= prev.below)
          ctx.addIssue({
            code: 'custom',
            path: ['credits', i, 'below'],
            message: `credit tiers go from the mildest down: expected below < ${pct(prev.below)} (credits[${i - 1}]), got ${pct(tier.below)}`,
          });
        else if (tier.credit < prev.credit)
          ctx.addIssue({
            code: 'custom',
            path: ['credits', i, 'credit'],
            message: `a worse tier credits at least as much: expected credit >= ${pct(prev.credit)} (credits[${i - 1}]), got ${pct(tier.credit)}`,
          });
      });
    });
export type ProviderSlaConfig = z.output<ReturnType<typeof providerSlaSchema>>;
