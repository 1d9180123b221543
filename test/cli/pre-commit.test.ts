// The pre-commit hook (.pre-commit-hooks.yaml): its file filter picks QAPI schemas and QMP
// scripts, and its entry, run as pre-commit runs it (from the hook repository, staged files
// as arguments, in the user's repository), gives check's verdict. A full `pre-commit run`
// (clone + npm ci, ~2 min) is documented in docs/ci.md, not run here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/shared';

const hooks = readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8');
/** One scalar of the (single) hook: our own file, plain `key: value` lines. */
function field(key: string): string {
  const m = new RegExp(`^\\s+${key}: (.+)$`, 'm').exec(hooks);
  assert.ok(m, `${key} in .pre-commit-hooks.yaml`);
  return m[1].replace(/^'(.*)'$/, '$1');
}

test('the hook is declared as pre-commit expects', () => {
  assert.match(hooks, /^- id: qapi-qmp-check$/m);
  assert.equal(field('language'), 'script');
  accessSync(join(REPO, field('entry')), constants.X_OK);
});

test('its file filter picks schemas and scripts, not other JSON', () => {
  const files = new RegExp(field('files'));
  for (const yes of [
    'qapi/migration.json',
    'qemu/qapi/block-core.json',
    'qapi-schema.json',
    'tests/qapi-schema/qapi-schema-test.json',
    'x.qmp',
    'examples/qmp/mixed.qmp',
  ]) {
    assert.ok(files.test(yes), yes);
  }
  for (const no of ['package.json', 'examples/scenarios/busy-thread-10.2.json', 'docs/qmp.md', 'tsconfig.json']) assert.ok(!files.test(no), no);
});

test("its entry checks the staged files in the user's repository (exit 1 on errors, 0 when clean)", () => {
  const user = mkdtempSync(join(tmpdir(), 'pre-commit-user-'));
  mkdirSync(join(user, 'qapi'));
  cpSync(join(REPO, 'examples', 'qmp', 'mixed.qmp'), join(user, 'mixed.qmp'));
  writeFileSync(join(user, 'qapi', 'qapi-schema.json'), "{ 'struct': 'Foo', 'data': { 'a': 'NoSuchType' } }\n");
  const entry = join(REPO, field('entry'));
  const bad = spawnSync(entry, ['mixed.qmp', 'qapi/qapi-schema.json'], { cwd: user, encoding: 'utf8' });
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stdout, /^mixed\.qmp:9:70: error: .*\[qmp-size-string\]$/m);
  assert.match(bad.stdout, /^qapi\/qapi-schema\.json:1:\d+: error: member 'a' uses unknown type 'NoSuchType'/m);
  writeFileSync(join(user, 'qapi', 'qapi-schema.json'), "{ 'struct': 'Foo', 'data': { 'a': 'str' } }\n");
  const good = spawnSync(entry, ['qapi/qapi-schema.json'], { cwd: user, encoding: 'utf8' });
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.equal(good.stdout, '');
});
