// The command line gives QEMU's verdict and first error (file, line, and column
// where QEMU prints one) on QEMU's own test cases, read from ../shared. A spread of
// cases keeps this quick; every case is checked in-process by the unit conformance test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO } from '../helpers/shared';
import { sharedQemu } from '../helpers/shared';

const tests = sharedQemu('qapi-tests');
const cli = join(REPO, 'dist', 'cli.js');

/** QEMU's expected first error: `file:line[:col]: message` after optional context lines. */
function expected(errFile: string): { file: string; line: number; column?: number } | null {
  const lines = readFileSync(errFile, 'utf8')
    .split('\n')
    .filter((l) => l && !/^In (file included from|.*:$)/.test(l) && !/^\s/.test(l));
  const m = lines.map((l) => /^([^:]+):(\d+)(?::(\d+))?: /.exec(l)).find(Boolean);
  return m ? { file: basename(m[1]), line: Number(m[2]), column: m[3] ? Number(m[3]) : undefined } : null;
}

describe('check agrees with QEMU on its own test cases (command line)', { skip: tests.skip }, () => {
  const cases = tests.skip
    ? []
    : readdirSync(tests.path)
        .filter((f) => f.endsWith('.json') && existsSync(join(tests.path, f.replace(/\.json$/, '.err'))))
        .sort()
        .filter((_, i) => i % 6 === 0);
  for (const f of cases) {
    test(f, () => {
      const want = expected(join(tests.path, f.replace(/\.json$/, '.err')));
      const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--qemu-version', '10.2', join(tests.path, f)], { encoding: 'utf8' });
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      const report = JSON.parse(r.stdout);
      if (!want) {
        assert.equal(report.firstError, null, `QEMU accepts ${f}`);
        assert.equal(r.status, 0);
        return;
      }
      assert.equal(r.status, 1);
      assert.ok(report.firstError, `QEMU rejects ${f}`);
      assert.equal(basename(report.firstError.path), want.file);
      assert.equal(report.firstError.line, want.line);
      if (want.column !== undefined) assert.equal(report.firstError.column, want.column);
    });
  }
});
