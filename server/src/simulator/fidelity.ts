// How sure a simulation is: the errors measured against real QEMU migrations for each
// mechanism a scenario uses (bench/recordings-7.2, bench/recordings-10.2; BENCHMARKS.md
// "Simulator vs real QEMU, per mechanism"). The table between the markers is written by
// `node --import tsx scripts/record-migrations.ts --fidelity` and a test checks it still
// matches the recordings, so a model change that moves an error moves the table too.
import type { Config } from './scenario';
import type { Fidelity } from './types';

/** The issue's bar: a switchover time within 15% of QEMU's. A mechanism whose recordings' median error exceeds it makes the result 'approximate'. */
export const SWITCHOVER_TOLERANCE = 0.15;

export interface MeasuredError {
  mechanism: string;
  /** The QEMU the recordings ran on ('7.2' or '10.2'). */
  version: string;
  recordings: number;
  verdictsAgree: number;
  /** Absolute relative error of the switchover time over the runs that switched (null: none did). */
  switchoverMedian: number | null;
  switchoverWorst: number | null;
  bytesWorst: number | null;
  /** Recordings whose every check (verdict, switchover, syncs, bytes, downtime) is within the stated tolerances. */
  withinTolerance: number;
}

// BEGIN MEASURED ERRORS (generated)
export const MEASURED_ERRORS: MeasuredError[] = [
  {
    mechanism: 'auto-converge',
    version: '10.2',
    recordings: 5,
    verdictsAgree: 5,
    switchoverMedian: 0.07,
    switchoverWorst: 0.34,
    bytesWorst: 0.22,
    withinTolerance: 3,
  },
  {
    mechanism: 'auto-converge',
    version: '7.2',
    recordings: 5,
    verdictsAgree: 5,
    switchoverMedian: 0.1,
    switchoverWorst: 0.17,
    bytesWorst: 0.25,
    withinTolerance: 3,
  },
  {
    mechanism: 'avail-switchover-bandwidth',
    version: '10.2',
    recordings: 7,
    verdictsAgree: 7,
    switchoverMedian: 0.03,
    switchoverWorst: 0.08,
    bytesWorst: 0.11,
    withinTolerance: 5,
  },
  {
    mechanism: 'big-guest',
    version: '10.2',
    recordings: 4,
    verdictsAgree: 4,
    switchoverMedian: 0.03,
    switchoverWorst: 0.07,
    bytesWorst: 0.03,
    withinTolerance: 3,
  },
  {
    mechanism: 'big-guest',
    version: '7.2',
    recordings: 4,
    verdictsAgree: 4,
    switchoverMedian: 0.02,
    switchoverWorst: 0.07,
    bytesWorst: 0.03,
    withinTolerance: 4,
  },
  {
    mechanism: 'downtime-limit',
    version: '10.2',
    recordings: 6,
    verdictsAgree: 6,
    switchoverMedian: 0.14,
    switchoverWorst: 0.58,
    bytesWorst: 0.57,
    withinTolerance: 3,
  },
  {
    mechanism: 'downtime-limit',
    version: '7.2',
    recordings: 5,
    verdictsAgree: 5,
    switchoverMedian: 0.02,
    switchoverWorst: 0.03,
    bytesWorst: 0.11,
    withinTolerance: 3,
  },
  {
    mechanism: 'forced-sync',
    version: '10.2',
    recordings: 1,
    verdictsAgree: 1,
    switchoverMedian: null,
    switchoverWorst: null,
    bytesWorst: 0.17,
    withinTolerance: 1,
  },
  {
    mechanism: 'forced-sync',
    version: '7.2',
    recordings: 1,
    verdictsAgree: 1,
    switchoverMedian: null,
    switchoverWorst: null,
    bytesWorst: 0.11,
    withinTolerance: 1,
  },
  {
    mechanism: 'max-bandwidth',
    version: '10.2',
    recordings: 6,
    verdictsAgree: 6,
    switchoverMedian: 0.06,
    switchoverWorst: 0.07,
    bytesWorst: 0.07,
    withinTolerance: 4,
  },
  {
    mechanism: 'max-bandwidth',
    version: '7.2',
    recordings: 5,
    verdictsAgree: 5,
    switchoverMedian: 0.08,
    switchoverWorst: 0.53,
    bytesWorst: 0.08,
    withinTolerance: 3,
  },
  {
    mechanism: 'multifd',
    version: '10.2',
    recordings: 6,
    verdictsAgree: 6,
    switchoverMedian: 0.08,
    switchoverWorst: 0.21,
    bytesWorst: 0.05,
    withinTolerance: 4,
  },
  {
    mechanism: 'multifd',
    version: '7.2',
    recordings: 6,
    verdictsAgree: 6,
    switchoverMedian: 0.29,
    switchoverWorst: 0.31,
    bytesWorst: 0.14,
    withinTolerance: 3,
  },
  {
    mechanism: 'postcopy',
    version: '10.2',
    recordings: 2,
    verdictsAgree: 2,
    switchoverMedian: 0.01,
    switchoverWorst: 0.01,
    bytesWorst: 0.05,
    withinTolerance: 2,
  },
  { mechanism: 'postcopy', version: '7.2', recordings: 2, verdictsAgree: 2, switchoverMedian: 0, switchoverWorst: 0, bytesWorst: 0.01, withinTolerance: 1 },
  {
    mechanism: 'precopy',
    version: '7.2',
    recordings: 5,
    verdictsAgree: 5,
    switchoverMedian: 0.05,
    switchoverWorst: 0.13,
    bytesWorst: 0.06,
    withinTolerance: 5,
  },
  {
    mechanism: 'switchover-ack',
    version: '10.2',
    recordings: 5,
    verdictsAgree: 5,
    switchoverMedian: 0.06,
    switchoverWorst: 0.08,
    bytesWorst: 0.1,
    withinTolerance: 3,
  },
  {
    mechanism: 'xbzrle',
    version: '10.2',
    recordings: 5,
    verdictsAgree: 5,
    switchoverMedian: 0.06,
    switchoverWorst: 0.06,
    bytesWorst: 0.25,
    withinTolerance: 3,
  },
  { mechanism: 'xbzrle', version: '7.2', recordings: 5, verdictsAgree: 5, switchoverMedian: 0, switchoverWorst: 0, bytesWorst: 0.16, withinTolerance: 4 },
];
// END MEASURED ERRORS

/** Mechanisms the model honours that could not be recorded (BENCHMARKS.md says why), and why in one line. */
const UNRECORDABLE: Record<string, string> = {
  // It throttles a vCPU when its KVM dirty ring fills; on the recording host (KVM without
  // hardware virtualization) a vCPU never ran again after its first dirty-ring-full exit.
  'dirty-limit': "dirty-limit acts when a vCPU's KVM dirty ring fills, which could not be recorded: no recording",
  // With no device that needs to ack, QEMU's destination acks as soon as the return path
  // opens: that is recorded (mechanism switchover-ack). A device that holds the ack is not.
  'switchover-ack-delayed': 'an ack held back by a device (VFIO) is not recorded: only switchover-ack with no device to wait for is',
};

/** The mechanisms a configuration exercises (plain precopy always). */
export function mechanismsOf(c: Config): string[] {
  const out = ['precopy'];
  if (c.multifd) out.push('multifd');
  if (c.xbzrle) out.push('xbzrle');
  if (c.postcopyStartMs !== null) out.push('postcopy');
  if (c.autoConverge) out.push('auto-converge');
  if (c.forcedSyncTimer) out.push('forced-sync');
  if (c.availSwitchoverBandwidth > 0) out.push('avail-switchover-bandwidth');
  if (c.ramBytes >= 2 * 2 ** 30) out.push('big-guest');
  if (c.dirtyLimit) out.push('dirty-limit');
  if (c.switchoverAck) out.push(c.switchoverAckMs > 0 ? 'switchover-ack-delayed' : 'switchover-ack');
  return out;
}

/** Plain precopy is measured by the calibration runs and the max-bandwidth and downtime-limit sweeps together. */
const GROUPS: Record<string, string[]> = { precopy: ['precopy', 'max-bandwidth', 'downtime-limit'] };

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function fidelityFor(c: Config, table: MeasuredError[] = MEASURED_ERRORS): Fidelity {
  // Recordings exist for 7.2 (before 8.0's rules) and 10.2 (8.0 and later).
  const recorded = c.version.major < 8 ? '7.2' : '10.2';
  const mechanisms: Fidelity['mechanisms'] = [];
  const doubts: string[] = [];
  let unmeasured = false;
  for (const m of mechanismsOf(c)) {
    if (UNRECORDABLE[m]) {
      unmeasured = true;
      mechanisms.push({ mechanism: m, recordings: 0, verdictsAgree: 0, switchoverWorst: null });
      doubts.push(UNRECORDABLE[m]);
      continue;
    }
    const names = GROUPS[m] ?? [m];
    let rows = table.filter((r) => names.includes(r.mechanism) && r.version === recorded);
    if (rows.length === 0) rows = table.filter((r) => names.includes(r.mechanism));
    const recordings = rows.reduce((a, r) => a + r.recordings, 0);
    const verdictsAgree = rows.reduce((a, r) => a + r.verdictsAgree, 0);
    const worsts = rows.map((r) => r.switchoverWorst).filter((x): x is number => x !== null);
    const medians = rows.map((r) => r.switchoverMedian).filter((x): x is number => x !== null);
    const switchoverWorst = worsts.length ? Math.max(...worsts) : null;
    // A group of rows (plain precopy) is as sure as its least sure row.
    const typical = medians.length ? Math.max(...medians) : null;
    mechanisms.push({ mechanism: m, recordings, verdictsAgree, switchoverWorst });
    if (recordings === 0) {
      unmeasured = true;
      doubts.push(`${m}: no recording`);
    } else if (verdictsAgree < recordings) {
      doubts.push(`${m}: ${recordings - verdictsAgree} of ${recordings} real migrations ended the other way`);
    } else if (typical !== null && typical > SWITCHOVER_TOLERANCE) {
      doubts.push(`${m}: switchover time typically off by ${pct(typical)} (up to ${pct(switchoverWorst!)}) on real QEMU ${rows[0].version}`);
    }
  }
  const level: Fidelity['level'] = unmeasured ? 'unmeasured' : doubts.length ? 'approximate' : 'measured';
  const total = mechanisms.reduce((a, m) => a + m.recordings, 0);
  const message =
    level === 'measured'
      ? `Matches real QEMU ${recorded} migrations using ${mechanisms.map((m) => m.mechanism).join(', ')} (${total} recordings, same verdicts; ` +
        `switchover time typically within ${pct(SWITCHOVER_TOLERANCE)}, at worst ${pct(Math.max(0, ...mechanisms.map((m) => m.switchoverWorst ?? 0)))} off).`
      : `Less sure: ${doubts.join('; ')}.`;
  return { level, mechanisms, message };
}
