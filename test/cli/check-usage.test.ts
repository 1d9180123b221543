// `qapi-qmp check` as a user runs it: exit codes, one-line errors, both formats.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO } from '../helpers/shared';

const cli = join(REPO, 'dist', 'cli.js');
function run(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('check: bad usage exits 2 with one line on stderr', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /no command/],
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['unknown flag', ['check', '--frob', 'x'], /--frob/],
    ['no paths', ['check'], /at least one file/],
    ['missing file', ['check', 'no/such/file.json'], /no such file or folder/],
    ['unknown QEMU version', ['check', '--qemu-version', '5.0', 'examples/qapi'], /unknown QEMU version 5.0/],
    ['malformed QEMU version', ['check', '--qemu-version', 'latest', 'examples/qapi'], /'auto' or X.Y/],
    ['bad format', ['check', '--format', 'xml', 'examples/qapi'], /--format must be text, json or sarif/],
    ['missing schema root', ['check', '--schema', 'nope.json', 'examples/qapi'], /--schema nope.json: no such file/],
    ['missing introspection', ['check', '--introspection', 'nope.json', 'examples/qapi'], /--introspection nope.json: no such file/],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const r = run(args);
      assert.equal(r.code, 2, `exit code for ${name}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('a folder with no schema or script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qapi-cli-'));
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'notes.txt'), 'hello');
    const r = run(['check', join(dir, 'empty')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no QAPI schema or QMP script found/);
  });

  test('--help prints usage and exits 0', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /qapi-qmp check/);
    assert.match(r.stdout, /qapi-qmp converge/);
  });
});

describe('check: reports', () => {
  test('the example schema is clean under the rules of its VERSION file (json)', () => {
    const r = run(['check', '--format', 'json', 'examples/qapi']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.rules, '10.2');
    assert.equal(report.firstError, null);
    const paths = report.files.map((f: { path: string }) => f.path);
    assert.ok(paths.includes('examples/qapi/migration.json'), paths.join(', '));
  });

  test('a broken schema: GCC-style lines, exit 1, and firstError in json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qapi-cli-'));
    mkdirSync(join(dir, 'qapi'));
    writeFileSync(join(dir, 'qapi', 'qapi-schema.json'), "{ 'struct': 'Foo', 'data': { 'a': 'NoSuchType' } }\n");
    const text = run(['check', join(dir, 'qapi')], dir);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^qapi\/qapi-schema\.json:1:\d+: error: .+/m);
    const json = run(['check', '--format', 'json', join(dir, 'qapi')], dir);
    const report = JSON.parse(json.stdout);
    assert.equal(report.firstError.path, 'qapi/qapi-schema.json');
    assert.equal(report.firstError.line, 1);
    const d = report.files[0].diagnostics[0];
    for (const k of ['line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']) assert.ok(k in d, `field ${k}`);
  });
});
