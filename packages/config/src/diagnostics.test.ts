import { describe, expect, it } from 'vitest';
import { Diagnostics, formatDiagnostic, type Diagnostic } from './diagnostics.js';

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  file: 'probes/payments.yaml',
  line: 14,
  col: 7,
  path: 'probes[2].http.timeout',
  message: 'expected a duration like "5s", got 5000',
  severity: 'error',
  ...over,
});

describe('formatDiagnostic', () => {
  it.each([
    [d({}), 'probes/payments.yaml:14:7 probes[2].http.timeout: expected a duration like "5s", got 5000'],
    [d({ path: '', message: 'invalid YAML: x' }), 'probes/payments.yaml:14:7: invalid YAML: x'],
    [
      d({ severity: 'warning', message: 'm' }),
      'probes/payments.yaml:14:7 probes[2].http.timeout: warning: m',
    ],
  ])('formats %#', (diag, text) => {
    expect(formatDiagnostic(diag)).toBe(text);
  });
});

describe('Diagnostics', () => {
  it('keeps one copy of a problem reached twice and sorts by file, line, column', () => {
    const diags = new Diagnostics();
    diags.add(d({ file: 'b.yaml', line: 1 }));
    diags.add(d({ line: 20 }));
    diags.add(d({ line: 3 }));
    diags.add(d({ line: 3 }));
    expect(diags.list().map((x) => `${x.file}:${x.line}`)).toEqual([
      'b.yaml:1',
      'probes/payments.yaml:3',
      'probes/payments.yaml:20',
    ]);
  });

  it('has errors only when one is not a warning', () => {
    const diags = new Diagnostics();
    diags.add(d({ severity: 'warning' }));
    expect(diags.hasErrors).toBe(false);
    diags.add(d({}));
    expect(diags.hasErrors).toBe(true);
  });
});
