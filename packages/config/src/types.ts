import type { Env, ProbeSpec } from '@vigil/core';
import type { z } from 'zod';
import type { Diagnostic } from './diagnostics.js';
import type { AlertingConfig } from './schema/alerting.js';
import type { ApiConfig } from './schema/api.js';
import type { ChannelConfig } from './schema/channels.js';
import type { MaintenanceConfig } from './schema/maintenance.js';
import type { ReportsConfig } from './schema/reports.js';
import type { RetentionConfig } from './schema/retention.js';
import type { RouteConfig } from './schema/routes.js';
import type { ProviderConfig } from './schema/providers.js';
import type { ServiceConfig } from './schema/services.js';
import type { HeartbeatConfig, WatchdogConfig } from './schema/watchdog.js';

/** A probe kind's schemas: the block under its key (`http:`) and the `expect:` block. */
export interface KindSchema {
  spec: z.ZodType;
  expect: z.ZodType;
}
export type KindSchemas = Record<string, KindSchema>;

export interface LoadOptions {
  /** the config root: vigil.yaml lives here and every reported path is relative to it */
  root: string;
  /** files or folders relative to `root`; @defaultValue `['probes']`, or `['.']` when there is no probes/ */
  paths?: string[];
  kinds: KindSchemas;
  /** per channel type, a schema for the whole channel object (`type` included) */
  channelTypes?: Record<string, z.ZodType>;
  /** when given, every `${env:NAME}` without a default that `env` lacks is an error */
  env?: Env;
}

export interface VigilConfig {
  root: string;
  /** IANA time zone for schedules, maintenance and reports; @defaultValue `UTC` */
  timezone: string;
  /** @defaultValue `['local']` */
  regions: string[];
  probes: ProbeSpec[];
  services: Record<string, ServiceConfig>;
  /** `providers.<name>` in vigil.yaml (status page, rate limit, contract SLA); read one with `providerOf(config, name)` @defaultValue `{}` */
  providers?: Record<string, ProviderConfig>;
  channels: Record<string, ChannelConfig>;
  routes: RouteConfig[];
  maintenance: MaintenanceConfig[];
  reports: ReportsConfig;
  alerting: AlertingConfig;
  /** the outbound heartbeat; absent when vigil.yaml has none */
  heartbeat?: HeartbeatConfig;
  /** @defaultValue `{ intervals: 2 }` */
  watchdog?: WatchdogConfig;
  /** how long results and rollups are kept; read it with `retentionOf(config)` @defaultValue `{ results: 35d, rollups: 730d }` */
  retention?: RetentionConfig;
  /** the web surface; read it with `apiOf(config)` @defaultValue `{ host: 127.0.0.1, port: 8080 }` */
  api?: ApiConfig;
  /** every file read, relative to root (vigil.yaml first when present) */
  files: string[];
}

export interface LoadResult {
  /** null when any diagnostic is an error */
  config: VigilConfig | null;
  diagnostics: Diagnostic[];
}
