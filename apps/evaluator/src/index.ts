export { startEvaluatorRole, type EvaluatorRole, type EvaluatorRoleOptions } from './role.js';
export { startEvaluatorProcess } from './process.js';
export {
  createEvaluator,
  EvaluatorError,
  EVALUATOR_LEASE,
  type Evaluator,
  type EvaluatorOptions,
  type TickSummary,
} from './evaluator.js';
export { pgOutboxStore } from './outbox-store.js';
export { channelSpecs } from './channels.js';
export { recomputeRollups, RecomputeError } from './recompute.js';
export * from './reports/index.js';
