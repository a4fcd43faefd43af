import { z } from 'zod';
import { describeValue } from '../../describe.js';
import { durationSchema } from '../../duration.js';

const ENV_REF = /\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/;
const HTTP_URL = /^https?:\/\/[^\s]+$/;
const urlError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'required'
    : `expected an http(s) URL or \${env:NAME}${typeof iss.input === 'string' ? '' : `, got ${describeValue(iss.input)}`}`;

/** `$`, `$.a.b`, `$.a[0].b`, `$['a b']`: the small JSONPath subset the `json` mapping reads. */
export const STATUS_PATH_PATTERN = "^\\$(?:\\.[A-Za-z_][A-Za-z0-9_-]*|\\[\\d+\\]|\\['[^']+'\\])*$";
const PATH_RE = new RegExp(STATUS_PATH_PATTERN);
const pathError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'required'
    : `expected a path like "$.status.indicator" or "$.items[0].name", got ${describeValue(iss.input)}`;
const pathSchema = () => z.string({ error: pathError }).regex(PATH_RE, { error: pathError });

/**
 * `format: json`: where a status API that is not Atlassian Statuspage keeps its indicator, components and
 * incidents. Paths start at the document (`$`); item fields start at the item. Values are mapped with
 * `values` (the provider's word → Statuspage's: `none|minor|major|critical|maintenance` for the indicator
 * and impacts, `operational|degraded_performance|partial_outage|major_outage|under_maintenance` for
 * components); a value already in Statuspage's words needs no entry.
 */
export const statusMappingSchema = () =>
  z.strictObject({
    indicator: pathSchema().optional(),
    description: pathSchema().optional(),
    components: z
      .strictObject({
        list: pathSchema(),
        name: pathSchema(),
        status: pathSchema(),
      })
      .optional(),
    incidents: z
      .strictObject({
        list: pathSchema(),
        id: pathSchema(),
        title: pathSchema(),
        impact: pathSchema().optional(),
        status: pathSchema().optional(),
        startedAt: pathSchema().optional(),
        updatedAt: pathSchema().optional(),
        resolvedAt: pathSchema().optional(),
        url: pathSchema().optional(),
        /** a list of names, or of objects with a `name` */
        components: pathSchema().optional(),
      })
      .optional(),
    values: z.record(z.string(), z.string()).default({}),
  });

/**
 * `providers.<name>.statusPage`: the provider's own status page, polled (politely, conditionally, by one
 * evaluator) and stored as the provider's declarations — shown beside our incidents, never counted as our
 * measured availability. `format: statuspage` reads Atlassian Statuspage's `/api/v2/summary.json` (Stripe,
 * PayPal, Algolia, GitHub…); `format: json` reads any JSON through `mapping`.
 */
export const providerStatusPageSchema = () =>
  z
    .strictObject({
      url: z
        .string({ error: urlError })
        .refine((s) => ENV_REF.test(s) || HTTP_URL.test(s), { error: urlError }),
      format: z.enum(['statuspage', 'json']).default('statuspage'),
      mapping: statusMappingSchema().optional(),
      /** the component names that matter (case-insensitive); @defaultValue every component */
      components: z.array(z.string().min(1)).min(1).optional(),
      /** how often to poll: at least 1m, to stay polite; @defaultValue 2m */
      interval: durationSchema({ minMs: 60_000, maxMs: 86_400_000 }).prefault('2m'),
      /** per request; @defaultValue 10s */
      timeout: durationSchema({ minMs: 1_000, maxMs: 60_000 }).prefault('10s'),
      /** slots inside the provider's declared maintenance (in progress) are excluded from availability */
      excludeDeclaredMaintenance: z.boolean().default(false),
    })
    .superRefine((s, ctx) => {
      if (s.format === 'json' && s.mapping === undefined)
        ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'required with format: json' });
      if (s.format === 'statuspage' && s.mapping !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['mapping'],
          message: 'only with format: json (statuspage has a fixed shape)',
        });
    });
export type ProviderStatusPageConfig = z.output<ReturnType<typeof providerStatusPageSchema>>;
export type StatusMappingConfig = z.output<ReturnType<typeof statusMappingSchema>>;
