import { z } from 'zod';
import type { KindSchemas } from '../types.js';

/** Small stand-ins for the real kinds, so fixture messages do not change when @vigil/probes does. */
export const testKinds: KindSchemas = {
  http: {
    spec: z.strictObject({
      url: z.string(),
      method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
      headers: z.record(z.string(), z.string()).default({}),
    }),
    expect: z.strictObject({ status: z.int().optional(), body: z.string().optional() }).default({}),
  },
  tcp: {
    spec: z.strictObject({ host: z.string(), port: z.int().min(1).max(65535) }),
    expect: z.strictObject({}).default({}),
  },
};
