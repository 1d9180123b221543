// Generates server/src/service/qmp/schema/commands.json: for each supported QEMU
// release, the name of every QMP command, its arguments and their types (names and
// types only: no docs, no conditions), so a script checked without a QEMU tree or an
// introspection reply still gets unknown-command and unknown-argument errors.
//
// Read from QEMU's QAPI schemas in its git history (the release commits) with our own
// QAPI reader. Stored compactly: the newest release in full, each older one as the
// difference from the next newer one.
// Usage: node --import tsx scripts/generate-qmp-commands.ts [QEMU_GIT]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskFiles } from '../server/src/service/common/files';
import { defaultSettings } from '../server/src/service/common/settings';
import { createLanguageService } from '../server/src/service/languageService';
import { qapiSchema } from '../server/src/service/qmp/schema/qapi';
import { encodeRelease, type CommandsData, type EncodedRelease } from '../server/src/service/qmp/schema/commands';
import { BUILTIN_TYPES } from '../server/src/service/qapi/model';

const GIT = process.argv[2] ?? '/work/.mirror/pbo-linaro+qemu-ci/repo';
/** Release commits ("Update version for ..."), oldest first. */
const RELEASES: [string, string][] = [
  ['7.2', 'b67b00e6b4'],
  ['8.0', 'c1eb2ddf0f'],
  ['8.1', '7e5a8bb223'],
  ['8.2', '1600b9f46b'],
  ['9.0', 'c25df57ae8'],
  ['9.1', 'fd1952d814'],
  ['9.2', 'ae35f033b8'],
  ['10.0', '7c949c53e9'],
  ['10.1', 'f8b2f64e23'],
  ['10.2', '698104725e'],
];

const work = mkdtempSync(join(tmpdir(), 'qmp-commands-'));
try {
  const full: Record<string, EncodedRelease> = {};
  for (const [version, commit] of RELEASES) {
    const dir = join(work, version);
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('sh', ['-c', `git -C "${GIT}" archive ${commit} qapi/ VERSION | tar -x -C "${dir}"`]);
    const svc = createLanguageService({ files: diskFiles });
    const check = svc.qapi.project.check(join(dir, 'qapi', 'qapi-schema.json'), { ...defaultSettings, qemuVersion: version });
    const schema = qapiSchema(check.model, version);
    if (!schema) throw new Error(`QEMU ${version}: no definitions read`);
    full[version] = encodeRelease(schema, new Set<string>(BUILTIN_TYPES));
    console.log(`QEMU ${version}: ${Object.keys(full[version].c).length} commands, ${Object.keys(full[version].t).length} types`);
  }
  // Newest in full; each older release as what differs from the next newer one.
  const versions = RELEASES.map(([v]) => v);
  const newest = versions[versions.length - 1];
  const data: CommandsData = { newest, full: full[newest], deltas: {} };
  for (let i = versions.length - 2; i >= 0; i--) {
    const a = full[versions[i]];
    const b = full[versions[i + 1]];
    data.deltas[versions[i]] = { from: versions[i + 1], c: diff(a.c, b.c), t: diff(a.t, b.t) };
  }
  const out = 'server/src/service/qmp/schema/commands.json';
  const text = JSON.stringify(data);
  writeFileSync(out, text + '\n');
  console.log(`wrote ${out}: ${(text.length / 1024).toFixed(0)} KiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Entries of `a` that `b` lacks or has otherwise, and (as null) names only `b` has. */
function diff<T>(a: Record<string, T>, b: Record<string, T>): Record<string, T | null> {
  const out: Record<string, T | null> = {};
  for (const [k, v] of Object.entries(a)) if (JSON.stringify(v) !== JSON.stringify(b[k])) out[k] = v;
  for (const k of Object.keys(b)) if (!(k in a)) out[k] = null;
  return out;
}
