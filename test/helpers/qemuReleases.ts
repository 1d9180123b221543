// QEMU releases 7.2-10.2 as the QAPI differential tests need them: each one's own
// Python frontend (scripts/qapi) and real schema (qapi/ + VERSION). Taken from
// ../shared when it has them, else extracted from QEMU's git history on this
// machine into a temp folder (never into the repository). Missing: a skip reason.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDir } from './shared';

export interface Release {
  version: string;
  commit: string;
}

/** Release commits ("Update VERSION for vX.Y.0"). */
export const RELEASES: Release[] = [
  { version: '7.2', commit: 'b67b00e6b4' },
  { version: '8.0', commit: 'c1eb2ddf0f' },
  { version: '8.1', commit: '7e5a8bb223' },
  { version: '8.2', commit: '1600b9f46b' },
  { version: '9.0', commit: 'c25df57ae8' },
  { version: '9.1', commit: 'fd1952d814' },
  { version: '9.2', commit: 'ae35f033b8' },
  { version: '10.0', commit: '7c949c53e9' },
  { version: '10.1', commit: 'f8b2f64e23' },
  { version: '10.2', commit: '698104725e' },
];

export function qemuGit(): string {
  return process.env.QEMU_GIT ?? '/work/.mirror/pbo-linaro+qemu-ci/repo';
}

export type Located = { path: string; skip: false } | { path: string; skip: string };

/** `git archive <commit> <paths>` unpacked once into a temp folder (kept between runs). */
function extract(r: Release, what: string, paths: string[]): Located {
  const dest = join(tmpdir(), 'qapi-qmp-qemu', `${r.version}-${what}`);
  if (existsSync(join(dest, '.done'))) return { path: dest, skip: false };
  const git = qemuGit();
  if (!existsSync(git)) return { path: dest, skip: `QEMU ${r.version}: neither ../shared nor QEMU's git (${git}, or $QEMU_GIT) has it` };
  const part = `${dest}.${process.pid}`;
  try {
    rmSync(part, { recursive: true, force: true });
    mkdirSync(part, { recursive: true });
    const tar = execFileSync('git', ['-C', git, 'archive', r.commit, ...paths], { maxBuffer: 256 << 20 });
    execFileSync('tar', ['-x', '-C', part], { input: tar });
    execFileSync('touch', [join(part, '.done')]);
    rmSync(dest, { recursive: true, force: true });
    renameSync(part, dest);
  } catch (e) {
    rmSync(part, { recursive: true, force: true });
    if (existsSync(join(dest, '.done'))) return { path: dest, skip: false }; // another process won the race
    return { path: dest, skip: `QEMU ${r.version}: cannot extract ${paths.join(' ')} from ${git}: ${(e as Error).message}` };
  }
  return { path: dest, skip: false };
}

/** The folder holding QEMU's `qapi` Python package of this release. */
export function frontendOf(r: Release): Located {
  const shared = join(sharedDir(), 'qemu', 'qapi-frontend', `v${r.version}.0`);
  if (existsSync(join(shared, 'qapi', 'schema.py'))) return { path: shared, skip: false };
  const x = extract(r, 'frontend', ['scripts/qapi']);
  return x.skip ? x : { path: join(x.path, 'scripts'), skip: false };
}

/** The release's tree with `qapi/` and `VERSION`. */
export function schemaTreeOf(r: Release): Located {
  const shared = join(sharedDir(), 'qemu', 'schemas', `v${r.version}.0`);
  if (existsSync(join(shared, 'qapi', 'qapi-schema.json'))) return { path: shared, skip: false };
  return extract(r, 'schema', ['qapi', 'VERSION']);
}
