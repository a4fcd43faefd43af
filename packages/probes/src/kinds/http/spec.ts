import { z } from 'zod';

const ENV_REF = /\$\{env:/;

const urlSchema = z.string().refine(
  (s) => {
    if (ENV_REF.test(s)) return true;
    return URL.canParse(s) && /^https?:$/.test(new URL(s).protocol);
  },
  { error: (iss) => `expected an http:// or https:// URL, got ${JSON.stringify(iss.input)}` },
);

const authSchema = z.union(
  [
    z.strictObject({ bearer: z.string().min(1) }),
    z.strictObject({ basic: z.strictObject({ username: z.string(), password: z.string() }) }),
    z.strictObject({ header: z.strictObject({ name: z.string().min(1), value: z.string() }) }),
    z.strictObject({ query: z.strictObject({ name: z.string().min(1), value: z.string() }) }),
    z.strictObject({
      oauth2: z.strictObject({
        tokenUrl: urlSchema,
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        scope: z.string().min(1).optional(),
        audience: z.string().min(1).optional(),
        /** how the client authenticates to the token endpoint: HTTP Basic (RFC 6749 §2.3.1) or form fields */
        method: z.enum(['basic', 'body']).default('basic'),
      }),
    }),
  ],
  {
    error:
      'expected one of { bearer: TOKEN }, { basic: { username, password } }, { header: { name, value } }, { query: { name, value } }, { oauth2: { tokenUrl, clientId, clientSecret, scope?, audience?, method? } }',
  },
);
export type HttpAuth = z.infer<typeof authSchema>;
export type OAuth2Auth = Extract<HttpAuth, { oauth2: unknown }>['oauth2'];

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Which redirects a run follows: `same-origin` only those that stay on the configured origin, `any` all
 * (a hop to another origin goes without the secret headers and a body holding a secret), `none` none.
 */
export const REDIRECT_POLICIES = ['same-origin', 'any', 'none'] as const;
export type RedirectPolicy = (typeof REDIRECT_POLICIES)[number];

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export const httpSpecSchema = z
  .strictObject({
    url: urlSchema,
    method: z.enum(METHODS).default('GET'),
    headers: z.record(z.string().min(1), z.string()).default({}),
    query: z.record(z.string().min(1), z.string()).default({}),
    body: z.string().optional(),
    json: z.unknown().optional(),
    auth: authSchema.optional(),
    /** @defaultValue `same-origin` for a probe with a secret (`${env:…}`), else `any` */
    redirects: z.enum(REDIRECT_POLICIES).optional(),
    /** `false` is `redirects: none` */
    followRedirects: z.boolean().default(true),
    maxRedirects: z.int().min(0).max(20).default(DEFAULT_MAX_REDIRECTS),
    /** response bytes read at most; more is `body_too_large` */
    maxBodyBytes: z
      .int()
      .min(1)
      .max(64 * 1024 * 1024)
      .default(DEFAULT_MAX_BODY_BYTES),
    tls: z
      .strictObject({
        verify: z.boolean().default(true),
        /** PEM of the CA(s) to trust instead of the system roots (private APIs, tests) */
        ca: z.string().optional(),
        servername: z.string().optional(),
      })
      .default({ verify: true }),
  })
  .refine((s) => s.body === undefined || s.json === undefined, {
    error: 'expected either body or json, not both',
    path: ['json'],
  })
  .refine((s) => s.followRedirects || s.redirects === undefined || s.redirects === 'none', {
    error: 'followRedirects: false contradicts redirects: write redirects: none alone',
    path: ['followRedirects'],
  });
export type HttpSpec = z.infer<typeof httpSpecSchema>;
