import { afterEach, beforeEach, expect, it } from 'vitest';
import { apiSchema } from '@vigil/config';
import { periodOf } from '@vigil/core';
import { migrate, openDb, type DbHandle } from '@vigil/db';
import { config, spec } from '../testing/builders.js';
import { generateReport } from './report.js';

let h: DbHandle;
beforeEach(async () => {
  h = await openDb({ dataDir: 'memory://' });
  await migrate(h);
});
afterEach(() => h.close());

const at = Date.parse('2025-03-05T12:00:00Z');
const period = periodOf('week', at, 'Europe/Berlin');

it('links the report to its web version under vigil.yaml api.publicUrl', async () => {
  const cfg = config([spec()], { api: apiSchema().parse({ publicUrl: 'https://vigil.example.com/' }) });
  const report = await generateReport(h.db, cfg, { kind: 'weekly', period, generatedAt: at });
  expect(report.webUrl).toBe('https://vigil.example.com/api/v1/reports/2025-W10?format=html');
});

it('links nowhere without api.publicUrl', async () => {
  const report = await generateReport(h.db, config([spec()]), { kind: 'weekly', period, generatedAt: at });
  expect(report.webUrl).toBeNull();
});
