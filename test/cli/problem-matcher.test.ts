// The GitHub Actions problem matcher (docs/ci/problem-matcher.json) on real `check` output:
// every error and warning line becomes an annotation with the right file, line, column,
// severity, message and code (compared with the same run's --format json).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/shared';

const cli = join(REPO, 'dist', 'cli.js');
const matcher = JSON.parse(readFileSync(join(REPO, 'docs', 'ci', 'problem-matcher.json'), 'utf8')).problemMatcher[0];
const pattern = matcher.pattern[0];
const regexp = new RegExp(pattern.regexp);

function check(args: string[], cwd: string) {
  const run = (format: string) =>
    spawnSync(process.execPath, [cli, 'check', '--format', format, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '' } });
  return { text: run('text').stdout, json: JSON.parse(run('json').stdout) };
}

test('every diagnostic line of a real run becomes the same annotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matcher-'));
  mkdirSync(join(dir, 'qapi'));
  writeFileSync(join(dir, 'qapi', 'qapi-schema.json'), "{ 'struct': 'Foo', 'data': { 'a': 'NoSuchType' } }\n");
  writeFileSync(join(dir, 'mixed.qmp'), readFileSync(join(REPO, 'examples', 'qmp', 'mixed.qmp')));
  const { text, json } = check(['qapi', 'mixed.qmp'], dir);
  const lines = text.trim().split('\n');
  const expected = json.files.flatMap((f: { path: string; diagnostics: Record<string, unknown>[] }) =>
    f.diagnostics.map((d) => ({
      file: f.path,
      line: String(d.line),
      column: String(d.column),
      severity: d.severity,
      message: d.message,
      code: d.code ?? undefined,
    })),
  );
  assert.ok(expected.length >= 5, text);
  assert.ok(expected.some((e: { severity: string }) => e.severity === 'warning') && expected.some((e: { severity: string }) => e.severity === 'error'));
  const got = lines.map((l) => {
    const m = regexp.exec(l);
    assert.ok(m, `not matched: ${l}`);
    return {
      file: m[pattern.file],
      line: m[pattern.line],
      column: m[pattern.column],
      severity: m[pattern.severity],
      message: m[pattern.message],
      code: m[pattern.code],
    };
  });
  assert.deepEqual(got, expected);
});

test('a message that itself ends in brackets keeps them; other output is not matched', () => {
  const m = regexp.exec("qapi/a.json:3:7: error: expected one of ['x', 'y'] [qapi-parse]");
  assert.ok(m);
  assert.equal(m[pattern.message], "expected one of ['x', 'y']");
  assert.equal(m[pattern.code], 'qapi-parse');
  for (const other of ['converges at 104.775 s (QEMU 10.2 rules)', 'qapi-qmp: no command given (check or converge); try --help']) {
    assert.equal(regexp.exec(other), null, other);
  }
});
