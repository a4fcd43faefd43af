import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = join(import.meta.dirname, '..', '..', '..');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  image?: string;
}

/** Env vars a role's entry point reads: requireEnv('X'), readEnvNumber('X', …), process.env.X */
function envReadBy(files: string[]): { required: Set<string>; optional: Set<string> } {
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const f of files) {
    const src = readFileSync(join(repo, f), 'utf8');
    for (const m of src.matchAll(/requireEnv\('([A-Z_]+)'\)/g)) required.add(m[1]!);
    for (const m of src.matchAll(/readEnvNumber\('([A-Z_]+)'/g)) optional.add(m[1]!);
    for (const m of src.matchAll(/process\.env\.([A-Z_]+)/g)) optional.add(m[1]!);
  }
  return { required, optional };
}

const shared = ['packages/runtime/src/log.ts'];

describe('docker-compose.yml', () => {
  const doc = parse(readFileSync(join(repo, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const roles = Object.entries(doc.services).filter(([, s]) => s.image === 'vigil:local');

  it('runs postgres, redis without eviction, a one-shot migrate, a scheduler, an evaluator and workers in two regions', () => {
    expect(Object.keys(doc.services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'redis',
        'migrate',
        'scheduler',
        'worker-eu-west',
        'worker-us-east',
      ]),
    );
    expect(doc.services.redis!.command!.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(doc.services.redis!.command!.join(' ')).toContain('--appendonly yes');
    const regions = roles.map(([, s]) => s.environment?.REGION).filter(Boolean);
    expect(new Set(regions)).toEqual(new Set(['eu-west', 'us-east']));
  });

  it.each(roles.map(([name, s]) => [name, s] as const))(
    '%s starts an entry point that exists',
    (_name, s) => {
      const entry = s.command![0]!;
      expect(readdirSync(join(repo, entry, '..'))).toContain(entry.split('/').pop());
    },
  );

  it.each(roles.map(([name, s]) => [name, s] as const))(
    '%s gets every variable its entry point requires, and only variables Vigil reads',
    (_name, s) => {
      const entry = s.command![0]!;
      // the entry and the modules of its own app it imports (e.g. the evaluator's process.ts)
      const local = [...readFileSync(join(repo, entry), 'utf8').matchAll(/from '\.\/([\w-]+)\.js'/g)].map(
        (m) => join(entry, '..', `${m[1]}.ts`),
      );
      const files = [entry, ...local, ...shared];
      if (entry.endsWith('cli/src/bin.ts')) files.push('apps/cli/src/store.ts');
      const { required, optional } = envReadBy(files);
      const given = Object.keys(s.environment ?? {});
      for (const name of required) expect(given).toContain(name);
      for (const name of given) expect([...required, ...optional]).toContain(name);
    },
  );
});
