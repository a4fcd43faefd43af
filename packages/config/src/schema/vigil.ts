import { z } from 'zod';
import { slugListSchema, timeZoneSchema } from '../primitives.js';
import { alertingSchema } from './alerting.js';
import { apiSchema } from './api.js';
import { channelsSchema } from './channels.js';
import { maintenancesSchema } from './maintenance.js';
import { probeDefaultsSchema } from './probe.js';
import { providersSchema } from './providers.js';
import { reportsSchema } from './reports.js';
import { retentionSchema } from './retention.js';
import { routesSchema } from './routes.js';
import { servicesSchema } from './services.js';
import { heartbeatSchema, watchdogSchema } from './watchdog.js';

export const DEFAULT_REGIONS = ['local'];

/** vigil.yaml: every key optional. */
export const vigilFileSchema = () =>
  z.strictObject({
    timezone: timeZoneSchema().default('UTC'),
    regions: slugListSchema().default(DEFAULT_REGIONS),
    defaults: probeDefaultsSchema().optional(),
    services: servicesSchema().default({}),
    providers: providersSchema().default({}),
    channels: channelsSchema().default({}),
    routes: routesSchema().default([]),
    maintenance: maintenancesSchema().default([]),
    reports: reportsSchema().default({}),
    alerting: alertingSchema().prefault({}),
    heartbeat: heartbeatSchema().optional(),
    watchdog: watchdogSchema().prefault({}),
    retention: retentionSchema().prefault({}),
    api: apiSchema().prefault({}),
  });

export type VigilFile = z.output<ReturnType<typeof vigilFileSchema>>;
