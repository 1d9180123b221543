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
    try { return statSync(path).isFile(); } catch { return false; }
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
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return code ?? String(e);
  }
}
