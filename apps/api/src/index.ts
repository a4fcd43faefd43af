export { createApi, type Mount } from './app.js';
export { startApiRole, type ApiRole, type ApiRoleOptions } from './role.js';
export type { ApiDeps } from './deps.js';
