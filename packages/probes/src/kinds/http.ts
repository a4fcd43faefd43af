import type { ProbeKind, ProbeRunOutput } from '../types.js';
import { httpExpectSchema, type HttpExpect } from './http/expect.js';
import { runRequest } from './http/run-request.js';
import { httpSpecSchema, type HttpProbeSpec, type HttpSpec } from './http/spec.js';
import { runSteps } from './http/steps.js';

export { isAuthStatus } from './http/run-request.js';

export const httpProbe: ProbeKind<HttpProbeSpec, HttpExpect> = {
  kind: 'http',
  spec: httpSpecSchema,
  expect: httpExpectSchema,
  async run(given, expect, ctx): Promise<ProbeRunOutput> {
    if (given.steps !== undefined) return runSteps({ ...given, steps: given.steps }, expect, ctx);
    const { steps: _steps, url, ...rest } = given;
    // the schema requires url without steps
    const spec: HttpSpec = { ...rest, url: url ?? '' };
    const {
      response: _response,
      secrets: _secrets,
      ...out
    } = await runRequest(spec, expect, ctx, {
      timeoutMs: ctx.timeoutMs,
    });
    return out;
  },
};
