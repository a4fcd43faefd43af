import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export const PROBE_FILE = /\.ya?ml$/;

export interface Discovered {
  /** paths relative to the root, forward slashes, sorted */
  files: string[];
  /** the given paths that do not exist */
  missing: string[];
}

/**
 * Probe files under `paths` (files or folders, relative to `root`). Folders are walked recursively,
 * skipping hidden folders, node_modules, and nested config roots (a folder with its own vigil.yaml);
 * symlinked folders are not followed.
 */
export async function discoverProbeFiles(root: string, paths: readonly string[]): Promise<Discovered> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(root, p);
    const info = await stat(abs).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw err;
    });
    if (info === null) missing.push(toRel(root, abs) || '.');
    else if (info.isDirectory()) await walk(root, abs, files);
    else files.add(toRel(root, abs));
  }
  return { files: [...files].sort(), missing };
}

async function walk(root: string, dir: string, out: Set<string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (await isConfigRoot(abs)) continue;
      await walk(root, abs, out);
    } else if (PROBE_FILE.test(e.name) && !(dir === root && e.name === 'vigil.yaml'))
      // a symlink, FIFO or socket named like a probe file is read (or refused) and reported, not skipped
      out.add(toRel(root, abs));
  }
}

async function isConfigRoot(dir: string): Promise<boolean> {
  return stat(path.join(dir, 'vigil.yaml')).then(
    (s) => s.isFile(),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}

export function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}
