// What the extension itself knows about QEMU's migration commands, parameters and
// capabilities, from 7.2 to 10.x: names, QAPI types, units, defaults, the ranges
// QEMU's command-level check enforces, and when each appeared, was deprecated or
// removed. Descriptions are our own summaries. One list with since/removed
// versions rather than one list per version: the schema for any target version
// is a filter over it (schema/facts.ts).

export interface Fact {
  name: string;
  /** Our own short description. */
  description: string;
  since: string;
  /** First version without it. */
  removed?: string;
  deprecatedSince?: string;
  unstable?: boolean;
}

export interface ParameterFact extends Fact {
  /** QAPI type as in MigrateSetParameters. */
  type: string;
  unit?: string;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  /** First version whose migrate_params_check enforces min/max (earlier ones accept anything). */
  checkedSince?: string;
}

export const MIGRATION_PARAMETERS: ParameterFact[] = [
  {
    name: 'announce-initial',
    type: 'size',
    unit: 'ms',
    default: 50,
    min: 0,
    max: 100000,
    since: '4.0',
    description: 'Delay before the first self-announcement packet the destination sends after migration.',
  },
  {
    name: 'announce-max',
    type: 'size',
    unit: 'ms',
    default: 550,
    min: 0,
    max: 100000,
    since: '4.0',
    description: 'Longest delay between two self-announcement packets.',
  },
  { name: 'announce-rounds', type: 'size', default: 5, min: 0, max: 1000, since: '4.0', description: 'How many self-announcement packets are sent.' },
  {
    name: 'announce-step',
    type: 'size',
    unit: 'ms',
    default: 100,
    min: 1,
    max: 10000,
    since: '4.0',
    description: 'How much the delay grows between self-announcement packets.',
  },
  {
    name: 'compress-level',
    type: 'uint8',
    default: 1,
    min: 0,
    max: 9,
    since: '2.4',
    deprecatedSince: '8.2',
    removed: '9.1',
    description: 'zlib level of the old compress capability (0 = store only, 9 = smallest).',
  },
  {
    name: 'compress-threads',
    type: 'uint8',
    default: 8,
    min: 1,
    max: 255,
    since: '2.4',
    deprecatedSince: '8.2',
    removed: '9.1',
    description: 'Compression threads on the source for the old compress capability.',
  },
  {
    name: 'compress-wait-thread',
    type: 'bool',
    default: true,
    since: '3.1',
    deprecatedSince: '8.2',
    removed: '9.1',
    description: 'Whether the old compress capability waits for an idle thread instead of sending the page raw.',
  },
  {
    name: 'decompress-threads',
    type: 'uint8',
    default: 2,
    min: 1,
    max: 255,
    since: '2.4',
    deprecatedSince: '8.2',
    removed: '9.1',
    description: 'Decompression threads on the destination for the old compress capability.',
  },
  {
    name: 'throttle-trigger-threshold',
    type: 'uint8',
    unit: '%',
    default: 50,
    min: 1,
    max: 100,
    since: '5.0',
    description: 'Auto-converge starts throttling when the guest dirties more than this share of what was sent in a period.',
  },
  {
    name: 'cpu-throttle-initial',
    type: 'uint8',
    unit: '%',
    default: 20,
    min: 1,
    max: 99,
    since: '2.7',
    description: 'First vCPU throttle step of auto-converge.',
  },
  {
    name: 'cpu-throttle-increment',
    type: 'uint8',
    unit: '%',
    default: 10,
    min: 1,
    max: 99,
    since: '2.7',
    description: 'How much auto-converge raises the throttle each time the guest still dirties too fast.',
  },
  {
    name: 'cpu-throttle-tailslow',
    type: 'bool',
    default: false,
    since: '5.1',
    description: 'Near the end, raise the throttle only as much as the measured dirty rate requires instead of a full increment.',
  },
  {
    name: 'tls-creds',
    type: 'StrOrNull',
    default: '',
    since: '2.7',
    description: 'ID of the TLS credentials object that encrypts the migration stream; empty or null turns TLS off.',
  },
  { name: 'tls-hostname', type: 'StrOrNull', default: '', since: '2.7', description: 'Host name the source checks the destination certificate against.' },
  {
    name: 'tls-authz',
    type: 'StrOrNull',
    default: '',
    since: '4.0',
    description: 'ID of an authorization object that decides which clients may connect (destination side).',
  },
  {
    name: 'max-bandwidth',
    type: 'size',
    unit: 'B/s',
    default: 134217728,
    since: '2.8',
    description: 'Rate cap of the precopy stream in bytes per second (128 MiB/s by default; 0 means no cap since 9.1, earlier a tiny rate).',
  },
  {
    name: 'avail-switchover-bandwidth',
    type: 'size',
    unit: 'B/s',
    default: 0,
    since: '8.2',
    description:
      'Bandwidth QEMU assumes for the final stop-and-copy when it decides whether the rest fits in downtime-limit. 0 means use the measured rate. It does not cap or raise the real rate; set it when the measured rate is far below the link (busy migration thread).',
  },
  {
    name: 'downtime-limit',
    type: 'uint64',
    unit: 'ms',
    default: 300,
    min: 0,
    max: 2000000,
    since: '2.8',
    description: 'Longest pause of the guest QEMU accepts for the switchover; with the bandwidth estimate it gives the amount of dirty memory that may remain.',
  },
  { name: 'x-checkpoint-delay', type: 'uint32', unit: 'ms', default: 20000, since: '2.8', unstable: true, description: 'Interval between COLO checkpoints.' },
  {
    name: 'block-incremental',
    type: 'bool',
    default: false,
    since: '2.10',
    deprecatedSince: '8.2',
    removed: '9.1',
    description: 'With the old block capability, copy only the top image of each disk.',
  },
  { name: 'multifd-channels', type: 'uint8', default: 2, min: 1, max: 255, since: '4.0', description: 'Parallel connections the multifd capability uses.' },
  {
    name: 'xbzrle-cache-size',
    type: 'size',
    unit: 'B',
    default: 67108864,
    since: '2.11',
    description: 'Cache of previously sent pages the xbzrle capability diffs against; a power of two, at least one page.',
  },
  { name: 'max-postcopy-bandwidth', type: 'size', unit: 'B/s', default: 0, since: '3.0', description: 'Rate cap during postcopy; 0 means no cap.' },
  {
    name: 'max-cpu-throttle',
    type: 'uint8',
    unit: '%',
    default: 99,
    max: 99,
    since: '3.1',
    description: 'Highest throttle auto-converge may reach; no lower than cpu-throttle-initial.',
  },
  { name: 'multifd-compression', type: 'MultiFDCompression', default: 'none', since: '5.0', description: 'Compression method of the multifd channels.' },
  {
    name: 'multifd-zlib-level',
    type: 'uint8',
    default: 1,
    min: 0,
    max: 9,
    since: '5.0',
    checkedSince: '8.0',
    description: 'zlib level for multifd-compression=zlib.',
  },
  {
    name: 'multifd-zstd-level',
    type: 'uint8',
    default: 1,
    min: 0,
    max: 20,
    since: '5.0',
    checkedSince: '8.0',
    description: 'zstd level for multifd-compression=zstd.',
  },
  { name: 'multifd-qatzip-level', type: 'uint8', default: 1, min: 1, max: 9, since: '9.2', description: 'QATzip level for multifd-compression=qatzip.' },
  {
    name: 'block-bitmap-mapping',
    type: '[BitmapMigrationNodeAlias]',
    since: '5.2',
    description: 'Which dirty bitmaps migrate under which node and bitmap names.',
  },
  {
    name: 'x-vcpu-dirty-limit-period',
    type: 'uint64',
    unit: 'ms',
    default: 1000,
    min: 1,
    max: 1000,
    since: '8.1',
    unstable: true,
    description: 'Period over which the dirty-limit capability measures each vCPU.',
  },
  {
    name: 'vcpu-dirty-limit',
    type: 'uint64',
    unit: 'MB/s',
    default: 1,
    min: 1,
    since: '8.1',
    description: 'Dirty rate per vCPU the dirty-limit capability holds the guest to.',
  },
  {
    name: 'mode',
    type: 'MigMode',
    default: 'normal',
    since: '8.2',
    description: 'Migration mode: normal, or one of the CPR modes that keep guest memory in place.',
  },
  {
    name: 'zero-page-detection',
    type: 'ZeroPageDetection',
    default: 'multifd',
    since: '9.0',
    description: 'Where zero pages are found: in the multifd threads, in the migration thread (legacy), or not at all.',
  },
  { name: 'direct-io', type: 'bool', default: false, since: '9.1', description: 'Open the migration file with O_DIRECT (file: URIs with mapped-ram).' },
  { name: 'cpr-exec-command', type: '[str]', since: '10.2', description: 'Command line the cpr-exec mode runs to start the new QEMU.' },
];

export const MIGRATION_CAPABILITIES: Fact[] = [
  { name: 'xbzrle', since: '1.2', description: 'Send a delta against a cache of earlier copies for pages that are sent again.' },
  { name: 'rdma-pin-all', since: '2.0', description: 'Pin all guest memory up front for RDMA migration.' },
  { name: 'auto-converge', since: '1.6', description: 'Slow the vCPUs down step by step when the guest dirties memory faster than it is sent.' },
  { name: 'zero-blocks', since: '1.6', deprecatedSince: '9.1', description: 'Skip zero blocks during block migration.' },
  {
    name: 'compress',
    since: '1.7',
    deprecatedSince: '8.2',
    removed: '9.1',
    description: 'Compress pages with zlib in helper threads (replaced by multifd compression).',
  },
  { name: 'events', since: '2.4', description: 'Send MIGRATION events on each state change.' },
  { name: 'postcopy-ram', since: '2.6', description: 'Allow switching to postcopy, where the destination runs and fetches missing pages on demand.' },
  { name: 'x-colo', since: '2.8', unstable: true, description: 'COLO fault tolerance (continuous checkpoints).' },
  { name: 'release-ram', since: '2.9', description: 'Free source memory as pages are sent during postcopy.' },
  { name: 'block', since: '2.10', deprecatedSince: '8.2', removed: '9.1', description: 'Migrate disk contents too (old block migration).' },
  { name: 'return-path', since: '2.8', description: 'Open a channel from the destination back to the source.' },
  { name: 'pause-before-switchover', since: '2.11', description: 'Stop in pre-switchover state and wait for migrate-continue.' },
  { name: 'multifd', since: '4.0', description: 'Send pages over several parallel channels.' },
  { name: 'dirty-bitmaps', since: '2.12', description: 'Migrate persistent block dirty bitmaps.' },
  { name: 'postcopy-blocktime', since: '3.0', description: 'Measure how long vCPUs wait for pages in postcopy.' },
  { name: 'late-block-activate', since: '3.0', description: 'Activate disks on the destination only at migrate-continue / cont.' },
  { name: 'x-ignore-shared', since: '4.0', unstable: true, description: 'Do not send memory that is shared with the destination.' },
  { name: 'validate-uuid', since: '4.2', description: 'Refuse a destination whose UUID differs from the source.' },
  { name: 'background-snapshot', since: '6.0', description: 'Take a snapshot with write protection while the guest keeps running.' },
  { name: 'zero-copy-send', since: '7.1', description: 'Send multifd pages without copying them (Linux, multifd without compression or TLS).' },
  { name: 'postcopy-preempt', since: '7.1', description: 'Use a separate channel for urgent postcopy page requests.' },
  { name: 'switchover-ack', since: '8.1', description: 'Wait for the destination to acknowledge before switchover (needs return-path).' },
  { name: 'dirty-limit', since: '8.1', description: 'Limit the dirty rate of each vCPU (KVM dirty ring) instead of auto-converge throttling.' },
  { name: 'mapped-ram', since: '9.0', description: 'Write each RAM page at a fixed offset of a migration file.' },
];

export interface EnumFact {
  name: string;
  values: Fact[];
}

const v = (name: string, since: string, description: string, extra: Partial<Fact> = {}): Fact => ({ name, since, description, ...extra });

export const MIGRATION_ENUMS: EnumFact[] = [
  {
    name: 'MultiFDCompression',
    values: [
      v('none', '5.0', 'No compression.'),
      v('zlib', '5.0', 'zlib compression.'),
      v('zstd', '5.0', 'zstd compression (builds with zstd).'),
      v('qpl', '9.1', 'Intel In-Memory Analytics Accelerator.'),
      v('uadk', '9.1', 'HiSilicon UADK accelerator.'),
      v('qatzip', '9.2', 'Intel QuickAssist (QATzip).'),
    ],
  },
  {
    name: 'MigMode',
    values: [
      v('normal', '8.2', 'Ordinary migration.'),
      v('cpr-reboot', '8.2', 'Save to a file and restore after a host reboot, memory kept in place.'),
      v('cpr-transfer', '10.0', 'Hand guest memory to a new QEMU on the same host.'),
      v('cpr-exec', '10.2', 'Hand guest memory over by exec-ing a new QEMU.'),
    ],
  },
  {
    name: 'ZeroPageDetection',
    values: [
      v('none', '9.0', 'Do not look for zero pages.'),
      v('legacy', '9.0', 'The migration thread looks for zero pages.'),
      v('multifd', '9.0', 'The multifd threads look for zero pages.'),
    ],
  },
  {
    name: 'MigrationStatus',
    values: [
      'none',
      'setup',
      'cancelling',
      'cancelled',
      'active',
      'postcopy-active',
      'postcopy-paused',
      'postcopy-recover',
      'completed',
      'failed',
      'colo',
      'pre-switchover',
      'device',
      'wait-unplug',
    ].map((n) => v(n, '2.11', 'Migration state.')),
  },
  { name: 'QMPCapability', values: [v('oob', '3.0', 'Out-of-band execution (exec-oob).')] },
];

export interface ArgFact extends Fact {
  type: string;
  optional: boolean;
}
export interface CommandFact extends Fact {
  args: ArgFact[];
}

const arg = (name: string, type: string, optional: boolean, since: string, description: string, extra: Partial<Fact> = {}): ArgFact => ({
  name,
  type,
  optional,
  since,
  description,
  ...extra,
});

export const MIGRATION_COMMANDS: CommandFact[] = [
  {
    name: 'qmp_capabilities',
    since: '0.13',
    description: 'Leave capabilities negotiation mode; must come first.',
    args: [arg('enable', '[QMPCapability]', true, '2.12', 'Optional protocol features to turn on, such as oob.')],
  },
  { name: 'migrate-set-parameters', since: '2.4', description: 'Change migration parameters.', args: [] },
  {
    name: 'migrate-set-capabilities',
    since: '1.2',
    description: 'Turn migration capabilities on or off (before migrate).',
    args: [arg('capabilities', '[MigrationCapabilityStatus]', false, '1.2', 'The capabilities to change.')],
  },
  {
    name: 'migrate',
    since: '0.14',
    description: 'Start an outgoing migration.',
    args: [
      arg('uri', 'str', false, '0.14', 'Where to send the stream: tcp:HOST:PORT, unix:PATH, exec:CMD, fd:NAME, file:PATH[,offset=N], rdma:HOST:PORT.'),
      arg('channels', '[any]', true, '8.2', 'Migration channels described as objects instead of a URI.'),
      arg('blk', 'bool', true, '0.14', 'Also migrate disk contents (old block migration).', { deprecatedSince: '8.2', removed: '9.1' }),
      arg('inc', 'bool', true, '0.14', 'Incremental disk copy (old block migration).', { deprecatedSince: '8.2', removed: '9.1' }),
      arg('detach', 'bool', true, '0.14', 'Has no effect: QMP migrate always returns at once.', { deprecatedSince: '9.1' }),
      arg('resume', 'bool', true, '3.0', 'Resume a paused postcopy migration.'),
    ],
  },
  {
    name: 'migrate-incoming',
    since: '2.3',
    description: 'Start listening for an incoming migration (QEMU started with -incoming defer).',
    args: [
      arg('uri', 'str', false, '2.3', 'Where to listen or read from.'),
      arg('channels', '[any]', true, '8.2', 'Migration channels described as objects instead of a URI.'),
      arg('exit-on-error', 'bool', true, '9.1', 'Exit QEMU when the incoming migration fails.'),
    ],
  },
  { name: 'migrate_cancel', since: '0.14', description: 'Cancel the outgoing migration.', args: [] },
  { name: 'migrate-start-postcopy', since: '2.5', description: 'Switch a running migration to postcopy (postcopy-ram must be on before migrate).', args: [] },
  {
    name: 'migrate-continue',
    since: '2.11',
    description: 'Go on from the pre-switchover pause.',
    args: [arg('state', 'MigrationStatus', false, '2.11', 'The state being left; pre-switchover.')],
  },
  { name: 'migrate-pause', since: '3.0', description: 'Pause a postcopy migration (its network is broken or slow).', args: [] },
  {
    name: 'migrate-recover',
    since: '3.0',
    description: 'Listen again for a paused postcopy migration (destination).',
    args: [arg('uri', 'str', false, '3.0', 'Where to listen.')],
  },
  { name: 'query-migrate', since: '0.14', description: 'Status and statistics of the current migration.', args: [] },
  { name: 'query-migrate-parameters', since: '2.4', description: 'All migration parameters in force.', args: [] },
  { name: 'query-migrate-capabilities', since: '1.2', description: 'All migration capabilities and their state.', args: [] },
];

/** The command line QEMU's HMP understands for the migration commands, and what each maps to. */
export const HMP_COMMANDS: Record<string, string> = {
  migrate_set_parameter: 'migrate-set-parameters',
  migrate_set_capability: 'migrate-set-capabilities',
  migrate: 'migrate',
  migrate_cancel: 'migrate_cancel',
  migrate_incoming: 'migrate-incoming',
  migrate_start_postcopy: 'migrate-start-postcopy',
  'info migrate': 'query-migrate',
  'info migrate_parameters': 'query-migrate-parameters',
  'info migrate_capabilities': 'query-migrate-capabilities',
};
