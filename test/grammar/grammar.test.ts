// Runs the TextMate grammar fixtures through vscode-tmgrammar-test (the grammars are
// taken from package.json, as VS Code would) and fails when any scope assertion fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO } from '../helpers/shared';

const fixtures = join(REPO, 'test', 'fixtures', 'grammar');
const tool = join(REPO, 'node_modules', '.bin', 'vscode-tmgrammar-test');

for (const file of readdirSync(fixtures)
  .filter((f) => f.includes('.test.'))
  .sort()) {
  test(`grammar fixture ${file}`, () => {
    const r = spawnSync(tool, ['--compact', join(fixtures, file)], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.error, undefined, `could not start ${tool}: ${r.error}`);
    assert.equal(r.status, 0, `scope assertions failed:\n${r.stdout}${r.stderr}`);
  });
}
