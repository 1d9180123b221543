// The simulator against every committed real migration (bench/recordings-7.2 and
// bench/recordings-10.2, recorded by scripts/record-migrations.ts): one mechanism per
// group (multifd, xbzrle, postcopy, big guests, max-bandwidth, downtime-limit,
// avail-switchover-bandwidth, auto-converge, the 9.2+ forced sync). Replays only; no QEMU.
// Tolerances and why: test/qemu/migration/compare.ts TOLERANCE and BENCHMARKS.md.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { fidelityFor, MEASURED_ERRORS, type MeasuredError } from '../../server/src/simulator/fidelity';
import { simulate, type Scenario } from '../../server/src/simulator/index';
import { configure } from '../../server/src/simulator/scenario';
import { compareAll, measuredErrors, RECORDING_DIRS, summarise, type Row } from '../qemu/migration/fidelity';
import { casesFor } from '../qemu/migration/mechanisms';

const rows: Row[] = compareAll();

function describe(r: Row): string {
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : String(v));
  return r.comparison.checks
    .map(
      (k) =>
        `  ${k.metric}: real ${fmt(k.real)}, simulated ${fmt(k.simulated)}` +
        `${k.error === null ? '' : ` (${(k.error * 100).toFixed(1)}%)`}${k.ok ? '' : '  <- outside tolerance'}`,
    )
    .join('\n');
}

test('every mechanism case is recorded on each QEMU version it is meant for (the KVM ones where KVM could run them)', () => {
  const missing: string[] = [];
  for (const v of ['7.2', '10.2'] as const) {
    // The KVM cases (dirty-limit) could not be recorded on the machine that recorded the
    // rest (BENCHMARKS.md: its KVM stalls a vCPU at the first dirty-ring-full exit); a
    // recording of one, once made on hardware KVM, is held like every other.
    for (const c of casesFor(v)) if (c.accel !== 'kvm' && !existsSync(join(RECORDING_DIRS[v], `${c.name}.jsonl`))) missing.push(`${v} ${c.name}`);
  }
  assert.deepEqual(missing, [], `not recorded (run scripts/record-migrations.ts --qemu <v> --missing): ${missing.join(', ')}`);
  assert.ok(casesFor('10.2').filter((c) => c.mechanism === 'dirty-limit').length >= 3, 'the recorder keeps a dirty-limit sweep');
});

for (const r of rows) {
  test(`QEMU ${r.version} "${r.name}" (${r.mechanism}): the simulator gives QEMU's verdict`, () => {
    const verdict = r.comparison.checks.find((k) => k.metric === 'verdict')!;
    assert.ok(verdict.ok, `QEMU ${verdict.real}, simulator ${verdict.simulated}:\n${describe(r)}`);
  });
}

test("at least 80% of the recorded switchover times are within 15% (the issue's bar)", () => {
  const errors = rows.flatMap((r) =>
    r.comparison.checks.filter((k) => k.metric === 'switchover s').map((k) => ({ name: `${r.version} ${r.name}`, e: Math.abs(k.error!) })),
  );
  const within = errors.filter((x) => x.e <= 0.15).length;
  assert.ok(
    errors.length > 0 && within >= 0.8 * errors.length,
    `${within} of ${errors.length} within 15%; outside: ${errors
      .filter((x) => x.e > 0.15)
      .map((x) => `${x.name} ${(x.e * 100).toFixed(0)}%`)
      .join(', ')}`,
  );
});

test("the simulator's table of measured errors is what the recordings give now (scripts/record-migrations.ts --fidelity)", () => {
  assert.deepEqual(MEASURED_ERRORS, measuredErrors(summarise(rows)));
});

test('a result says how sure it is, from the measured errors of the mechanisms it uses', () => {
  const table: MeasuredError[] = [
    {
      mechanism: 'precopy',
      version: '10.2',
      recordings: 4,
      verdictsAgree: 4,
      switchoverMedian: 0.02,
      switchoverWorst: 0.05,
      bytesWorst: 0.02,
      withinTolerance: 4,
    },
    {
      mechanism: 'max-bandwidth',
      version: '10.2',
      recordings: 2,
      verdictsAgree: 2,
      switchoverMedian: 0.02,
      switchoverWorst: 0.1,
      bytesWorst: 0.02,
      withinTolerance: 2,
    },
    { mechanism: 'xbzrle', version: '10.2', recordings: 3, verdictsAgree: 3, switchoverMedian: 0.2, switchoverWorst: 0.3, bytesWorst: 0.2, withinTolerance: 1 },
    {
      mechanism: 'multifd',
      version: '10.2',
      recordings: 2,
      verdictsAgree: 1,
      switchoverMedian: 0.02,
      switchoverWorst: 0.02,
      bytesWorst: 0.02,
      withinTolerance: 1,
    },
  ];
  const base = {
    qemuVersion: '10.2',
    guest: { ramBytes: 2 ** 30, workingSetBytes: 2 ** 26, dirtyBytesPerSecond: 1e7, zeroPageFraction: 0.5, vcpus: 1 },
    link: { bytesPerSecond: 1.25e9, sendingEfficiency: 1 },
    parameters: {},
    maxSeconds: 60,
  };
  const plain = fidelityFor(configure({ ...base, capabilities: {} }), table);
  assert.equal(plain.level, 'measured');
  assert.match(plain.message, /6 recordings, same verdicts; switchover time typically within 15%, at worst 10% off/);
  assert.deepEqual(plain.mechanisms, [{ mechanism: 'precopy', recordings: 6, verdictsAgree: 6, switchoverWorst: 0.1 }]);
  const xbzrle = fidelityFor(configure({ ...base, capabilities: { xbzrle: true } }), table);
  assert.equal(xbzrle.level, 'approximate');
  assert.match(xbzrle.message, /xbzrle: switchover time typically off by 20% \(up to 30%\)/);
  assert.match(fidelityFor(configure({ ...base, capabilities: { multifd: true } }), table).message, /multifd: 1 of 2 real migrations ended the other way/);
  const dirtyLimit = fidelityFor(configure({ ...base, capabilities: { 'dirty-limit': true } }), table);
  assert.equal(dirtyLimit.level, 'unmeasured');
  assert.match(dirtyLimit.message, /KVM/);
  // switchover-ack with no device to wait for is recorded; an ack a device holds back is not.
  const ackTable: MeasuredError[] = [
    ...table,
    {
      mechanism: 'switchover-ack',
      version: '10.2',
      recordings: 3,
      verdictsAgree: 3,
      switchoverMedian: 0.05,
      switchoverWorst: 0.08,
      bytesWorst: 0.05,
      withinTolerance: 3,
    },
  ];
  const ackAtOnce = fidelityFor(configure({ ...base, capabilities: { 'return-path': true, 'switchover-ack': true } }), ackTable);
  assert.equal(ackAtOnce.level, 'measured');
  assert.ok(ackAtOnce.mechanisms.some((m) => m.mechanism === 'switchover-ack' && m.recordings === 3));
  const ackHeld = fidelityFor(configure({ ...base, capabilities: { 'return-path': true, 'switchover-ack': true }, switchoverAckSeconds: 5 }), ackTable);
  assert.equal(ackHeld.level, 'unmeasured');
  assert.match(ackHeld.message, /VFIO/);
  // simulate() fills it from the committed table.
  const r = simulate({ ...base, capabilities: { multifd: true } } as Scenario);
  assert.ok(
    r.fidelity &&
      r.fidelity.mechanisms.some(
        (m) =>
          m.mechanism === 'multifd' &&
          m.recordings === MEASURED_ERRORS.filter((x) => x.mechanism === 'multifd' && x.version === '10.2').reduce((a, x) => a + x.recordings, 0),
      ),
  );
});
