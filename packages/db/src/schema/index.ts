// One table per file; a new table is one new file plus one line here (then `npm run db:generate`).
export * from './probes.js';
export * from './probe-results.js';
export * from './evaluator-state.js';
export * from './rollups-hourly.js';
export * from './incidents.js';
export * from './outbox.js';
export * from './leases.js';
export * from './silences.js';
export * from './rollups-cumulative.js';
export * from './report-runs.js';
export * from './provider-declarations.js';
export * from './status-page-polls.js';
