export * from './types.js';
export { startSimulator, SimulatorError } from './simulator.js';
export {
  fleetRoutes,
  providerRoutes,
  hostileBehaviors,
  credentialRoutes,
  SIM_OAUTH2_CLIENT,
} from './fleet.js';
export { flowRoutes, FLOW_PATHS, FLOW_PAYPAL_PATHS, FLOW_CHARGE_FAILURE, SIM_FLOW_CLIENT } from './flows.js';
export { demoScenario, SIMULATE_PORTS } from './demo.js';
export { behaviorAt } from './script.js';
export {
  statuspageSummary,
  stripeStatuspage,
  type StatuspageScript,
  type ScriptedIncident,
} from './statuspage.js';
export { simulatorCerts, type SimulatorCerts } from './certs.js';
export { seededRandom } from './random.js';
