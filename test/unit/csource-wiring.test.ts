// The wiring check on QEMU's own 8.2 and 10.2 C trees (../shared/qemu/c-trees): nothing
// to report on either, and each C change of the avail-switchover-bandwidth patch taken
// away in turn (the tree overlaid with the edited file) gives exactly one warning, on the
// QAPI member, naming the C function or file that lacks it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { CachedFiles, diskFiles, overlayFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { findQemuTree, treeAccess } from '../../server/src/service/csource/qemuTree';
import { WIRING_CODE, wiringCheck } from '../../server/src/service/csource/wiringCheck';
import { createQapiLanguage } from '../../server/src/service/qapi/index';
import { SEED_HUNKS, withoutHunk } from '../helpers/seedHunks';
import { sharedQemu } from '../helpers/shared';

const cached = new CachedFiles(diskFiles, Infinity);

// The schema is the same in every case (only C changes): checked once per tree.
const qapi = createQapiLanguage(cached);

function run(root: string, edited?: { path: string; text: string }): Diagnostic[] {
  const files = edited ? overlayFiles(new Map([[edited.path, edited.text]]), cached) : cached;
  const tree = findQemuTree(root, files)!;
  const check = qapi.checkSchemaOf(tree.schemaRoot, defaultSettings);
  assert.equal(check.firstError, null);
  const r = wiringCheck(check, tree, treeAccess(files));
  assert.ok(r, 'the check runs on a tree with migration/options.c');
  return [...r.diagnostics.values()].flat();
}

for (const v of ['v8.2.0', 'v10.2.0']) {
  const tree = sharedQemu(`c-trees/${v}`);
  describe(`wiring check on QEMU ${v}`, { skip: tree.skip }, () => {
    test("QEMU's own tree: nothing to report", () => {
      assert.deepEqual(run(tree.path).map(text), []);
    });

    for (const hunk of SEED_HUNKS) {
      test(`without the seed's ${hunk.id}: exactly that place is reported`, () => {
        const ds = run(tree.path, withoutHunk(tree.path, hunk));
        assert.equal(ds.length, 1, ds.map(text).join('\n'));
        const [d] = ds;
        assert.match(text(d), hunk.expect);
        assert.match(text(d), /'avail-switchover-bandwidth'/);
        assert.equal(d.code, WIRING_CODE);
        assert.equal(d.severity, 2);
        // On the member's name in qapi/migration.json, pointing at the C place where that is known.
        const line = readLine(join(tree.path, 'qapi/migration.json'), d.range.start.line);
        assert.equal(line.slice(d.range.start.character, d.range.end.character), 'avail-switchover-bandwidth');
        if (!/is not defined/.test(text(d))) {
          assert.ok(d.relatedInformation?.length, 'a related location in C');
          assert.match(d.relatedInformation![0].location.uri, /\/migration\/(options\.[ch]|migration-hmp-cmds\.c|migration\.c)$/);
        }
      });
    }

    test('a capability nothing reads is reported on the enum value', () => {
      const p = join(tree.path, 'migration/options.c');
      const original = cached.read(p);
      assert.ok('text' in original);
      // Every read of MIGRATION_CAPABILITY_EVENTS outside the property list goes away.
      const edited = original.text.replace(/return s->capabilities\[MIGRATION_CAPABILITY_EVENTS\];/, 'return false;');
      assert.notEqual(edited, original.text);
      const ds = run(tree.path, { path: p, text: edited });
      assert.equal(ds.length, 1, ds.map(text).join('\n'));
      assert.match(text(ds[0]), /^'events': MIGRATION_CAPABILITY_EVENTS is read nowhere in migration\//);
    });
  });
}

const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

const lines = new Map<string, string[]>();
function readLine(path: string, line: number): string {
  let l = lines.get(path);
  if (!l) {
    const r = diskFiles.read(path);
    l = 'text' in r ? r.text.split('\n') : [];
    lines.set(path, l);
  }
  return l[line] ?? '';
}
