export * from './errors.js';
export * from './jobs.js';
export * from './plan.js';
export { nextRunAfter } from './next-run.js';
export { bullRepeatFor } from './bull-schedule.js';
export * from './bull-dispatcher.js';
export * from './worker.js';
export * from './eviction.js';
export * from './in-process-dispatcher.js';
export * from './result-schema.js';
export {
  createResultStream,
  resultStreamKey,
  type ResultStream,
  type ResultStreamOptions,
} from './result-stream.js';
export * from './result-persister.js';
export * from './clock-check.js';
export * from './pings.js';
export * from './rate-limit.js';
