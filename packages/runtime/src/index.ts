export * from './log.js';
export * from './process.js';
export * from './clock.js';
export * from './config.js';
export * from './outage.js';
export * from './config-follower.js';
