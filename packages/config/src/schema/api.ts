import { z } from 'zod';
import { slugSchema } from '../primitives.js';

const ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

export const API_SCOPES = ['read', 'write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** An API token: a `${env:NAME}` reference only (a literal token in a file is a leaked token). */
const tokenSchema = () =>
  z.strictObject({
    name: slugSchema(),
    token: z.string().refine((s) => ENV_REF.test(s), {
      error: 'expected a ${env:NAME} reference (no default, no literal token)',
    }),
    /** `write` allows silences and acknowledgements; it implies `read` */
    scopes: z.array(z.enum(API_SCOPES)).min(1).default(['read']),
  });

/**
 * The web surface (apps/api): the public status page, the on-call dashboard, the JSON API, badges,
 * /metrics and heartbeat pings. `vigil run` serves it on `host:port`; `--port` overrides the port.
 */
export const apiSchema = () =>
  z.strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.int().min(0).max(65_535).default(8080),
    /** where people reach this server; alerts, emails and reports link to its pages when set */
    publicUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    tokens: z.array(tokenSchema()).default([]),
    /**
     * On a loopback host, requests from 127.0.0.1 / ::1 need no token (said at start). Set false to
     * require one everywhere; a non-loopback host always requires one.
     */
    localAccess: z.boolean().default(true),
    statusPage: z
      .strictObject({
        title: z.string().min(1).max(120).default('Service status'),
        /** which services the public page shows: `all`, or a list of service ids */
        services: z.union([z.literal('all'), z.array(slugSchema())]).default('all'),
        /**
         * show each service's providers (names and states only, never probe details or URLs); off by
         * default: the public page shows services only
         */
        providers: z.boolean().default(false),
      })
      .prefault({}),
    metrics: z
      .strictObject({
        /**
         * serve `/metrics` without a token (for a Prometheus that cannot send one); labels are config ids
         * only, but they do name every probe, provider and service
         */
        public: z.boolean().default(false),
      })
      .prefault({}),
  });

export type ApiConfig = z.output<ReturnType<typeof apiSchema>>;

/** The API settings in force: vigil.yaml's, or the defaults for a config built without one. */
export const apiOf = (config: { api?: ApiConfig }): ApiConfig => config.api ?? apiSchema().parse({});
