// The evaluation engine: the pure step (step/) and the reads its shell and the status/report commands share (reads/).
export {
  step,
  slotRanges,
  newEvaluationState,
  type EvaluationState,
  type StepInputs,
  type StepOptions,
  type StepEffects,
  type SlotRange,
} from './step/step.js';
export {
  outboxRows,
  alertSubjects,
  alertWindows,
  type PendingAlert,
  type OutboxEffect,
  type AlertTotals,
  type AlertWindow,
} from './step/outbox.js';
export {
  runEngine,
  unhealthyLookup,
  RECENT_MS,
  DEGRADED_WINDOW_MS,
  type EngineMemory,
} from './step/engine.js';
export { closeDueSlots, type JudgedSlot, type CloseContext } from './step/due-slots.js';
export { combineParts, type Part, type CombineResult } from './step/combine.js';
export { firingBurnRules, upDown, type LongWindows } from './step/burn.js';
export { groupTickEvents, type Hierarchy } from './step/grouping.js';
export {
  applyEvents,
  type Notification,
  type IncidentChanges,
  type Acknowledgement,
} from './step/incident-log.js';
export { serviceDefs, type ServiceDef } from './step/services.js';
export { isSilenced } from './step/silences.js';
export { routeChannels, type Routable } from './step/routing.js';
export { slotGrid, ScheduleError, type SlotGrid } from './step/schedule.js';
export { maintenanceLookup, toMaintenance, type Maintenance } from './step/maintenance.js';
export { incidentPolicy, burnPolicy, flapPolicy } from './step/policy.js';
export { buildAlert, type AlertFigures, type AlertSubject } from './step/alert.js';
export {
  RegionWatch,
  watchdogStep,
  watchedRegions,
  isWatchdogKey,
  watchdogKey,
  watchdogRegion,
  WATCHDOG_ALL,
  type WatchdogOutcome,
} from './step/watchdog.js';
export {
  MONITOR_SUBJECT,
  newMonitorMemory,
  probeSubject,
  providerSubject,
  serviceSubject,
  trackKey,
  type ProbeState,
  type AggregateState,
  type MonitorMemory,
  type PackedSlot,
} from './step/state.js';
export { loadEvaluationState } from './reads/state.js';
export { readRegionHealth, readBurnWindows, readAlertTotals } from './reads/inputs.js';
export {
  readStatus,
  readCurrent,
  type SubjectCurrent,
  readIncidents,
  type StatusReport,
  type SubjectStatus,
  type StatusScope,
  type CurrentState,
} from './reads/status.js';
export {
  generateReport,
  inScope,
  REPORT_KINDS,
  PERIOD_KIND,
  type GenerateReportOptions,
  type ReportScope,
} from './reads/report.js';
export {
  readHistory,
  readMaintenance,
  readTrailingAvailability,
  type DayHistory,
  type SubjectHistory,
  type HistoryQuery,
  type ScheduledMaintenance,
} from './reads/history.js';
export {
  readDashboard,
  readProbeStates,
  readLatencySeries,
  readRecentResults,
  groupIncidents,
  LATENCY_RANGES,
  type DashboardView,
  type DashboardProbe,
  type IncidentNode,
  type LatencyRange,
  type LatencySeries,
  type LatencyPoint,
} from './reads/dashboard.js';
export {
  readResultPage,
  readIncidentPage,
  readIncident,
  readAvailability,
  availabilitySubjects,
  type AvailabilitySubject,
  type SubjectAvailability,
} from './reads/api.js';
export { silenceTargets, isSilenceTarget, type SilenceTargets } from './reads/silence-targets.js';
export {
  readRateLimitUsage,
  rateLimitUsage,
  wasNotSent,
  type ProviderRateLimitUsage,
  type RequestsPerRun,
} from './reads/rate-limit.js';
export {
  readMetrics,
  STALE_SLOTS,
  type MetricsSnapshot,
  type LatestRun,
  type EvaluatorProgress,
} from './reads/metrics.js';
export {
  readDeclarations,
  readDeclaredMaintenance,
  declarationChangesOf,
  statusPageProviders,
  readDeclarationHistory,
  correlateIncident,
  type DeclarationChange,
  type DeclarationRecord,
  type IncidentCorrelation,
} from './reads/declarations.js';
export {
  declarationView,
  alertDeclaration,
  declaredMaintenanceWindows,
  mattersTo,
  type DeclarationView,
} from './statuspage/view.js';
export {
  parseStatusPage,
  parseStatuspageSummary,
  parseMapped,
  readPath,
  StatusPageFormatError,
} from './statuspage/parse.js';
export { declarationNotices, type DeclarationNotice } from './statuspage/notices.js';
