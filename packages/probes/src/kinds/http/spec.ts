import { z } from 'zod';
import { extractSchema } from './extract.js';
import { httpExpectSchema } from './expect.js';
import { STEP_NAME, stepRefPattern, stepRefs, walkStrings, type StepRef } from './templating.js';

const ENV_REF = /\$\{env:/;
/** a URL that is, or starts with, a step reference is checked when the step runs */
const STEP_URL = /^\$\{steps\./;

const urlSchema = z.string().refine(
  (s) => {
    if (ENV_REF.test(s) || STEP_URL.test(s)) return true;
    // a step's value stands for a path (or a part of one) until the step runs
    const u = s.replace(stepRefPattern(), '/x');
    return URL.canParse(u) && /^https?:$/.test(new URL(u).protocol);
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

/** What one request is: the fields of a single-request probe, and of each step of a multi-step one. */
const requestFields = {
  url: urlSchema,
  method: z.enum(METHODS).default('GET'),
  headers: z.record(z.string().min(1), z.string()).default({}),
  query: z.record(z.string().min(1), z.string()).default({}),
  body: z.string().optional(),
  json: z.unknown().optional(),
  auth: authSchema.optional(),
};

/** How the connections of a run behave: shared by every step of a multi-step probe. */
const connectionFields = {
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
};

const bodyOrJson = {
  check: (s: { body?: string | undefined; json?: unknown }) => s.body === undefined || s.json === undefined,
  params: { error: 'expected either body or json, not both', path: ['json'] },
};

const redirectsAgree = {
  check: (s: { followRedirects: boolean; redirects?: RedirectPolicy | undefined }) =>
    s.followRedirects || s.redirects === undefined || s.redirects === 'none',
  params: {
    error: 'followRedirects: false contradicts redirects: write redirects: none alone',
    path: ['followRedirects'],
  },
};

/** One request: a single-request probe as the run sends it (each step of a multi-step one becomes one). */
export const httpRequestSchema = z
  .strictObject({ ...requestFields, ...connectionFields })
  .refine(bodyOrJson.check, bodyOrJson.params)
  .refine(redirectsAgree.check, redirectsAgree.params);
export type HttpSpec = z.infer<typeof httpRequestSchema>;

export const MAX_STEPS = 10;

/**
 * One step of a multi-step probe: a request (`${steps.<name>.<var>}` may stand in its url, query,
 * headers, body, json and auth), its own `expect`, and the variables it `extract`s for later steps.
 */
export const httpStepSchema = z
  .strictObject({
    name: z.string().regex(STEP_NAME, {
      error: (iss) => `expected a step name (letters, digits, "_" and "-"), got ${JSON.stringify(iss.input)}`,
    }),
    ...requestFields,
    expect: httpExpectSchema.optional(),
    extract: extractSchema.optional(),
  })
  .refine(bodyOrJson.check, bodyOrJson.params);
export type HttpStep = z.infer<typeof httpStepSchema>;

/** Fields a probe with `steps:` writes in each step instead of beside them. */
const PER_STEP = ['url', 'body', 'json', 'auth'] as const;

/**
 * The `http:` block: one request (`url` …), or `steps:`, requests run one after another under the
 * probe's one deadline, each with its own `expect` and `extract`. Beside `steps`, `headers` go to every
 * step and the connection settings (redirects, maxBodyBytes, tls) apply to all of them.
 */
export const httpSpecSchema = z
  .strictObject({
    ...requestFields,
    url: urlSchema.optional(),
    ...connectionFields,
    steps: z.array(httpStepSchema).min(1).max(MAX_STEPS).optional(),
  })
  .refine(bodyOrJson.check, bodyOrJson.params)
  .refine(redirectsAgree.check, redirectsAgree.params)
  .superRefine((s, ctx) => {
    if (s.steps === undefined) {
      if (s.url === undefined)
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'required (or steps: a list of requests)' });
      for (const [path, ref] of refsIn(s, []))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `\${steps.${ref.step}.${ref.variable}} is only resolved in a probe with steps:`,
        });
      return;
    }
    for (const key of PER_STEP)
      if (s[key] !== undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `with steps:, write ${key} in each step` });
    if (s.method !== 'GET')
      ctx.addIssue({ code: 'custom', path: ['method'], message: 'with steps:, write method in each step' });
    if (Object.keys(s.query).length > 0)
      ctx.addIssue({ code: 'custom', path: ['query'], message: 'with steps:, write query in each step' });
    for (const [path, ref] of refsIn({ headers: s.headers }, []))
      ctx.addIssue({
        code: 'custom',
        path,
        message: `\${steps.${ref.step}.${ref.variable}}: headers beside steps: go to the first step too; write it in a later step's headers`,
      });
    checkStepRefs(s.steps, ctx);
  });
export type HttpProbeSpec = z.infer<typeof httpSpecSchema>;
export type HttpStepsSpec = HttpProbeSpec & { steps: HttpStep[] };

type Path = (string | number)[];

/** Every malformed reference is reported by {@link checkStepRefs}; this lists the well-formed ones. */
function refsIn(value: unknown, base: Path): [Path, StepRef][] {
  const out: [Path, StepRef][] = [];
  walkStrings(value, base, (text, path) => {
    for (const ref of stepRefs(text).refs) out.push([path, ref]);
  });
  return out;
}

/**
 * Names are unique; a reference names an earlier step and a variable that step extracts, and stands only
 * in a request field (an `expect` or `extract` is not resolved).
 */
function checkStepRefs(steps: HttpStep[], ctx: z.RefinementCtx): void {
  const extracts = new Map<string, string[]>();
  steps.forEach((step, i) => {
    if (extracts.has(step.name))
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'name'],
        message: `another step is named "${step.name}": step names are unique`,
      });
    const { name: _name, expect, extract, ...request } = step;
    walkStrings({ expect, extract }, ['steps', i], (text, path) => {
      if (text.includes('${steps.'))
        ctx.addIssue({
          code: 'custom',
          path,
          message:
            '${steps.…} is resolved in a request only (url, query, headers, body, json, auth), not in expect or extract',
        });
    });
    walkStrings(request, ['steps', i], (text, path) => {
      const { refs, malformed } = stepRefs(text);
      if (malformed)
        ctx.addIssue({
          code: 'custom',
          path,
          message: 'malformed step reference: expected ${steps.<step name>.<variable>}',
        });
      for (const ref of refs) {
        const vars = extracts.get(ref.step);
        const written = `\${steps.${ref.step}.${ref.variable}}`;
        if (vars === undefined) {
          const later = steps.slice(i).some((s) => s.name === ref.step);
          const earlier = [...extracts.keys()];
          ctx.addIssue({
            code: 'custom',
            path,
            message: later
              ? `${written}: step "${ref.step}" runs ${ref.step === step.name ? 'as this one' : 'after this one'}; a step can use only the values of the steps before it`
              : `${written}: no step "${ref.step}"${earlier.length > 0 ? ` before this one (steps before it: ${earlier.join(', ')})` : ' before this one'}`,
          });
        } else if (!vars.includes(ref.variable))
          ctx.addIssue({
            code: 'custom',
            path,
            message: `${written}: step "${ref.step}" extracts ${vars.length > 0 ? vars.join(', ') : 'nothing'}, not ${ref.variable}`,
          });
      }
    });
    if (!extracts.has(step.name)) extracts.set(step.name, Object.keys(extract ?? {}));
  });
}
