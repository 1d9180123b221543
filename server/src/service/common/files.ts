// All file access of the language service goes through this interface, so the
// CLI (plain disk), the LSP server (disk overlaid with open editor buffers) and
// tests (in-memory trees) share the same code.
import { readFileSync, statSync } from 'node:fs';

export type ReadResult = { text: string } | { error: string };

export interface FileAccess {
  /** The file's current text (an open editor buffer wins over disk), or why it cannot be read. */
  read(path: string): ReadResult;
  /** True when a regular file exists at the path. */
  isFile(path: string): boolean;
}

/** Files larger than this are refused with a diagnostic instead of being parsed. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export const diskFiles: FileAccess = {
  read(path) {
    try {
      const st = statSync(path);
      if (!st.isFile()) return { error: 'not a regular file' };
      if (st.size > MAX_FILE_BYTES) return { error: `larger than ${MAX_FILE_BYTES / 1048576} MiB` };
      return { text: readFileSync(path, 'utf8') };
    } catch (e) {
      return { error: describeFsError(e) };
    }
  },
  isFile(path) {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
};

/** Disk overlaid with in-memory texts (open documents, test fixtures). */
export function overlayFiles(overlay: Map<string, string>, base: FileAccess = diskFiles): FileAccess {
  return {
    read: (path) => (overlay.has(path) ? { text: overlay.get(path)! } : base.read(path)),
    isFile: (path) => overlay.has(path) || base.isFile(path),
  };
}

/** An in-memory tree only (tests). */
export function memoryFiles(files: Record<string, string>): FileAccess {
  return overlayFiles(new Map(Object.entries(files)), {
    read: () => ({ error: 'no such file' }),
    isFile: () => false,
  });
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ?? String(e);
  }
}

/**
 * Disk reads remembered until invalidated: the server invalidates a path when the
 * client's file watcher reports it, and every entry expires after `maxAgeMs` for
 * clients that send no watcher events. A check of a 1,000-file include tree then
 * costs map look-ups instead of 1,000 reads per keystroke, and sees one consistent
 * snapshot even when a file changes on disk while it runs.
 */
export class CachedFiles implements FileAccess {
  private readonly texts = new Map<string, { at: number; value: ReadResult }>();
  private readonly kinds = new Map<string, { at: number; value: boolean }>();

  constructor(
    private readonly base: FileAccess = diskFiles,
    private readonly maxAgeMs = 5000,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  read(path: string): ReadResult {
    return this.cached(this.texts, path, () => this.base.read(path));
  }

  isFile(path: string): boolean {
    return this.cached(this.kinds, path, () => this.base.isFile(path));
  }

  /** Forget one path (a watcher event), or everything. */
  invalidate(path?: string): void {
    if (path === undefined) {
      this.texts.clear();
      this.kinds.clear();
    } else {
      this.texts.delete(path);
      this.kinds.delete(path);
    }
  }

  private cached<T>(map: Map<string, { at: number; value: T }>, path: string, load: () => T): T {
    const t = this.now();
    const hit = map.get(path);
    if (hit && t - hit.at <= this.maxAgeMs) return hit.value;
    if (map.size >= this.maxEntries) map.clear();
    const value = load();
    map.set(path, { at: t, value });
    return value;
  }
}
