import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS_FOLDER } from './migrate.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('committed migrations', () => {
  it('match the schema: drizzle-kit generate finds nothing to add', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-gen-'));
    try {
      const out = join(dir, 'migrations');
      cpSync(MIGRATIONS_FOLDER, out, { recursive: true });
      const config = join(dir, 'drizzle.config.json');
      writeFileSync(
        config,
        // drizzle-kit reads both paths relative to the working directory
        JSON.stringify({
          dialect: 'postgresql',
          schema: './packages/db/src/schema/*.ts',
          out: relative(ROOT, out),
        }),
      );
      const before = readdirSync(out).sort();
      const stdout = execFileSync(
        join(ROOT, 'node_modules/.bin/drizzle-kit'),
        ['generate', `--config=${config}`],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      expect(stdout).toContain('No schema changes');
      expect(readdirSync(out).sort()).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
