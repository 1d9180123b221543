// `qapi-qmp converge` as a user runs it (on the built dist/cli.js): the JSON contract
// the QEMU comparison relies on, the text summary, exit codes and one-line errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO } from '../helpers/shared';

const cli = join(REPO, 'dist', 'cli.js');
function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'converge', ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const example = (name: string) => join('examples', 'scenarios', name);
const fixture = (name: string) => join('test', 'fixtures', 'simulator', name);

function scenarioFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'converge-'));
  const path = join(dir, 'scenario.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('JSON result of a converging scenario, exit 0', () => {
  const r = run([example('busy-thread-asb-10.2.json'), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const key of [
    'converged',
    'switchoverSeconds',
    'dirtySyncCount',
    'downtimeMs',
    'transferredBytes',
    'reason',
    'recommendations',
    'windows',
    'downtimeLimitMs',
    'orchestrators',
  ]) {
    assert.ok(key in j, `result has ${key}`);
  }
  assert.equal(j.converged, true);
  assert.ok(j.switchoverSeconds > 83 && j.switchoverSeconds < 125, `switchover ${j.switchoverSeconds}`);
  assert.equal(typeof j.dirtySyncCount, 'number');
  assert.ok(Array.isArray(j.windows) && j.windows.length > 10);
  assert.equal(j.windows[j.windows.length - 1].state, 'completed');
});

test('JSON result of a non-converging scenario, exit 1, with simulated recommendations', () => {
  const r = run([example('busy-thread-10.2.json'), '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.converged, false);
  assert.equal(j.switchoverSeconds, null);
  assert.equal(j.downtimeMs, null);
  assert.match(j.reason, /threshold \(measured 40\.0 MB\/s x 300 ms = 12\.0 MB\) stays below/);
  const asb = j.recommendations.find((x: { kind: string }) => x.kind === 'avail-switchover-bandwidth');
  assert.ok(asb.parameters['avail-switchover-bandwidth'] <= 1.25e9);
});

test('text summary: verdict, downtime against the limit, syncs, reason', () => {
  const r = run([example('default-cap-8G-7.2.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^converges at [\d.]+ s \(QEMU 7\.2 rules\)$/m);
  assert.match(r.stdout, /^downtime: \d+ ms real, downtime-limit 300 ms$/m);
  assert.match(r.stdout, /^dirty syncs: \d+$/m);
  assert.match(r.stdout, /^reason: Converges/m);
});

test('a QMP script: parameters in force at a line', () => {
  const before = run([fixture('busy-thread.qmp') + ':4', '--format', 'json']);
  assert.equal(before.code, 1, before.stderr);
  const after = run([fixture('busy-thread.qmp') + ':6']);
  assert.equal(after.code, 0, after.stderr);
  assert.match(after.stdout, /^inputs: .*busy-thread\.qmp:6 \(QEMU 10\.2\)/m);
  assert.match(after.stdout, /avail-switchover-bandwidth 1250 MB\/s x 300 ms/);
});

test('a QMP script without a workload says which defaults it assumed', () => {
  const r = run([fixture('no-migration.qmp')]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.match(r.stdout, /assumed workload defaults for guest\.ramBytes/);
});

describe('bad input exits 2 with one line naming the problem', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['no argument', () => [], /exactly one SCENARIO\.json or SCRIPT\.qmp/],
    ['two arguments', () => ['a.json', 'b.json'], /exactly one/],
    ['missing file', () => ['no/such/scenario.json'], /no\/such\/scenario\.json: cannot read/],
    ['not JSON', () => [scenarioFile('{ nope')], /not valid JSON/],
    [
      'negative RAM',
      () => [scenarioFile({ guest: { ramBytes: -1, workingSetBytes: 0, dirtyBytesPerSecond: 0 }, link: { bytesPerSecond: 1e9 } })],
      /guest\.ramBytes must be a positive number, got -1/,
    ],
    ['missing link', () => [scenarioFile({ guest: { ramBytes: 1e9, workingSetBytes: 0, dirtyBytesPerSecond: 0 } })], /link is missing/],
    [
      'asb in 7.2',
      () => [
        scenarioFile({
          qemuVersion: '7.2',
          guest: { ramBytes: 1e9, workingSetBytes: 0, dirtyBytesPerSecond: 0 },
          link: { bytesPerSecond: 1e9 },
          parameters: { 'avail-switchover-bandwidth': 1e9 },
        }),
      ],
      /avail-switchover-bandwidth does not exist in QEMU 7\.2/,
    ],
    ['line outside the script', () => [fixture('busy-thread.qmp') + ':99'], /line 99 is outside the script/],
    ['bad format', () => [example('busy-thread-10.2.json'), '--format', 'xml'], /--format must be text, json or sarif/],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const r = run(args());
      assert.equal(r.code, 2, `exit code for ${name}: ${r.stdout}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got: ${r.stderr}`);
    });
  }
});

test('check and converge agree on QEMU 9.2 postcopy-ram with multifd (refused, the same words); on 10.2 both accept it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agree-'));
  const caps = { 'postcopy-ram': true, multifd: true };
  for (const [version, refused] of [
    ['9.2', true],
    ['10.2', false],
  ] as const) {
    const qmp = join(dir, `caps-${version}.qmp`);
    writeFileSync(
      qmp,
      `{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "postcopy-ram", "state": true}, {"capability": "multifd", "state": true}]}}\n`,
    );
    const check = spawnSync(process.execPath, [cli, 'check', '--qemu-version', version, qmp], { cwd: REPO, encoding: 'utf8' });
    const converge = run([
      scenarioFile({
        qemuVersion: version,
        guest: { ramBytes: 2 ** 30, workingSetBytes: 2 ** 27, dirtyBytesPerSecond: 1e7, zeroPageFraction: 0, vcpus: 1 },
        link: { bytesPerSecond: 1.25e9 },
        parameters: {},
        capabilities: caps,
        maxSeconds: 60,
      }),
    ]);
    if (refused) {
      assert.equal(check.status, 1, check.stdout);
      assert.equal(converge.code, 2, converge.stdout);
      const words = /Postcopy is not yet compatible with multifd[^\n]*/.exec(check.stdout)?.[0];
      assert.ok(words, check.stdout);
      assert.ok(converge.stderr.includes('postcopy-ram cannot be combined with multifd'), converge.stderr);
      assert.ok(check.stdout.includes('postcopy-ram cannot be combined with multifd'), check.stdout);
    } else {
      assert.equal(check.status, 0, check.stdout);
      assert.equal(converge.code, 0, converge.stderr);
    }
  }
});
