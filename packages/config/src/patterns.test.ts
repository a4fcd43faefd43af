import { readFileSync } from 'node:fs';
import path from 'node:path';
import { channelConfigSchemas } from '@vigil/notify';
import { probeKindSchemas } from '@vigil/probes';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { FIXTURES } from './testing/fixtures.js';
import { loadConfig } from './load.js';

/** Through the path `vigil validate` takes: the real probe kinds, every problem with file:line:col. */
describe('user patterns in probe files', () => {
  it('rejects every pattern RE2 cannot take, with its position, and every bad JSON path beside them', async () => {
    const dir = path.join(FIXTURES, 'real-kinds', 'patterns');
    const r = await loadConfig({ root: dir, kinds: probeKindSchemas, channelTypes: channelConfigSchemas });
    const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8').trimEnd().split('\n');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(expected);
    expect(r.config).toBeNull();
  });
});
