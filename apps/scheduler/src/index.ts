export * from './desired.js';
export * from './role.js';
