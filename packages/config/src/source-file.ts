import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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

/**
 * What a top level that is not a map is, never its content: a file that is not YAML (a passwd file, a
 * script) usually parses as one long scalar, and echoing it would print arbitrary text.
 */
export function topLevelKind(data: unknown): string {
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'string') return 'plain text (is this a YAML file?)';
  if (typeof data === 'number' || typeof data === 'bigint') return 'a number';
  if (typeof data === 'boolean') return 'true or false';
  return 'a value that is not a map';
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
 * Reads and parses one YAML file defensively: only a regular file (a FIFO or a device would block or
 * never end), size cap before reading, strict UTF-8, alias-expansion cap, `__proto__` keys rejected,
 * one document only. Never throws for a bad file.
 */
export async function readSourceFile(absPath: string, file: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    // non-blocking, so opening a FIFO returns at once and fstat can refuse it
    const handle = await open(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const info = await handle.stat();
      if (!info.isFile())
        return { ok: false, diagnostics: [fileProblem(file, `not a regular file (${fileType(info)})`)] };
      if (info.size > MAX_FILE_BYTES) return { ok: false, diagnostics: [tooLarge(file, info.size)] };
      const read = await readAtMost(handle, info.size, MAX_FILE_BYTES);
      if (read === null) return { ok: false, diagnostics: [tooLarge(file, null)] };
      bytes = read;
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    return { ok: false, diagnostics: [fileProblem(file, `cannot read the file (${code})`)] };
  }
  const text = decodeUtf8(bytes);
  if (typeof text !== 'string') {
    const { line, col, byte, offset } = text;
    const hex = byte.toString(16).padStart(2, '0');
    const problem = `not valid UTF-8: byte 0x${hex} at offset ${offset}; save the file as UTF-8`;
    return { ok: false, diagnostics: [fileProblem(file, problem, line, col)] };
  }
  return parseSource(text, file);
}

const tooLarge = (file: string, size: number | null) =>
  fileProblem(
    file,
    `file is ${size === null ? 'more than 1048576' : size} bytes, larger than the 1 MiB limit`,
  );

/** The whole file, or null past `max` bytes (a file can grow after fstat; /proc files say size 0). */
async function readAtMost(handle: FileHandle, sizeHint: number, max: number): Promise<Uint8Array | null> {
  let buf = Buffer.alloc(Math.min(Math.max(sizeHint + 1, 4096), max + 1));
  let n = 0;
  for (;;) {
    if (n === buf.length) {
      if (n > max) return null;
      const bigger = Buffer.alloc(Math.min(buf.length * 2, max + 1));
      buf.copy(bigger);
      buf = bigger;
    }
    const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
    if (bytesRead === 0) return buf.subarray(0, n);
    n += bytesRead;
  }
}

function fileType(info: Stats): string {
  if (info.isDirectory()) return 'folder';
  if (info.isFIFO()) return 'fifo';
  if (info.isCharacterDevice()) return 'character device';
  if (info.isBlockDevice()) return 'block device';
  if (info.isSocket()) return 'socket';
  return 'unknown type';
}

interface BadUtf8 {
  /** first invalid byte: its offset, and its line and column counted in the valid text before it */
  offset: number;
  byte: number;
  line: number;
  col: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text, or where its first invalid UTF-8 sequence starts. */
export function decodeUtf8(bytes: Uint8Array): string | BadUtf8 {
  try {
    return strictUtf8.decode(bytes);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  const offset = firstInvalidUtf8(bytes);
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.slice(0, lineStart).split('\n').length;
  return { offset, byte: bytes[offset] ?? 0, line, col: before.length - lineStart + 1 };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += len;
  }
  return bytes.length;
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
