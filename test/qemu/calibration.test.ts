// The simulator against real QEMU 7.2 migrations: (b) the recordings kept in
// bench/recordings-7.2 (fast, no QEMU), and (a) a few short migrations run live here.
// Tolerances and their reasons: test/qemu/migration/compare.ts and BENCHMARKS.md (Simulator vs real QEMU 7.2).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { simulate } from '../../server/src/simulator';
import { REPO } from '../helpers/shared';
import { CASES } from './migration/cases';
import { calibrateEfficiency, compareRecording, scenarioFor, SENDING_EFFICIENCY, type Comparison } from './migration/compare';
import { guestSkipReason } from './migration/guest';
import { casesFor } from './migration/mechanisms';
import { qemuCommand, recordMigration } from './migration/record';
import { decimate, observe, parseRecording, serialize, type Recording } from './migration/recording';
import { qemuSkipReason } from './qmpProcess';

const RECORDINGS = join(REPO, 'bench', 'recordings-7.2');
const recording = (name: string): Recording => parseRecording(readFileSync(join(RECORDINGS, `${name}.jsonl`), 'utf8'));

function table(c: Comparison): string {
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : String(v));
  return c.checks
    .map(
      (k) =>
        `  ${k.metric}: real ${fmt(k.real)}, simulated ${fmt(k.simulated)}` +
        `${k.error === null ? '' : ` (${(k.error * 100).toFixed(1)}%)`}${k.ok ? '' : '  <- outside tolerance'}`,
    )
    .join('\n');
}

function assertAgrees(c: Comparison): void {
  assert.ok(c.ok, `simulator and QEMU 7.2 disagree on "${c.name}" (guest ${(c.scenario.guest.dirtyBytesPerSecond / 2 ** 20).toFixed(1)} MiB/s):\n${table(c)}`);
}

// (b) The committed recordings.
for (const c of CASES) {
  test(`recording "${c.name}": the simulator reproduces QEMU 7.2 within tolerance`, () => {
    assertAgrees(compareRecording(recording(c.name)));
  });
}

test('the recordings cover the outcomes the calibration needs', () => {
  const o = (name: string) => observe(recording(name));
  assert.ok(o('converge').converged && o('converge').dirtySyncCount <= 3, 'converge: switches over at the first exact sync');
  assert.ok(o('slow').converged && o('slow').dirtySyncCount >= 5, 'slow: several syncs before the switchover');
  assert.equal(o('never').converged, false, 'never: still running at the cap');
  const auto = o('autoconverge');
  assert.ok(auto.converged && auto.maxThrottlePercent >= 20, 'autoconverge: converges with the throttle on');
  const withoutThrottle = scenarioFor(recording('autoconverge'));
  withoutThrottle.capabilities = { 'auto-converge': false };
  assert.equal(simulate(withoutThrottle).converged, false, 'autoconverge: the same guest without auto-converge must not converge');
  for (const name of ['idle', 'unlimited']) assert.equal(o(name).guestWriteBytesPerSecond, 0, `${name}: the guest does not write`);
  assert.ok(scenarioFor(recording('idle')).guest.zeroPageFraction > 0.9, 'idle: mostly zero RAM');
  // The guest's own counter, not the target rate, is the simulator's input.
  assert.ok(o('never').guestWriteBytesPerSecond > 32 * 2 ** 20, 'never: the guest outpaces max-bandwidth');
});

test('the documented sending efficiency still fits the uncapped recording', () => {
  const fitted = calibrateEfficiency(recording('unlimited'));
  assert.ok(Math.abs(fitted - SENDING_EFFICIENCY) <= 0.05, `fitted ${fitted.toFixed(3)}, documented ${SENDING_EFFICIENCY}`);
});

test('decimating a recording keeps every sync, status change and the outcome', () => {
  const rec = recording('never');
  const small = parseRecording(serialize(decimate(rec.lines, 30_000)));
  assert.ok(serialize(small.lines).length < serialize(rec.lines).length, 'it got smaller');
  assert.deepEqual(observe(small), observe(rec));
  const syncs = (r: Recording) => [...new Set(r.polls.map((p) => p.ram['dirty-sync-count']))];
  assert.deepEqual(syncs(small), syncs(rec));
});

// (a) Live migrations on this machine's QEMU: the short cases only (each well under a minute).
// Not "idle": it switches over within a second, when QEMU's setup phase (which the model
// leaves out) is a third of the time and moves with the host; its committed recording is
// still held to the simulator above.
function liveSkip(): string | false {
  const missing = qemuSkipReason() || guestSkipReason();
  if (missing) return missing;
  const version = execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' });
  return /version 7\.2\./.test(version) ? false : `the calibration targets Debian's QEMU 7.2; this machine has ${version.split('\n')[0]}`;
}
const skip = liveSkip();
for (const name of ['converge', 'slow']) {
  test(`live "${name}" migration on QEMU 7.2 agrees with the simulator`, { skip, timeout: 120_000 }, async () => {
    const c = CASES.find((x) => x.name === name)!;
    const rec = parseRecording(serialize(await recordMigration(c)));
    assertAgrees(compareRecording(rec));
  });
}

// One live migration on QEMU 10.2 (../shared/qemu/bin/10.2) into a real destination QEMU
// over a unix socket: multifd with 2 channels under a 32 MiB/s cap (about 10 s with boot).
// Verdict, switchover time and bytes are held to the tolerances; syncs and downtime are
// in the committed recordings' table (they move with the host's load, see BENCHMARKS.md).
function live102Skip(): string | false {
  const missing = guestSkipReason();
  if (missing) return missing;
  const { binary } = qemuCommand('10.2');
  return existsSync(binary) ? false : `QEMU 10.2 not found at ${binary} (it lives in ../shared/qemu/bin/10.2)`;
}
test(
  'live multifd (2 channels, capped) migration on QEMU 10.2 into a destination QEMU agrees with the simulator',
  { skip: live102Skip(), timeout: 120_000 },
  async () => {
    const c = casesFor('10.2').find((x) => x.name === 'multifd-2ch-capped')!;
    const rec = parseRecording(serialize(await recordMigration(c)));
    const cmp = compareRecording(rec);
    const held = cmp.checks.filter((k) => k.metric === 'verdict' || k.metric === 'switchover s' || k.metric === 'transferred MB');
    assert.equal(held.length, 3, 'it converged in both');
    assert.ok(
      held.every((k) => k.ok),
      `QEMU 10.2 and the simulator disagree:\n${table(cmp)}`,
    );
  },
);
