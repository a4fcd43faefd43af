export interface Diagnostic {
  /** path relative to the config root, with forward slashes */
  file: string;
  line: number;
  col: number;
  /** e.g. `probes[2].http.timeout`; empty for problems with the file itself */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** `file:line:col path: message` (`file:line:col: message` when there is no path); warnings say so. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const message = d.severity === 'warning' ? `warning: ${d.message}` : d.message;
  return d.path === '' ? `${where}: ${message}` : `${where} ${d.path}: ${message}`;
}

/** Collects every problem at once; the same problem reached twice (e.g. through shared defaults) is kept once. */
export class Diagnostics {
  private readonly byText = new Map<string, Diagnostic>();

  add(d: Diagnostic): void {
    const key = `${d.severity} ${formatDiagnostic(d)}`;
    if (!this.byText.has(key)) this.byText.set(key, d);
  }

  get hasErrors(): boolean {
    for (const d of this.byText.values()) if (d.severity === 'error') return true;
    return false;
  }

  /** Sorted by file, line, column. */
  list(): Diagnostic[] {
    return [...this.byText.values()].sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        a.col - b.col ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    );
  }
}
