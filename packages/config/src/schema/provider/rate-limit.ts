import { z } from 'zod';

/** The request budget the provider's probes share across all regions and workers. Placeholder shape. */
export const providerRateLimitSchema = () => z.strictObject({});
export type ProviderRateLimitConfig = z.output<ReturnType<typeof providerRateLimitSchema>>;
