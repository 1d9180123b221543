// `qapi-qmp check` on a QEMU tree root includes the C wiring warnings: silent on QEMU's
// own 8.2 and 10.2 trees; on a copy of the tree with one C change of the seed patch
// deleted, exactly that one warning, on the schema member.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SEED_HUNKS, withoutHunk } from '../helpers/seedHunks';
import { REPO, sharedQemu } from '../helpers/shared';

const cli = join(REPO, 'dist', 'cli.js');

function check(root: string) {
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', root], { cwd: root, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const report = JSON.parse(r.stdout) as { files: { path: string; diagnostics: { code: string | null; message: string; line: number }[] }[] };
  return report.files.flatMap((f) => f.diagnostics.filter((d) => d.code === 'c-wiring').map((d) => ({ ...d, path: f.path })));
}

for (const v of ['v8.2.0', 'v10.2.0']) {
  const tree = sharedQemu(`c-trees/${v}`);
  describe(`qapi-qmp check on the QEMU ${v} tree`, { skip: tree.skip }, () => {
    test("QEMU's own tree: no wiring warning", () => {
      assert.deepEqual(check(tree.path), []);
    });

    test("a copy without the seed's hmp set case: exactly that warning", () => {
      const copy = mkdtempSync(join(tmpdir(), 'qemu-tree-'));
      try {
        for (const part of ['VERSION', 'qapi', 'migration', 'include/migration']) cpSync(join(tree.path, part), join(copy, part), { recursive: true });
        const hunk = SEED_HUNKS.find((h) => h.id === 'migration-hmp-cmds.c set')!;
        const edited = withoutHunk(copy, hunk);
        writeFileSync(edited.path, edited.text);
        const ws = check(copy);
        assert.equal(ws.length, 1, JSON.stringify(ws));
        assert.equal(ws[0].path, 'qapi/migration.json');
        assert.match(ws[0].message, hunk.expect);
        assert.match(ws[0].message, /^'avail-switchover-bandwidth'/);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    });
  });
}
