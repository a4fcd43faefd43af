import { readFile, stat } from 'node:fs/promises';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { formatPath, locate, type Path } from './positions.js';

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_ALIAS_COUNT = 100;

/** A parsed YAML file that can point at any path inside it. */
export class SourceFile {
  constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lc: LineCounter,
    readonly data: unknown,
  ) {}

  /** A diagnostic at `path`: the key or item it names, or the deepest part of it that exists. */
  at(path: Path, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
    const { line, col } = locate(this.doc, this.lc, path);
    return { file: this.file, line, col, path: formatPath(path), message, severity };
  }

  depth(path: Path): number {
    return locate(this.doc, this.lc, path).depth;
  }
}

export type ReadResult =
  { ok: true; source: SourceFile; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const fileProblem = (file: string, message: string, line = 1, col = 1): Diagnostic => ({
  file,
  line,
  col,
  path: '',
  message,
  severity: 'error',
});

/**
 * Reads and parses one YAML file defensively: size cap before reading, alias-expansion cap,
 * `__proto__` keys rejected, one document only. Never throws for a bad file.
 */
export async function readSourceFile(absPath: string, file: string): Promise<ReadResult> {
  let text: string;
  try {
    const info = await stat(absPath);
    if (info.size > MAX_FILE_BYTES)
      return {
        ok: false,
        diagnostics: [fileProblem(file, `file is ${info.size} bytes, larger than the 1 MiB limit`)],
      };
    text = await readFile(absPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    return { ok: false, diagnostics: [fileProblem(file, `cannot read the file (${code})`)] };
  }
  return parseSource(text, file);
}

export function parseSource(text: string, file: string): ReadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => lc.linePos(offset);
  const problems: Diagnostic[] = doc.errors.map((e) => {
    const p = at(e.pos[0]);
    return fileProblem(file, `invalid YAML: ${e.message.split('\n')[0]}`, p.line, p.col);
  });
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && String(pair.key.value) === '__proto__') {
        const p = at(pair.key.range?.[0] ?? 0);
        problems.push(fileProblem(file, 'the key "__proto__" is not allowed', p.line, p.col));
      }
    },
  });
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const warnings = doc.warnings.map((w) => {
    const p = at(w.pos[0]);
    return {
      ...fileProblem(file, `YAML: ${w.message.split('\n')[0]}`, p.line, p.col),
      severity: 'warning' as const,
    };
  });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError) && !(err instanceof TypeError)) throw err;
    return {
      ok: false,
      diagnostics: [fileProblem(file, `YAML aliases expand too much or cannot be resolved: ${err.message}`)],
    };
  }
  return { ok: true, source: new SourceFile(file, doc, lc, data), warnings };
}
