// A QEMU source tree: a folder with VERSION and qapi/qapi-schema.json. The C features
// work only inside one, so a C file elsewhere gets nothing from this extension.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileAccess } from '../common/files';

/** File access plus directory listing (the C side walks folders; the QAPI side never does). */
export interface TreeAccess extends FileAccess {
  /** Names of entries in a folder, with whether each is a folder; [] when unreadable. */
  list(dir: string): { name: string; dir: boolean }[];
}

export interface QemuTree {
  root: string;
  schemaRoot: string;
}

/** The QEMU tree holding `path` (a file or folder), if any, looking at most `maxDepth` folders up. */
export function findQemuTree(path: string, files: FileAccess, maxDepth = 12): QemuTree | undefined {
  let dir = files.isFile(path) ? dirname(path) : path;
  for (let i = 0; i <= maxDepth; i++) {
    const schemaRoot = join(dir, 'qapi', 'qapi-schema.json');
    if (files.isFile(join(dir, 'VERSION')) && files.isFile(schemaRoot)) return { root: dir, schemaRoot };
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Folders never worth indexing for C (build output, VCS, vendored roms and tests data). */
const SKIP_DIRS = new Set(['.git', 'build', 'node_modules', '.cache', 'subprojects', 'roms', 'tests/qapi-schema']);

/**
 * Every .c/.h file under the tree's root, relative walk order (sorted per folder). With
 * `batch`, the files are handed over as the walk goes (after each top-level entry, once
 * at least `batchSize` are found) and the result is empty.
 */
export function listCFiles(tree: QemuTree, access: TreeAccess, batch?: (paths: string[]) => void, batchSize = 48): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of access.list(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.dir) {
        if (!SKIP_DIRS.has(r) && !SKIP_DIRS.has(e.name)) walk(join(dir, e.name), r);
      } else if (e.name.endsWith('.c') || e.name.endsWith('.h')) out.push(join(dir, e.name));
      if (batch && !rel && out.length >= batchSize) batch(out.splice(0));
    }
  };
  walk(tree.root, '');
  if (batch && out.length) batch(out.splice(0));
  return out;
}

/** Tree access over any FileAccess, listing folders on disk. */
export function treeAccess(files: FileAccess): TreeAccess {
  return {
    read: (p) => files.read(p),
    isFile: (p) => files.isFile(p),
    list(dir) {
      try {
        return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
      } catch {
        return [];
      }
    },
  };
}
