export { formatDiagnostic, type Diagnostic } from './diagnostics.js';
export { loadConfig, VIGIL_FILE, DEFAULT_PATHS } from './load.js';
export { probeHash } from './hash.js';
export { configJsonSchema, vigilJsonSchema } from './json-schema.js';
export { parseDuration, formatDuration } from './duration.js';
export { parsePercent } from './percent.js';
export { MAX_FILE_BYTES, MAX_ALIAS_COUNT } from './source-file.js';
export { WEEKDAYS, isTimeZone, type Weekday, type TimeOfDay } from './primitives.js';
export {
  MIN_INTERVAL_MS,
  DEFAULT_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_SLO_TARGET,
  type ProbeDefaults,
} from './schema/probe.js';
export { DEFAULT_REGIONS, type VigilFile } from './schema/vigil.js';
export type { ServiceConfig } from './schema/services.js';
export type { ChannelConfig } from './schema/channels.js';
export type { RouteConfig } from './schema/routes.js';
export { SEVERITIES } from './schema/routes.js';
export type { MaintenanceConfig } from './schema/maintenance.js';
export type { ReportsConfig, ReportConfig } from './schema/reports.js';
export type { AlertingConfig } from './schema/alerting.js';
export type { HeartbeatConfig, WatchdogConfig } from './schema/watchdog.js';
export { retentionOf, type RetentionConfig } from './schema/retention.js';
export { apiOf, apiSchema, API_SCOPES, type ApiConfig, type ApiScope } from './schema/api.js';
export { providerOf, providersSchema, type ProviderConfig } from './schema/providers.js';
export type { ProviderSlaConfig } from './schema/provider/sla.js';
export {
  plannedRequests,
  providerBudgets,
  requestsPerRun,
  runsPerWindow,
  type ProviderRateLimitConfig,
} from './schema/provider/rate-limit.js';
export type { ProviderStatusPageConfig, StatusMappingConfig } from './schema/provider/status-page.js';
export type { KindSchema, KindSchemas, LoadOptions, LoadResult, VigilConfig } from './types.js';
