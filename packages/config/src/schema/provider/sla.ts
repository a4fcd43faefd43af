import { z } from 'zod';

/**
 * A provider's contract SLA (from its terms), reported beside the internal target.
 * Placeholder shape; the reports work fills in credit tiers.
 */
export const providerSlaSchema = () => z.strictObject({});
export type ProviderSlaConfig = z.output<ReturnType<typeof providerSlaSchema>>;
