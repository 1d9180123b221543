// The model's assumptions about the host, with their defaults (docs/migration-model.md §3.1).
// They are not QEMU parameters: a scenario may override them under "host".

export interface HostModel {
  /** Cost of one dirty-bitmap sync: base plus a part proportional to guest RAM (ms, ms per GiB). */
  syncBaseMs: number;
  syncMsPerGiB: number;
  /** How fast the migration thread scans zero pages (buffer_is_zero), bytes/s. */
  zeroScanBytesPerSecond: number;
  /** What one sending thread (main or one multifd channel) can push, bytes/s. */
  perChannelBytesPerSecond: number;
  /** Fixed switchover cost: vm_stop, destination load and resume (ms). */
  switchoverOverheadMs: number;
  /** Device state sent while the VM is stopped (bytes). */
  deviceStateBytes: number;
  /** XBZRLE compression ratio on a cache hit. */
  xbzrleRatio: number;
  /** Dirty-limit controller slack per vCPU above its quota (MB/s, DIRTYLIMIT_TOLERANCE_RANGE). */
  dirtyLimitSlackMBps: number;
  /**
   * Share (0-1) of auto-converge's vCPU sleeps that end after the next throttle tick: the
   * vCPU started its sleep (or woke from it) more than 10 ms late, as on a loaded host. That
   * tick is skipped (cpu-throttle.c, see stages.ts applyThrottle). 0: QEMU's design, (1 - p).
   */
  throttleLateFraction: number;
}

// Calibrated on real runs here: QEMU 7.2 (bench/recordings-7.2) reported 0-4 ms downtimes
// for small final copies, QEMU 10.2 34 ms for a 67 MB one (../shared/qemu/migrations-10.2).
export const HOST_DEFAULTS: HostModel = {
  syncBaseMs: 1,
  syncMsPerGiB: 1,
  zeroScanBytesPerSecond: 8e9,
  perChannelBytesPerSecond: 2.5e9,
  switchoverOverheadMs: 1,
  deviceStateBytes: 1e6,
  xbzrleRatio: 8,
  dirtyLimitSlackMBps: 25,
  throttleLateFraction: 0,
};

export const PAGE = 4096;
/** A normal page on the wire: the page plus its 8-byte header. */
export const WIRE_PAGE = PAGE + 8;
/** A zero page on the wire: header plus one byte. */
export const ZERO_PAGE_WIRE = 9;
export const GiB = 2 ** 30;

/** BUFFER_DELAY: the accounting window. */
export const WINDOW_MS = 100;
/** MAX_WAIT: the longest ram_save_iterate body. */
export const BODY_MS = 50;
/** Auto-converge's period between throttle checks. */
export const THROTTLE_PERIOD_MS = 1000;
/** 9.2+: CPU_THROTTLE_DIRTY_SYNC_TIMESLICE_MS. */
export const FORCED_SYNC_MS = 5000;
