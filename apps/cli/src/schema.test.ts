import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchema } from './commands/schema.js';

describe('probes/schema.json', () => {
  it('is what `vigil schema` generates (regenerate with npm run schema:generate)', () => {
    const committed = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'probes', 'schema.json'),
      'utf8',
    );
    expect(committed).toBe(renderSchema());
  });
});
