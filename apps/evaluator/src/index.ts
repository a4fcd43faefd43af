export { startEvaluatorRole, type EvaluatorRole, type EvaluatorRoleOptions } from './role.js';
export {
  createEvaluator,
  isSilenced,
  EvaluatorError,
  EVALUATOR_LEASE,
  type Evaluator,
  type EvaluatorOptions,
  type TickSummary,
} from './evaluator.js';
export { pgOutboxStore } from './outbox-store.js';
export { channelSpecs } from './channels.js';
export { recomputeRollups, RecomputeError } from './recompute.js';
export {
  readStatus,
  readIncidents,
  type StatusReport,
  type SubjectStatus,
  type StatusScope,
  type CurrentState,
} from './status.js';
export { followConfig, type ConfigFollower } from './config-follower.js';
export { routeChannels } from './routing.js';
export { slotGrid, ScheduleError, type SlotGrid } from './schedule.js';
export { createSilence, listSilences, endSilence, type Silence, type NewSilence } from '@vigil/db';
export * from './reports/index.js';
