import { z } from 'zod';
import { slugSchema } from '../primitives.js';
import { providerRateLimitSchema } from './provider/rate-limit.js';
import { providerSlaSchema } from './provider/sla.js';
import { providerStatusPageSchema } from './provider/status-page.js';

/**
 * `providers.<name>`: what Vigil knows about a third party beyond its probes (whose `provider:` names it).
 * Each part has its own file under ./provider/.
 */
export const providerSchema = () =>
  z.strictObject({
    name: z.string().min(1).optional(),
    sla: providerSlaSchema().optional(),
    rateLimit: providerRateLimitSchema().optional(),
    statusPage: providerStatusPageSchema().optional(),
  });

export const providersSchema = () => z.record(slugSchema(), providerSchema());
export type ProviderConfig = z.output<ReturnType<typeof providerSchema>>;

/** `providers.<name>` of the config, `{}` when the provider has no entry. */
export function providerOf(
  config: { providers?: Record<string, ProviderConfig> },
  name: string,
): ProviderConfig {
  return config.providers?.[name] ?? {};
}
