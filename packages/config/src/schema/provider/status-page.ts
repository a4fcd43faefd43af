import { z } from 'zod';

/** The provider's own status page, polled and stored as its declarations. Placeholder shape. */
export const providerStatusPageSchema = () => z.strictObject({});
export type ProviderStatusPageConfig = z.output<ReturnType<typeof providerStatusPageSchema>>;
