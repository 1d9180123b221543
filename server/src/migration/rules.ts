// QEMU's own refusals of migration settings, per release, as data: what
// migrate_caps_check() and migrate_params_check() (migration/options.c; 7.2 and 8.0
// have them in migration/migration.c) and their callers refuse, and the text QEMU
// answers with. Read from QEMU's git history for 7.2 through 10.2. QEMU stops at the
// first failed check, in the order listed here; so does `firstCapabilityRefusal`.
//
// A rule whose outcome depends on how QEMU was built or on the accelerator (`build`)
// is a warning: QEMU with that feature accepts it.

/** When a rule is in QEMU: from `since` up to, not including, `until`. */
interface Window {
  since: string;
  until?: string;
}

export interface CapabilityRule extends Window {
  id: string;
  /** The capability being on that makes QEMU look (its `if (new_caps[...])`). */
  cap: string;
  /** Refused when this capability is off. */
  requires?: string;
  /** Refused when any of these is on; QEMU names the first, in this order. */
  conflicts?: string[];
  /** Refused when a parameter in force has a value other than its neutral one. */
  conflictsWithParameters?: ('multifd-compression' | 'tls-creds')[];
  /** What the answer depends on besides the settings (a warning, never an error). */
  build?: string;
  /** QEMU's error text; `%s` is the conflicting capability. */
  qemu: string;
}

// migrate_caps_check, in QEMU's order. The compress rules end with compress (9.1).
export const CAPABILITY_RULES: CapabilityRule[] = [
  {
    id: 'x-colo-needs-replication',
    since: '7.2',
    cap: 'x-colo',
    build: 'QEMU built with the replication module (CONFIG_REPLICATION)',
    qemu: "QEMU compiled without replication module can't enable COLO",
  },
  {
    id: 'postcopy-ram-vs-x-ignore-shared',
    since: '7.2',
    cap: 'postcopy-ram',
    conflicts: ['x-ignore-shared'],
    qemu: 'Postcopy is not compatible with ignore-shared',
  },
  {
    id: 'postcopy-ram-vs-multifd',
    since: '8.0',
    until: '10.1',
    cap: 'postcopy-ram',
    conflicts: ['multifd'],
    qemu: 'Postcopy is not yet compatible with multifd',
  },
  {
    id: 'background-snapshot-vs-others',
    since: '7.2',
    cap: 'background-snapshot',
    conflicts: [
      'postcopy-ram',
      'dirty-bitmaps',
      'postcopy-blocktime',
      'late-block-activate',
      'return-path',
      'multifd',
      'pause-before-switchover',
      'auto-converge',
      'release-ram',
      'rdma-pin-all',
      'compress',
      'xbzrle',
      'x-colo',
      'validate-uuid',
      'zero-copy-send',
    ],
    qemu: 'Background-snapshot is not compatible with %s',
  },
  {
    id: 'zero-copy-send-needs-multifd',
    since: '7.2',
    cap: 'zero-copy-send',
    requires: 'multifd',
    conflicts: ['compress', 'xbzrle'],
    conflictsWithParameters: ['multifd-compression', 'tls-creds'],
    qemu: 'Zero copy only available for non-compressed non-TLS multifd migration',
  },
  {
    id: 'postcopy-preempt-needs-postcopy-ram',
    since: '7.2',
    cap: 'postcopy-preempt',
    requires: 'postcopy-ram',
    qemu: 'Postcopy preempt requires postcopy-ram',
  },
  {
    id: 'postcopy-preempt-vs-compress',
    since: '7.2',
    until: '9.1',
    cap: 'postcopy-preempt',
    conflicts: ['compress'],
    qemu: 'Postcopy preempt not compatible with compress',
  },
  { id: 'multifd-vs-compress', since: '7.2', until: '9.1', cap: 'multifd', conflicts: ['compress'], qemu: 'Multifd is not compatible with compress' },
  {
    id: 'switchover-ack-needs-return-path',
    since: '8.1',
    cap: 'switchover-ack',
    requires: 'return-path',
    qemu: "Capability 'switchover-ack' requires capability 'return-path'",
  },
  {
    id: 'dirty-limit-vs-auto-converge',
    since: '8.1',
    cap: 'dirty-limit',
    conflicts: ['auto-converge'],
    qemu: 'dirty-limit conflicts with auto-converge either of then available currently',
  },
  {
    id: 'dirty-limit-needs-kvm-dirty-ring',
    since: '8.1',
    cap: 'dirty-limit',
    build: 'KVM with a dirty ring (-accel kvm,dirty-ring-size=N)',
    qemu: "dirty-limit requires KVM with accelerator property 'dirty-ring-size' set",
  },
  { id: 'multifd-vs-xbzrle', since: '8.2', cap: 'multifd', conflicts: ['xbzrle'], qemu: 'Multifd is not compatible with xbzrle' },
  { id: 'compress-vs-xbzrle', since: '8.2', until: '9.1', cap: 'compress', conflicts: ['xbzrle'], qemu: 'Compression is not compatible with xbzrle' },
  { id: 'mapped-ram-vs-xbzrle', since: '9.0', cap: 'mapped-ram', conflicts: ['xbzrle'], qemu: 'Mapped-ram migration is incompatible with xbzrle' },
  {
    id: 'mapped-ram-vs-compress',
    since: '9.0',
    until: '9.1',
    cap: 'mapped-ram',
    conflicts: ['compress'],
    qemu: 'Mapped-ram migration is incompatible with compression',
  },
  {
    id: 'mapped-ram-vs-postcopy-ram',
    since: '9.0',
    cap: 'mapped-ram',
    conflicts: ['postcopy-ram'],
    qemu: 'Mapped-ram migration is incompatible with postcopy',
  },
];

/**
 * migrate_params_check's checks that are not a plain range (ranges: facts.ts min/max,
 * `checkedSince`). QEMU judges the parameters as they would be after the command (its
 * migrate_params_test_apply), so a rule sees the values in force plus the new ones.
 */
export interface ParameterRule extends Window {
  id: string;
  /** The parameter QEMU names (and the checker points at). */
  param: string;
  kind: 'at-least-parameter' | 'power-of-two-page' | 'bitmap-alias-map' | 'capability-conflict' | 'build-enum';
  /** at-least-parameter: the parameter it may not be below. */
  other?: string;
  /** capability-conflict: the capability, and the parameters that may not be set with it. */
  capability?: string;
  parameters?: ('multifd-compression' | 'tls-creds')[];
  /** capability-conflict: QEMU reads the parameters in force before the command, not after (9.0+ mapped-ram). */
  readsOldValues?: boolean;
  /** build-enum: values that exist only in some builds, and what they need. */
  values?: Record<string, string>;
  qemu: string;
}

export const PARAMETER_RULES: ParameterRule[] = [
  {
    id: 'xbzrle-cache-size-power-of-two',
    since: '7.2',
    param: 'xbzrle-cache-size',
    kind: 'power-of-two-page',
    qemu: "Parameter 'xbzrle_cache_size' expects a power of two no less than the target page size",
  },
  {
    id: 'max-cpu-throttle-vs-initial',
    since: '7.2',
    param: 'max-cpu-throttle',
    kind: 'at-least-parameter',
    other: 'cpu-throttle-initial',
    qemu: "Parameter 'max_cpu_throttle' expects an integer in the range of cpu_throttle_initial to 99",
  },
  {
    id: 'block-bitmap-mapping-aliases',
    since: '7.2',
    param: 'block-bitmap-mapping',
    kind: 'bitmap-alias-map',
    qemu: 'Invalid mapping given for block-bitmap-mapping: %s',
  },
  {
    id: 'zero-copy-send-vs-compression-tls',
    since: '7.2',
    param: 'multifd-compression',
    kind: 'capability-conflict',
    capability: 'zero-copy-send',
    parameters: ['multifd-compression', 'tls-creds'],
    qemu: 'Zero copy only available for non-compressed non-TLS multifd migration',
  },
  {
    id: 'mapped-ram-vs-compression-tls',
    since: '9.0',
    param: 'multifd-compression',
    kind: 'capability-conflict',
    capability: 'mapped-ram',
    parameters: ['multifd-compression', 'tls-creds'],
    readsOldValues: true,
    qemu: 'Mapped-ram only available for non-compressed non-TLS multifd migration',
  },
  {
    id: 'multifd-compression-needs-library',
    since: '7.2',
    param: 'multifd-compression',
    kind: 'build-enum',
    values: {
      zstd: 'QEMU built with zstd (CONFIG_ZSTD)',
      qpl: 'QEMU built with Intel QPL (CONFIG_QPL)',
      uadk: 'QEMU built with UADK (CONFIG_UADK)',
      qatzip: 'QEMU built with QATzip (CONFIG_QATZIP)',
    },
    qemu: "Parameter 'multifd-compression' does not accept value '%s'",
  },
];

/** QEMU's "expects" text of each range check (QERR_INVALID_PARAMETER_VALUE). */
export const RANGE_TEXT: Record<string, string> = {
  'throttle-trigger-threshold': 'an integer in the range of 1 to 100',
  'cpu-throttle-initial': 'an integer in the range of 1 to 99',
  'cpu-throttle-increment': 'an integer in the range of 1 to 99',
  'downtime-limit': 'an integer in the range of 0 to 2000000 ms',
  'multifd-channels': 'a value between 1 and 255',
  'multifd-zlib-level': 'a value between 0 and 9',
  'multifd-zstd-level': 'a value between 0 and 20',
  'multifd-qatzip-level': 'a value between 1 and 9',
  'max-cpu-throttle': 'an integer in the range of cpu_throttle_initial to 99',
  'announce-initial': 'a value between 0 and 100000',
  'announce-max': 'a value between 0 and 100000',
  'announce-rounds': 'a value between 0 and 1000',
  'announce-step': 'a value between 0 and 10000',
  'compress-level': 'a value between 0 and 9',
  'compress-threads': 'a value between 1 and 255',
  'decompress-threads': 'a value between 1 and 255',
  'x-vcpu-dirty-limit-period': 'a value between 1 and 1000',
  'vcpu-dirty-limit': 'is invalid, it must greater then 1 MB/s',
};

/** The state a command needs, and QEMU's answer when it is not there (the command's own checks). */
export interface CommandStateRule extends Window {
  command: string;
  /** What must have happened earlier in the script. */
  needs: 'postcopy-ram' | 'migration-started' | 'pre-switchover' | 'postcopy-active' | 'no-migration-running';
  /** True when a script cannot know (a migration may have ended): a warning. */
  uncertain?: boolean;
  qemu: string;
}

export const COMMAND_STATE_RULES: CommandStateRule[] = [
  { command: 'migrate-start-postcopy', needs: 'postcopy-ram', since: '7.2', qemu: 'Enable postcopy with migrate_set_capability before the start of migration' },
  { command: 'migrate-start-postcopy', needs: 'migration-started', since: '7.2', qemu: 'Postcopy must be started after migration has been started' },
  { command: 'migrate-continue', needs: 'pre-switchover', since: '7.2', qemu: 'Migration not in expected state: %s' },
  {
    command: 'migrate-pause',
    needs: 'postcopy-active',
    since: '7.2',
    until: '8.2',
    qemu: 'migrate-pause is currently only supported during postcopy-active state',
  },
  {
    command: 'migrate-pause',
    needs: 'postcopy-active',
    since: '8.2',
    qemu: 'migrate-pause is currently only supported during postcopy-active or postcopy-recover state',
  },
  { command: 'migrate-set-capabilities', needs: 'no-migration-running', uncertain: true, since: '7.2', qemu: "There's a migration process in progress" },
];
