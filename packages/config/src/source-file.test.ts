import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverProbeFiles } from './discover.js';
import { decodeUtf8, firstInvalidUtf8, readSourceFile } from './source-file.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('firstInvalidUtf8', () => {
  it.each([
    ['ASCII', utf8('probes: []'), 10],
    ['two-, three- and four-byte characters', utf8('é€😀'), 9],
    ['a Latin-1 é', bytes(0x63, 0x61, 0x66, 0xe9), 3],
    ['a lone continuation byte', bytes(0x61, 0x80), 1],
    ['an overlong "/"', bytes(0xc0, 0xaf), 0],
    ['an overlong three-byte sequence', bytes(0xe0, 0x80, 0xaf), 0],
    ['a UTF-16 surrogate', bytes(0x61, 0xed, 0xa0, 0x80), 1],
    ['a code point past U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['a sequence cut off by the end', bytes(0x61, 0xe2, 0x82), 1],
    ['a sequence cut off by ASCII', bytes(0xe2, 0x82, 0x41), 0],
    ['0xFF', bytes(0x61, 0x62, 0xff), 2],
  ])('%s → %d', (_name, input, offset) => {
    expect(firstInvalidUtf8(input)).toBe(offset);
  });

  it('agrees with a strict decoder: the bytes before it decode, the bytes from it on do not', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const valid = fc.string({ unit: 'binary' }).map(utf8);
    const mixed = fc
      .array(fc.oneof(valid, fc.uint8Array({ maxLength: 4 })), { maxLength: 6 })
      .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
    fc.assert(
      fc.property(mixed, (b) => {
        const at = firstInvalidUtf8(b);
        expect(() => strict.decode(b.subarray(0, at))).not.toThrow();
        if (at === b.length) expect(() => strict.decode(b)).not.toThrow();
        else expect(() => strict.decode(b.subarray(at))).toThrow(TypeError);
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeUtf8', () => {
  it('gives the line and column of the first bad byte, counting the characters before it', () => {
    expect(decodeUtf8(Uint8Array.from([...utf8('a: 1\nname: "Café '), 0xff]))).toEqual({
      offset: 18,
      byte: 0xff,
      line: 2,
      col: 13,
    });
  });

  it('drops a byte order mark', () => {
    expect(decodeUtf8(bytes(0xef, 0xbb, 0xbf, 0x61))).toBe('a');
  });
});

describe('readSourceFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-source-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const messages = async (abs: string) => {
    const r = await readSourceFile(abs, path.basename(abs));
    return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
  };

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(await messages(fifo)).toEqual(['1:1: not a regular file (fifo)']);
  });

  it.each([
    ['a folder', 'folder'],
    ['/dev/null', 'character device'],
  ])('refuses %s', async (what, type) => {
    const target = what === 'a folder' ? dir : what;
    expect(await messages(target)).toEqual([`1:1: not a regular file (${type})`]);
  });

  it('reports invalid UTF-8 where it is instead of replacing it', async () => {
    const file = path.join(dir, 'latin1.yaml');
    await writeFile(file, Buffer.from('probes:\n  - id: caf\xe9\n', 'latin1'));
    expect(await messages(file)).toEqual([
      '2:12: not valid UTF-8: byte 0xe9 at offset 19; save the file as UTF-8',
    ]);
  });

  it('reads a file through a symlink', async () => {
    const file = path.join(dir, 'real.yaml');
    await writeFile(file, 'probes: []\n');
    await symlink(file, path.join(dir, 'link.yaml'));
    const r = await readSourceFile(path.join(dir, 'link.yaml'), 'link.yaml');
    expect(r.ok && r.source.data).toEqual({ probes: [] });
  });

  it('refuses a file over 1 MiB', async () => {
    const file = path.join(dir, 'big.yaml');
    await writeFile(file, `# ${'x'.repeat(1024 * 1024)}\n`);
    expect(await messages(file)).toEqual(['1:1: file is 1048579 bytes, larger than the 1 MiB limit']);
  });
});

describe('discoverProbeFiles', () => {
  it('lists a FIFO or a symlink named like a probe file, so it is reported, not skipped', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'vigil-discover-'));
    await mkdir(path.join(root, 'probes'));
    await writeFile(path.join(root, 'probes', 'a.yaml'), 'probes: []\n');
    execFileSync('mkfifo', [path.join(root, 'probes', 'b.yaml')]);
    await symlink(path.join(root, 'probes', 'a.yaml'), path.join(root, 'probes', 'c.yaml'));
    await writeFile(path.join(root, 'probes', 'notes.txt'), 'not a probe file');
    const found = await discoverProbeFiles(root, ['probes']);
    await rm(root, { recursive: true, force: true });
    expect(found.files).toEqual(['probes/a.yaml', 'probes/b.yaml', 'probes/c.yaml']);
  });

  it('names the root as "." when it is missing', async () => {
    const found = await discoverProbeFiles(path.join(tmpdir(), 'vigil-no-such-root'), ['.']);
    expect(found.missing).toEqual(['.']);
  });
});
