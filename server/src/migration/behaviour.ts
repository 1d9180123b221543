// How QEMU's precopy behaves differently by release (docs/migration-model.md §1.4, §1.5):
// what the simulator's engine switches on. Each entry names the QEMU commit.

/** QEMU's switchover decision families (migration_iteration_run). */
export type SwitchoverRules = '7.2' | '8.x' | '9.0-10.0' | '10.1+';

export const BEHAVIOUR = {
  /** 8.0-8.2: with postcopy-ram, must_precopy = 0 makes an exact sync on every loop (fixed by 910c164736 in 9.0). */
  mustPrecopySync: { since: '8.0', until: '9.0' },
  /** 10.1+ (7aaa1fc072): complete when pending <= threshold; postcopy is asked before completion. */
  switchoverAtOrBelow: { since: '10.1' },
  /** 9.2+ (52ac968ab2): with auto-converge, a bitmap sync forced after 5 s without one. */
  dirtySyncTimer: { since: '9.2' },
  /** 8.1+ (cbec7eb768): each multifd channel counts its packet after writing it, one more in flight past the rate check. */
  multifdPacketInFlight: { since: '8.1' },
  /** 8.0+: expected_downtime = dirty_bytes_last_sync / expected bandwidth (7.2: remaining / bandwidth). */
  expectedDowntimeFromLastSync: { since: '8.0' },
  /** 9.0+: zero pages are found by the multifd threads by default (zero-page-detection=multifd). */
  multifdZeroPageDetection: { since: '9.0' },
} as const;
