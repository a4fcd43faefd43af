import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { ProbeSpec } from '@vigil/core';
import { ts } from './columns.js';

/** One row per probe id ever deployed; a probe removed from the YAML is retired, never deleted. */
export const probes = pgTable('probes', {
  id: text('id').primaryKey(),
  /** the validated spec exactly as given: `${env:…}` references, never their values */
  spec: jsonb('spec').$type<ProbeSpec>().notNull(),
  hash: text('hash').notNull(),
  provider: text('provider').notNull(),
  service: text('service').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  retiredAt: ts('retired_at'),
});
