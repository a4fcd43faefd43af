import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN } from './duration.js';
import { configJsonSchema, vigilJsonSchema } from './json-schema.js';
import { testKinds } from './testing/kinds.js';

interface Obj {
  type?: string;
  properties?: Record<string, Obj>;
  required?: string[];
  additionalProperties?: unknown;
  items?: Obj;
  anyOf?: Obj[];
  pattern?: string;
}

describe('configJsonSchema', () => {
  const schema = configJsonSchema(testKinds) as Obj;
  const variants = schema.properties?.probes?.items?.anyOf ?? [];

  it('offers one closed alternative per kind, requiring id, name and that kind block', () => {
    expect(variants.map((v) => v.required)).toEqual([
      ['id', 'name', 'http'],
      ['id', 'name', 'tcp'],
    ]);
    for (const v of variants) expect(v.additionalProperties).toBe(false);
    expect(Object.keys(variants[0]?.properties ?? {})).not.toContain('tcp');
  });

  it('describes durations and slugs by their patterns, as written in the files', () => {
    const props = variants[0]?.properties ?? {};
    expect(props.interval).toMatchObject({ type: 'string', pattern: DURATION_PATTERN });
    expect(props.id?.pattern).toBe('^[a-z0-9][a-z0-9-]{0,62}$');
    expect(props.http?.properties?.url).toEqual({ type: 'string' });
  });

  it('closes defaults and the file itself to unknown keys', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties?.defaults?.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['probes']);
  });
});

describe('vigilJsonSchema', () => {
  it('lists every vigil.yaml section and nothing else', () => {
    const schema = vigilJsonSchema() as Obj;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual([
      'alerting',
      'api',
      'channels',
      'defaults',
      'heartbeat',
      'maintenance',
      'providers',
      'regions',
      'reports',
      'retention',
      'routes',
      'services',
      'timezone',
      'watchdog',
    ]);
    expect(schema.additionalProperties).toBe(false);
  });
});
