export * from './types.js';
export * from './slots.js';
export * from './env.js';
