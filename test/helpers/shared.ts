// QEMU's own files (test schemas, real schemas, introspection replies, recordings)
// live in ../shared beside the repository and are never copied into it. Tests read
// them from there and skip, saying why, when they are absent.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');

/** ../shared beside the repository, or $QAPI_QMP_SHARED. */
export function sharedDir(): string {
  return process.env.QAPI_QMP_SHARED ?? resolve(REPO, '..', 'shared');
}

/** Path of `rel` inside ../shared/qemu, or a skip reason for node:test's `skip` option. */
export function sharedQemu(rel: string): { path: string; skip: false } | { path: string; skip: string } {
  const path = join(sharedDir(), 'qemu', rel);
  return existsSync(path) ? { path, skip: false } : { path, skip: `QEMU test data not found at ${path} (it lives in ../shared beside the repository)` };
}
