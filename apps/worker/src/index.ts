export * from './batch-sink.js';
export * from './handler.js';
export * from './loop-delay.js';
export * from './overload.js';
export * from './spec-cache.js';
export * from './role.js';
export * from './supervised-persister.js';
