import { z } from 'zod';

// The JSON API's shapes, in one place: the routes validate their input with these, and the OpenAPI
// document (openapi.ts) is generated from them, responses included. Registered schemas become
// components (`#/components/schemas/<id>`).

export const components = z.registry<{ id: string; description?: string }>();

const iso = () => z.iso.datetime({ offset: true });
const named = <T extends z.ZodType>(id: string, schema: T, description?: string): T => {
  components.add(schema, description ? { id, description } : { id });
  return schema;
};

export const ErrorBody = named(
  'Error',
  z.object({
    error: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'rate_limited', 'internal']),
    message: z.string(),
  }),
  'What went wrong; a bad parameter is named in the message',
);

const scope = z.enum(['service', 'provider', 'probe']);

export const Availability = named(
  'Availability',
  z.object({
    upMs: z.number(),
    degradedMs: z.number(),
    downMs: z.number(),
    noDataMs: z.number(),
    excludedMs: z.number(),
    rateLimitedMs: z.number(),
    windowMs: z.number(),
    availability: z.number().nullable(),
    coverage: z.number(),
    target: z.number(),
    status: z.enum(['met', 'missed', 'insufficient_data']),
  }),
);

export const ErrorBudget = named(
  'ErrorBudget',
  z.object({
    allowedMs: z.number(),
    usedMs: z.number(),
    leftMs: z.number(),
    leftFraction: z.number().nullable(),
    exhausted: z.boolean(),
  }),
);

const incidentFields = {
  id: z.string(),
  scope: z.enum(['probe', 'provider', 'service', 'monitor']),
  key: z.string(),
  kind: z.enum(['down', 'degraded', 'slo_burn', 'monitor']),
  severity: z.enum(['page', 'ticket', 'info']),
  title: z.string(),
  provider: z.string().nullable(),
  service: z.string().nullable(),
  probeId: z.string().nullable(),
  openedAt: iso(),
  resolvedAt: iso().nullable(),
  parentId: z.string().nullable(),
  silent: z.boolean(),
  flapping: z.boolean(),
  detail: z.record(z.string(), z.union([z.string(), z.number()])),
  updatedAt: iso(),
  acknowledgedAt: iso().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgeNote: z.string().nullable(),
};
export const Incident = named('Incident', z.object(incidentFields));

export const IncidentDetail = named(
  'IncidentDetail',
  z.object({ ...incidentFields, children: z.array(Incident) }),
  'An incident with the incidents grouped under it',
);

export const SubjectStatus = named(
  'SubjectStatus',
  z.object({
    scope,
    key: z.string(),
    name: z.string(),
    state: z.enum(['up', 'degraded', 'down', 'no_data', 'maintenance', 'config', 'unknown']),
    target: z.number(),
    availability24h: Availability,
    availability30d: Availability,
    availabilityQuarter: Availability,
    p95Ms: z.number().nullable(),
    budget30d: ErrorBudget,
    budgetQuarter: ErrorBudget,
    openIncident: Incident.nullable(),
  }),
);

const DeclaredItem = named(
  'DeclaredItem',
  z.object({
    kind: z.enum(['incident', 'maintenance', 'component']),
    title: z.string(),
    impact: z.string().describe('none, minor, major, critical or maintenance'),
    status: z
      .string()
      .describe("the provider's word: investigating, identified, in_progress, partial_outage…"),
    since: z.number().describe('epoch ms, as the provider says'),
    lastUpdateAt: z.number().nullable(),
    endedAt: z.number().nullable(),
    url: z.string().nullable(),
  }),
);

export const ProviderDeclaration = named(
  'ProviderDeclaration',
  z.object({
    key: z.string().describe("the provider's slug"),
    provider: z.string().describe('its display name'),
    indicator: z
      .string()
      .nullable()
      .describe('none, minor, major, critical, maintenance; null before a good poll'),
    description: z.string().nullable(),
    items: z.array(DeclaredItem).describe('what stands now'),
    components: z.array(z.object({ name: z.string(), status: z.string() })),
    upcoming: z.array(DeclaredItem).describe('announced maintenance not started yet'),
    checkedAt: z.number().nullable().describe('epoch ms the page was last read; null before the first'),
    stale: z.boolean().describe('the last poll failed: the items are the last good ones'),
    lastError: z.string().nullable(),
    pageUrl: z.string().nullable(),
  }),
  "What a provider's own status page declares: its word, never counted as our availability",
);

export const StatusReport = named(
  'StatusReport',
  z.object({
    at: z.number().describe('epoch ms'),
    quarter: z.string(),
    services: z.array(SubjectStatus),
    providers: z.array(SubjectStatus),
    probes: z.array(SubjectStatus),
    declarations: z.array(ProviderDeclaration),
  }),
  'Exactly what `vigil status --json` prints',
);

export const Service = named(
  'Service',
  z.object({
    id: z.string(),
    name: z.string(),
    mode: z.enum(['any', 'all']),
    target: z.number(),
    providers: z.array(z.string()),
    declared: z.boolean().describe('declared under services: in vigil.yaml (else implied by its probes)'),
  }),
);

export const Provider = named(
  'Provider',
  z.object({
    id: z.string(),
    services: z.array(z.string()),
    probes: z.array(z.string()),
    target: z.number(),
  }),
);

const probeFields = {
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  provider: z.string(),
  service: z.string(),
  critical: z.boolean(),
  regions: z.array(z.string()),
  schedule: z.union([
    z.object({ type: z.literal('interval'), everyMs: z.number() }),
    z.object({ type: z.literal('cron'), cron: z.string(), tz: z.string() }),
  ]),
  timeoutMs: z.number(),
  sloTarget: z.number(),
  labels: z.record(z.string(), z.string()),
  runbook: z.string().nullable(),
};
export const Probe = named('Probe', z.object(probeFields));
export const ProbeDetail = named(
  'ProbeDetail',
  z.object({
    ...probeFields,
    spec: z
      .record(z.string(), z.unknown())
      .describe('the kind-specific spec: ${env:…} references stay references, header values are masked'),
    expect: z.record(z.string(), z.unknown()),
  }),
);

export const ProbeResult = named(
  'ProbeResult',
  z.object({
    probeId: z.string(),
    region: z.string(),
    slotAt: iso(),
    startedAt: iso(),
    phases: z.object({
      dnsMs: z.number().nullable(),
      connectMs: z.number().nullable(),
      tlsMs: z.number().nullable(),
      ttfbMs: z.number().nullable(),
      transferMs: z.number().nullable(),
      totalMs: z.number(),
    }),
    outcome: z.enum(['up', 'down', 'degraded', 'rate_limited']),
    httpStatus: z.number().nullable(),
    errorClass: z.string().nullable(),
    message: z.string().nullable(),
    assertions: z.array(z.record(z.string(), z.unknown())),
    retryAfterS: z.number().nullable(),
    tlsDaysLeft: z.number().nullable(),
    steps: z
      .array(
        z.object({
          name: z.string(),
          outcome: z.enum(['up', 'down', 'rate_limited']),
          httpStatus: z.number().nullable(),
          errorClass: z.string().nullable(),
          phases: z.object({
            dnsMs: z.number().nullable(),
            connectMs: z.number().nullable(),
            tlsMs: z.number().nullable(),
            ttfbMs: z.number().nullable(),
            transferMs: z.number().nullable(),
            totalMs: z.number(),
          }),
        }),
      )
      .optional()
      .describe(
        'a multi-step probe: the steps that ran, in order; the last is the first that failed, if one did',
      ),
    notSent: z
      .enum(['deferred', 'budget'])
      .optional()
      .describe(
        "a rate_limited slot Vigil did not send: deferred by the provider's Retry-After, or out of budget",
      ),
  }),
);

const page = <T extends z.ZodType>(id: string, item: T) =>
  named(
    id,
    z.object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last'),
    }),
  );
export const ResultPage = page('ResultPage', ProbeResult);
export const IncidentPage = page('IncidentPage', Incident);

export const SubjectAvailability = named(
  'SubjectAvailability',
  z.object({ scope, key: z.string(), target: z.number(), availability: Availability }),
);
export const AvailabilityReport = named(
  'AvailabilityReport',
  z.object({
    from: iso(),
    to: iso(),
    period: z
      .object({ kind: z.enum(['week', 'month', 'quarter']), key: z.string(), tz: z.string() })
      .nullable(),
    subjects: z.array(SubjectAvailability),
  }),
);

export const Silence = named(
  'Silence',
  z.object({
    id: z.string(),
    target: z.string(),
    startsAt: iso(),
    endsAt: iso(),
    reason: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: iso(),
  }),
);
export const SilenceList = named('SilenceList', z.object({ items: z.array(Silence) }));

export const Providers = named('ProviderList', z.object({ items: z.array(Provider) }));
export const Services = named('ServiceList', z.object({ items: z.array(Service) }));
export const Probes = named('ProbeList', z.object({ items: z.array(Probe) }));

// ---- inputs ----

const limit = (max: number, dflt: number) =>
  z.coerce.number().int().min(1).max(max).default(dflt).describe(`page size, 1…${max}`);
const instant = () =>
  z.iso
    .datetime({ offset: true })
    .transform((s) => Date.parse(s))
    .describe('ISO 8601 date-time, e.g. 2025-03-03T10:00:00Z');
const flag = () =>
  z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .describe('true or false');

export const IdParam = z.object({ id: z.string().min(1).max(200) });

export const ResultsQuery = z.object({
  from: instant().optional().describe('inclusive; default: 24 h before `to`'),
  to: instant().optional().describe('exclusive; default: now'),
  region: z.string().min(1).max(100).optional(),
  cursor: z.string().max(500).optional(),
  limit: limit(1000, 100),
});

export const IncidentsQuery = z.object({
  open: flag().optional(),
  scope: z.enum(['probe', 'provider', 'service', 'monitor']).optional(),
  cursor: z.string().max(500).optional(),
  limit: limit(500, 50),
});

export const AvailabilityQuery = z.object({
  scope: scope.optional(),
  key: z.string().min(1).max(200).optional(),
  from: instant().optional().describe('default: 24 h before `to`'),
  to: instant().optional().describe('default: now'),
});

export const PeriodParam = z.object({
  period: z
    .string()
    .regex(/^(week|month|quarter|\d{4}-(W\d{2}|Q[1-4]|\d{2}))$/)
    .describe('week, month or quarter (the current one), or a key: 2025-W10, 2025-03, 2025-Q1'),
});
export const PeriodQuery = z.object({
  tz: z.string().min(1).max(64).optional().describe("IANA time zone; default: vigil.yaml's timezone"),
  scope: scope.optional(),
  key: z.string().min(1).max(200).optional(),
});

export const ReportParam = z.object({
  period: z
    .string()
    .regex(/^(week|month|quarter|\d{4}-(W\d{2}|Q[1-4]|\d{2}))$/)
    .describe('week, month or quarter (the last completed one), or a key: 2025-W10, 2025-03, 2025-Q1'),
});
export const ReportQuery = z.object({
  format: z.enum(['html', 'text', 'csv']).default('html'),
  tz: z.string().min(1).max(64).optional().describe("IANA time zone; default: vigil.yaml's timezone"),
});

export const SilenceCreate = named(
  'SilenceCreate',
  z
    .object({
      target: z.string().min(1).max(200).describe('probe id, provider, service, region or open incident id'),
      for: z.string().max(20).optional().describe('how long from now, e.g. 30m, 2h (at most 365d)'),
      until: iso().optional().describe('or when it ends'),
      reason: z.string().max(500).optional(),
    })
    .strict(),
);

export const AcknowledgeBody = named(
  'Acknowledge',
  z.object({ by: z.string().min(1).max(100), note: z.string().max(1000).optional() }).strict(),
);
