// The simulator against every committed real migration (bench/recordings-7.2 and
// bench/recordings-10.2, recorded by scripts/record-migrations.ts): one mechanism per
// group (multifd, xbzrle, postcopy, big guests, max-bandwidth, downtime-limit,
// avail-switchover-bandwidth, auto-converge, the 9.2+ forced sync). Replays only; no QEMU.
// Tolerances and why: test/qemu/migration/compare.ts TOLERANCE and BENCHMARKS.md.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { compareAll, RECORDING_DIRS, type Row } from '../qemu/migration/fidelity';
import { casesFor } from '../qemu/migration/mechanisms';

const rows: Row[] = compareAll();

function describe(r: Row): string {
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : String(v));
  return r.comparison.checks.map((k) => `  ${k.metric}: real ${fmt(k.real)}, simulated ${fmt(k.simulated)}`
    + `${k.error === null ? '' : ` (${(k.error * 100).toFixed(1)}%)`}${k.ok ? '' : '  <- outside tolerance'}`).join('\n');
}

test('every mechanism case is recorded on each QEMU version it is meant for', () => {
  const missing: string[] = [];
  for (const v of ['7.2', '10.2'] as const) {
    for (const c of casesFor(v)) if (!existsSync(join(RECORDING_DIRS[v], `${c.name}.jsonl`))) missing.push(`${v} ${c.name}`);
  }
  assert.deepEqual(missing, [], `not recorded (run scripts/record-migrations.ts --qemu <v> --missing): ${missing.join(', ')}`);
});

for (const r of rows) {
  test(`QEMU ${r.version} "${r.name}" (${r.mechanism}): the simulator gives QEMU's verdict`, () => {
    const verdict = r.comparison.checks.find((k) => k.metric === 'verdict')!;
    assert.ok(verdict.ok, `QEMU ${verdict.real}, simulator ${verdict.simulated}:\n${describe(r)}`);
  });
}
