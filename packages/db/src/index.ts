export { openDb, type Db, type DbHandle, type OpenDbOptions, type Schema } from './client.js';
export { migrate, MIGRATIONS_FOLDER, type MigrateOptions } from './migrate.js';
export { DbError, type DbErrorCode } from './errors.js';
