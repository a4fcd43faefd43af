// One table per file; a new table is one new file plus one line here (then `npm run db:generate`).
export * from './probes.js';
export * from './probe-results.js';
