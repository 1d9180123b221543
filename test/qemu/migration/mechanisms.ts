// The migrations that hold the simulator to each mechanism it models, on QEMU 7.2
// (Debian) and 10.2.0 (../shared/qemu/bin/10.2), each to a real destination QEMU over a
// unix socket. One guest, one vCPU, TCG; each run is seconds to about a minute. Every
// case is recorded on both versions unless it needs 8.2+ (avail-switchover-bandwidth)
// or is about a version difference. Kept in bench/recordings-<version>/<name>.jsonl.
import type { MigrationCase, QemuUnderTest } from './record';

export type Mechanism =
  | 'multifd'
  | 'xbzrle'
  | 'postcopy'
  | 'big-guest'
  | 'max-bandwidth'
  | 'downtime-limit'
  | 'avail-switchover-bandwidth'
  | 'auto-converge'
  | 'forced-sync'
  | 'switchover-ack'
  | 'dirty-limit';

export interface MechanismCase extends MigrationCase {
  mechanism: Mechanism;
  /** Versions to record it on (default both). */
  versions?: QemuUnderTest[];
}

const MiB = 2 ** 20;

// The two reference workloads (as in bench/recordings-7.2): 128 MiB of data, a 64 MiB
// working set swept at ~12 MiB/s (converges over several syncs at 32 MiB/s) or ~80 MiB/s
// (never converges at 32 MiB/s).
const slow = { ramMiB: 512, fillMiB: 128, wsMiB: 64, rateMiBps: 12, maxBandwidthMiBps: 32, downtimeLimitMs: 300 };
const never = { ramMiB: 512, fillMiB: 128, wsMiB: 64, rateMiBps: 80, maxBandwidthMiBps: 32, downtimeLimitMs: 300 };

function multifd(): MechanismCase[] {
  const out: MechanismCase[] = [];
  for (const n of [1, 2, 4]) {
    out.push({
      mechanism: 'multifd',
      name: `multifd-${n}ch-capped`,
      ...slow,
      capSeconds: 30,
      description: `multifd, ${n} channel(s), max-bandwidth 32 MiB/s, the "slow" workload (64 MiB at ~12 MiB/s)`,
      capabilities: { multifd: true },
      parameters: { 'multifd-channels': n },
    });
    out.push({
      mechanism: 'multifd',
      name: `multifd-${n}ch-unlimited`,
      capSeconds: 30,
      ramMiB: 1536,
      fillMiB: 1024,
      wsMiB: 32,
      rateMiBps: 20,
      maxBandwidthMiBps: 0,
      downtimeLimitMs: 300,
      description: `multifd, ${n} channel(s), max-bandwidth unlimited, 1 GiB of data, 32 MiB at ~20 MiB/s`,
      capabilities: { multifd: true },
      parameters: { 'multifd-channels': n },
    });
  }
  return out;
}

function xbzrle(): MechanismCase[] {
  const base = { ramMiB: 512, fillMiB: 128, wsMiB: 64, rateMiBps: 40, maxBandwidthMiBps: 32, downtimeLimitMs: 300, capSeconds: 20 };
  const out: MechanismCase[] = [
    {
      mechanism: 'xbzrle',
      name: 'xbzrle-off',
      ...base,
      description: 'reference without xbzrle: 64 MiB at ~40 MiB/s against 32 MiB/s never converges',
    },
  ];
  for (const touch of ['byte', 'full'] as const) {
    for (const cache of [16, 128]) {
      out.push({
        mechanism: 'xbzrle',
        name: `xbzrle-${touch}-cache${cache}`,
        ...base,
        touch,
        description:
          `xbzrle, cache ${cache} MiB (${cache < 64 ? 'smaller' : 'larger'} than the 64 MiB working set); ` +
          (touch === 'byte' ? 'one byte of each page changes (its good case)' : 'every word of each page changes (its bad case)'),
        capabilities: { xbzrle: true },
        parameters: { 'xbzrle-cache-size': cache * MiB },
      });
    }
  }
  return out;
}

function postcopy(): MechanismCase[] {
  return [8, 14].map((at) => ({
    mechanism: 'postcopy' as const,
    name: `postcopy-at${at}s`,
    ...never,
    capSeconds: 40,
    description: `the "never" workload (64 MiB at ~80 MiB/s against 32 MiB/s); migrate-start-postcopy at ${at} s`,
    capabilities: { 'postcopy-ram': true },
    postcopyAfterSeconds: at,
  }));
}

function bigGuests(): MechanismCase[] {
  return [
    {
      mechanism: 'big-guest',
      name: 'big-4g-zero-unlimited',
      ramMiB: 4096,
      fillMiB: 64,
      wsMiB: 0,
      rateMiBps: 0,
      maxBandwidthMiBps: 0,
      downtimeLimitMs: 300,
      capSeconds: 30,
      description: '4 GiB guest, 64 MiB of data, halted, max-bandwidth unlimited: mostly zero pages',
    },
    {
      mechanism: 'big-guest',
      name: 'big-4g-zero-capped',
      ramMiB: 4096,
      fillMiB: 64,
      wsMiB: 16,
      rateMiBps: 10,
      maxBandwidthMiBps: 32,
      downtimeLimitMs: 300,
      capSeconds: 30,
      description: '4 GiB guest, 64 MiB of data, 16 MiB at ~10 MiB/s, max-bandwidth 32 MiB/s: mostly zero pages',
    },
    {
      mechanism: 'big-guest',
      name: 'big-3g-1g-unlimited',
      ramMiB: 3072,
      fillMiB: 1024,
      wsMiB: 0,
      rateMiBps: 0,
      maxBandwidthMiBps: 0,
      downtimeLimitMs: 300,
      capSeconds: 30,
      description: '3 GiB guest, 1 GiB of data, halted, max-bandwidth unlimited',
    },
    {
      mechanism: 'big-guest',
      name: 'big-3g-1g-capped',
      ramMiB: 3072,
      fillMiB: 1024,
      wsMiB: 32,
      rateMiBps: 20,
      maxBandwidthMiBps: 128,
      downtimeLimitMs: 300,
      capSeconds: 30,
      description: '3 GiB guest, 1 GiB of data, 32 MiB at ~20 MiB/s, max-bandwidth 128 MiB/s',
    },
  ];
}

function maxBandwidth(): MechanismCase[] {
  return [8, 16, 64, 256, 0].map((bw) => ({
    mechanism: 'max-bandwidth' as const,
    name: `maxbw-${bw || 'unlimited'}`,
    capSeconds: bw === 8 ? 25 : 20,
    ramMiB: 512,
    fillMiB: 128,
    wsMiB: 32,
    rateMiBps: 12,
    maxBandwidthMiBps: bw,
    downtimeLimitMs: 300,
    description: `128 MiB of data, 32 MiB at ~12 MiB/s, max-bandwidth ${bw ? `${bw} MiB/s` : 'unlimited'}`,
  }));
}

function downtimeLimit(): MechanismCase[] {
  // 16 MiB rewritten every 0.4 s: after each sync about 16 MiB is dirty, so with 32 MiB/s the
  // verdict flips near 16 MiB / 32 MiB/s = 500 ms.
  return [150, 300, 450, 600, 900].map((dl) => ({
    mechanism: 'downtime-limit' as const,
    name: `downtime-${dl}ms`,
    capSeconds: 20,
    ramMiB: 512,
    fillMiB: 64,
    wsMiB: 16,
    rateMiBps: 40,
    maxBandwidthMiBps: 32,
    downtimeLimitMs: dl,
    description: `64 MiB of data, 16 MiB at ~40 MiB/s, max-bandwidth 32 MiB/s, downtime-limit ${dl} ms (flips near 500 ms)`,
  }));
}

function availSwitchoverBandwidth(): MechanismCase[] {
  // The "never" workload: ~64 MiB dirty after each sync; T = asb x downtime-limit.
  const runs: [number, number][] = [
    [300, 128],
    [300, 192],
    [300, 256],
    [300, 512],
    [100, 512],
    [100, 768],
    [100, 1024],
  ];
  return runs.map(([dl, asb]) => ({
    mechanism: 'avail-switchover-bandwidth' as const,
    name: `asb-${asb}-dl${dl}`,
    ...never,
    downtimeLimitMs: dl,
    capSeconds: 20,
    versions: ['10.2'],
    description: `the "never" workload, avail-switchover-bandwidth ${asb} MiB/s, downtime-limit ${dl} ms (threshold ${((asb * dl) / 1000).toFixed(0)} MiB)`,
    parameters: { 'avail-switchover-bandwidth': asb * MiB },
  }));
}

function autoConverge(): MechanismCase[] {
  const base = {
    ramMiB: 512,
    fillMiB: 128,
    wsMiB: 64,
    rateMiBps: 60,
    writer: 'cpu' as const,
    maxBandwidthMiBps: 32,
    downtimeLimitMs: 300,
    autoConverge: true,
    capSeconds: 45,
  };
  const runs: { name: string; params: Record<string, number | boolean> }[] = [
    { name: 'autoconverge-40-20', params: { 'cpu-throttle-initial': 40, 'cpu-throttle-increment': 20 } },
    { name: 'autoconverge-10-5', params: { 'cpu-throttle-initial': 10, 'cpu-throttle-increment': 5 } },
    { name: 'autoconverge-tailslow', params: { 'cpu-throttle-tailslow': true } },
  ];
  return runs.map(({ name, params }) => ({
    mechanism: 'auto-converge' as const,
    name,
    ...base,
    parameters: params,
    description: `CPU-bound writer, 64 MiB at ~60 MiB/s, max-bandwidth 32 MiB/s, auto-converge with ${JSON.stringify(params)}`,
  }));
}

function forcedSync(): MechanismCase[] {
  // Passes of ~16 s (256 MiB at 16 MiB/s): without the 9.2+ 5 s timer the throttle is
  // checked only at the one sync per pass; with it, every 5 s.
  return [
    {
      mechanism: 'forced-sync',
      name: 'forced-sync-autoconverge',
      capSeconds: 75,
      ramMiB: 512,
      fillMiB: 260,
      wsMiB: 256,
      rateMiBps: 60,
      writer: 'cpu',
      maxBandwidthMiBps: 16,
      downtimeLimitMs: 300,
      autoConverge: true,
      parameters: { 'cpu-throttle-initial': 30, 'cpu-throttle-increment': 20 },
      description:
        'CPU-bound writer, 256 MiB at ~60 MiB/s, max-bandwidth 16 MiB/s, auto-converge 30/20: 9.2+ syncs (and may throttle) every 5 s, 7.2 once per ~16 s pass',
    },
  ];
}

function switchoverAck(): MechanismCase[] {
  // 8.1+. With no device that needs to ack (no VFIO here), QEMU's destination sends the ack
  // as soon as the return path opens (savevm.c, MIG_CMD_OPEN_RETURN_PATH: no
  // switchover_ack_pending_num), so the switchover is the one without the capability:
  // the same cases as maxbw-64 and the downtime-limit flip, with return-path + switchover-ack.
  const caps = { 'return-path': true, 'switchover-ack': true };
  const base = { ramMiB: 512, capSeconds: 20, versions: ['10.2' as const], capabilities: caps, mechanism: 'switchover-ack' as const };
  return [
    {
      ...base,
      name: 'switchover-ack-maxbw64',
      fillMiB: 128,
      wsMiB: 32,
      rateMiBps: 12,
      maxBandwidthMiBps: 64,
      downtimeLimitMs: 300,
      description: 'maxbw-64 with return-path and switchover-ack on both sides (no device needs to ack: the destination acks at once)',
    },
    ...[300, 150].map((dl) => ({
      ...base,
      name: `switchover-ack-downtime-${dl}ms`,
      fillMiB: 64,
      wsMiB: 16,
      rateMiBps: 40,
      maxBandwidthMiBps: 32,
      downtimeLimitMs: dl,
      description: `downtime-${dl}ms with return-path and switchover-ack on both sides (no device needs to ack)`,
    })),
  ];
}

/** vcpu-dirty-limit values (MB/s) of the dirty-limit sweep. */
export const DIRTY_LIMIT_SWEEP = [1, 4, 8, 12, 16];

function dirtyLimit(): MechanismCase[] {
  // 8.1+, KVM with a dirty ring only (migrate_caps_check). The guest under KVM runs with no
  // floating point (mode=cpu with a fixed delay) and a sparse fill: on a host without
  // hardware virtualization KVM emulates it instruction by instruction. It writes ~40-48
  // MiB/s into 64 MiB, above the 32 MiB/s cap: without a limit it never converges.
  return DIRTY_LIMIT_SWEEP.map((limit) => ({
    mechanism: 'dirty-limit' as const,
    name: `dirty-limit-${limit}`,
    versions: ['10.2'],
    accel: 'kvm',
    ramMiB: 512,
    fillMiB: 64,
    sparseFill: true,
    wsMiB: 64,
    rateMiBps: 0,
    writer: 'cpu',
    delay: 1,
    maxBandwidthMiBps: 32,
    downtimeLimitMs: 300,
    capSeconds: 40,
    capabilities: { 'dirty-limit': true },
    parameters: { 'vcpu-dirty-limit': limit, 'x-vcpu-dirty-limit-period': 1000 },
    description: `KVM (dirty ring ${4096}), CPU-bound writer into 64 MiB, max-bandwidth 32 MiB/s, dirty-limit with vcpu-dirty-limit ${limit} MB/s`,
  }));
}

export const MECHANISM_CASES: MechanismCase[] = [
  ...multifd(),
  ...xbzrle(),
  ...postcopy(),
  ...bigGuests(),
  ...maxBandwidth(),
  ...downtimeLimit(),
  ...availSwitchoverBandwidth(),
  ...autoConverge(),
  ...forcedSync(),
  ...switchoverAck(),
  ...dirtyLimit(),
];

/** The cases of one version, with `qemu` and `dest` filled in. */
export function casesFor(v: QemuUnderTest): MechanismCase[] {
  return MECHANISM_CASES.filter((c) => !c.versions || c.versions.includes(v)).map((c) => ({ ...c, qemu: v, dest: 'qemu' as const }));
}
