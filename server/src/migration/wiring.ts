// Where QEMU's C code must mention each migration parameter and capability: the places
// the avail-switchover-bandwidth patch (../shared/seed) had to touch besides the schema,
// found by function name in QEMU 8.2 and 10.2 (both trees use the same names). The wiring
// check (csource/wiringCheck.ts) reads this table; exceptions are QEMU's own choices,
// measured on its 8.2 and 10.2 trees, so its own trees give no warning.

export type WiringTarget = 'MigrationParameters' | 'MigrateSetParameters' | 'MigrationParameter' | 'MigrationCapability';

export interface WiringPlace {
  id: string;
  file: string;
  /** Function (or initialised array) looked up by name in `file`. */
  block: string;
  /** Whose members must appear there. */
  target: WiringTarget;
  /**
   * How a member appears: `field` as `->f`/`.f`/`has_f` after `->` or `.`; `constant` its
   * MIGRATION_PARAMETER_ constant; `case` that constant after `case`; `property` as `parameters.f`.
   */
  forms: readonly ('field' | 'constant' | 'case' | 'property')[];
  /** Which members the place concerns (by QAPI type); all when absent. */
  applies?: (type: string, array: boolean) => boolean;
  /** What goes wrong when a member is missing there. */
  consequence: string;
}

const INTEGER = /^u?int(8|16|32|64)?$|^size$/;

export const WIRING_PLACES: readonly WiringPlace[] = [
  {
    id: 'query',
    file: 'migration/options.c',
    block: 'qmp_query_migrate_parameters',
    target: 'MigrationParameters',
    forms: ['field'],
    consequence: 'query-migrate-parameters never reports it',
  },
  {
    id: 'check',
    file: 'migration/options.c',
    block: 'migrate_params_check',
    target: 'MigrationParameters',
    forms: ['field'],
    applies: (t, array) => !array && INTEGER.test(t),
    consequence: 'migrate-set-parameters accepts any value for it (no range check)',
  },
  {
    id: 'test-apply',
    file: 'migration/options.c',
    block: 'migrate_params_test_apply',
    target: 'MigrateSetParameters',
    forms: ['field'],
    consequence: 'a new value is not validated before it is applied',
  },
  {
    id: 'apply',
    file: 'migration/options.c',
    block: 'migrate_params_apply',
    target: 'MigrateSetParameters',
    forms: ['field'],
    consequence: 'migrate-set-parameters accepts it but never applies it',
  },
  {
    id: 'property',
    file: 'migration/options.c',
    block: 'migration_properties',
    target: 'MigrationParameters',
    forms: ['property'],
    applies: (_t, array) => !array,
    consequence: 'it has no -global migration.<name>=… property (and no default there)',
  },
  {
    id: 'hmp-info',
    file: 'migration/migration-hmp-cmds.c',
    block: 'hmp_info_migrate_parameters',
    target: 'MigrationParameters',
    forms: ['constant', 'field'],
    consequence: 'HMP info migrate_parameters never shows it',
  },
  {
    id: 'hmp-set',
    file: 'migration/migration-hmp-cmds.c',
    block: 'hmp_migrate_set_parameter',
    target: 'MigrationParameter',
    forms: ['case'],
    consequence: 'HMP migrate_set_parameter cannot set it',
  },
];

/**
 * Members QEMU's own tree leaves out of a place: on purpose, or upstream bugs found by
 * this check on the 8.2 tree and fixed later (`fixedIn`: the first release with the fix).
 */
export interface WiringException {
  place: string;
  member: string;
  fixedIn?: string;
  why: string;
}

export const WIRING_EXCEPTIONS: readonly WiringException[] = [
  { place: 'check', member: 'x-checkpoint-delay', why: 'every uint32 is a valid delay (QEMU says so in migrate_params_check)' },
  { place: 'check', member: 'max-postcopy-bandwidth', why: 'QEMU accepts any size' },
  {
    place: 'test-apply',
    member: 'tls-authz',
    fixedIn: '10.0',
    why: 'upstream bug, fixed by "migration: Fix latent bug in migrate_params_test_apply()" (b407c9e747)',
  },
  {
    place: 'test-apply',
    member: 'multifd-zlib-level',
    fixedIn: '9.0',
    why: 'upstream bug, fixed by "migration: Properly apply migration compression level parameters" (b4014a2bf5)',
  },
  { place: 'test-apply', member: 'multifd-zstd-level', fixedIn: '9.0', why: 'upstream bug, fixed by b4014a2bf5' },
  { place: 'apply', member: 'multifd-zlib-level', fixedIn: '9.0', why: 'upstream bug (the level was never applied), fixed by b4014a2bf5' },
  { place: 'apply', member: 'multifd-zstd-level', fixedIn: '9.0', why: 'upstream bug (the level was never applied), fixed by b4014a2bf5' },
  { place: 'property', member: 'block-incremental', why: 'deprecated in 8.2 and given no property (removed in 9.1)' },
  { place: 'property', member: 'direct-io', why: 'needs a run-time check of the platform, so it has no property' },
  { place: 'hmp-info', member: 'multifd-zlib-level', why: 'HMP has never shown the compression levels (still so in 10.2)' },
  { place: 'hmp-info', member: 'multifd-zstd-level', why: 'HMP has never shown the compression levels (still so in 10.2)' },
  { place: 'hmp-info', member: 'multifd-qatzip-level', why: 'HMP has never shown the compression levels (still so in 10.2)' },
];

/** A parameter's getter `migrate_<field>()`: defined in options.c, declared in a header, read elsewhere. */
export const GETTER = {
  definedIn: 'migration/options.c',
  /** Headers where QEMU declares the getters (misc.h holds the few used outside migration/). */
  declaredIn: ['migration/options.h', 'include/migration/misc.h', 'include/migration/client-options.h'],
  /** Where a read of the getter counts (beside options.c). */
  readIn: 'migration',
  name: (field: string) => `migrate_${field}`,
} as const;

/** A capability is read where its enum constant appears outside the property list. */
export const CAPABILITY_READ_IN = 'migration';
