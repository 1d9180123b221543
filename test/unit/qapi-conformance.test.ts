// QEMU's own frontend test cases and real schemas (read from ../shared at run time):
// our verdict and first error must be QEMU's, and each real schema must be clean
// under its own version's rules while newer rules reject older schemas.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { diskFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { QapiProject } from '../../server/src/service/qapi/project';
import { sharedQemu } from '../helpers/shared';
import { RELEASES, schemaTreeOf } from '../helpers/qemuReleases';

const tests = sharedQemu('qapi-tests');
const schemas = sharedQemu('schemas');

/** The first `file:line[:col]: message` line of a QEMU .err file. */
function expected(err: string): { file: string; line: number; column?: number } | undefined {
  const m = /^([^:\n]+\.json):(\d+)(?::(\d+))?: /m.exec(err);
  return m ? { file: basename(m[1]), line: Number(m[2]), column: m[3] ? Number(m[3]) : undefined } : undefined;
}

const cases = tests.skip
  ? []
  : readdirSync(tests.path)
      .filter((f) => f.endsWith('.err'))
      .map((f) => f.slice(0, -4))
      .sort();

test('QEMU test cases are present', { skip: tests.skip }, () => {
  assert.ok(cases.length > 100, `expected QEMU's test cases, found ${cases.length}`);
});

for (const name of cases) {
  test(`QEMU case ${name}`, { skip: tests.skip }, () => {
    const err = readFileSync(join(tests.path, `${name}.err`), 'utf8');
    const check = new QapiProject(diskFiles).check(join(tests.path, `${name}.json`), { ...defaultSettings, qemuVersion: '10.2' });
    const first = check.firstError;
    if (!err.trim()) {
      assert.equal(first, null, `QEMU accepts ${name}, we report ${JSON.stringify(first)}`);
      return;
    }
    assert.ok(first, `QEMU rejects ${name} (${err.trim()}), we accept it`);
    const want = expected(err);
    if (!want) return; // e.g. a missing root file: QEMU gives no location, the verdict is all there is
    assert.equal(basename(first.path), want.file);
    assert.equal(first.line, want.line, `line of: ${first.message}`);
    assert.equal(first.column, want.column, `column of: ${first.message}`);
    // Every file of the tree has a diagnostics entry, and the first error is among them.
    const diags = check.diagnostics.get(first.path);
    assert.ok(diags && diags.some((d) => d.message === first.message && d.source === 'qapi' && d.severity === 1));
  });
}

// Every release 7.2-10.2: from ../shared/qemu/schemas, else extracted from QEMU's git on this machine.
for (const r of RELEASES) {
  const tree = schemaTreeOf(r);
  test(`real schema of QEMU ${r.version} is clean under its own rules (from its VERSION file)`, { skip: tree.skip }, () => {
    const check = new QapiProject(diskFiles).check(join(tree.path, 'qapi', 'qapi-schema.json'), defaultSettings);
    assert.equal(check.version.source, 'VERSION file');
    assert.equal(check.rules, r.version, 'each release gets its own rule set');
    assert.equal(check.firstError, null, JSON.stringify(check.firstError));
    assert.ok(check.model.definitions.length > 800, 'the model holds the whole schema');
    assert.ok(check.model.files.length > 30);
    for (const f of check.model.files) assert.deepEqual(check.diagnostics.get(f), [], f);
  });
}

const ruleChecks: [string, string, RegExp][] = [
  // 8.1's relaxed indentation is refused by 8.0 (fixed by the text after '@arg:').
  ['v8.1.0', '8.0', /de-indent/],
  // 9.0 still takes 'Note:' sections, 9.1 refuses them.
  ['v9.0.0', '8.2', /unknown pragma 'documentation-exceptions'/],
  ['v8.2.0', '9.1', /'Note' section/],
  // 10.1 allows '=' lines anywhere; 10.0 does not.
  ['v10.1.0', '10.0', /'=' (heading|markup)/],
  // 10.1 has no line-length rule; 10.2 does.
  ['v10.1.0', '10.2', /longer than 70|two spaces/],
  // 9.2 rejects 7.2's '=' headings after other text; 10.2 rejects its long doc lines.
  ['v7.2.0', '9.2', /heading/],
  ['v7.2.0', '10.2', /longer than 70/],
  // 7.2's fixed continuation indent rejects 8.2's relaxed indentation.
  ['v8.2.0', '7.2', /de-indent/],
  // 9.2 dropped 'Note:' sections; 10.2 wants two spaces between sentences.
  ['v8.2.0', '9.2', /'Note' section/],
  ['v8.2.0', '10.2', /two spaces/],
  // Older rules don't know the documentation-exceptions pragma.
  ['v10.2.0', '8.2', /unknown pragma 'documentation-exceptions'/],
];
for (const [v, rules, why] of ruleChecks) {
  const tree = schemaTreeOf(RELEASES.find((r) => `v${r.version}.0` === v)!);
  test(`real schema ${v} is rejected under ${rules} rules`, { skip: tree.skip }, () => {
    const check = new QapiProject(diskFiles).check(join(tree.path, 'qapi', 'qapi-schema.json'), { ...defaultSettings, qemuVersion: rules });
    assert.equal(check.rules, rules);
    assert.ok(check.firstError, 'expected an error');
    assert.match(check.firstError.message, why);
  });
}

test('migration.json finds the root that includes it and is judged with the whole tree', { skip: schemas.skip }, () => {
  const project = new QapiProject(diskFiles);
  const file = join(schemas.path, 'v10.2.0', 'qapi', 'migration.json');
  const root = project.rootFor(file, defaultSettings);
  assert.equal(root, join(schemas.path, 'v10.2.0', 'qapi', 'qapi-schema.json'));
  const check = project.check(root, defaultSettings);
  assert.ok(check.model.files.includes(file));
  const def = check.model.byName.get('MigrationParameters');
  assert.equal(def?.kind, 'struct');
  assert.ok(def.doc && def.doc.members.size > 10, 'member docs are attached');
  assert.equal(check.rules, '10.2');
});
