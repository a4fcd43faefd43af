export * from './types.js';
export * from './slots.js';
export * from './cron.js';
export * from './env.js';
export * from './redact.js';
export * from './eval/index.js';
