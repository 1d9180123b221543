// Diagnostic codes of QMP script checks, and the error class a real QEMU answers
// with for each rejection (the differential test compares them command by command).

export const QmpCode = {
  // script syntax (what a JSON stream / transcript / qmp-shell / HMP line cannot be read as)
  syntax: 'qmp-syntax',
  // schema-level rejections (QEMU's dispatcher and input visitor)
  notObject: 'qmp-not-object',
  missingExecute: 'qmp-missing-execute',
  executeNotString: 'qmp-execute-not-string',
  argumentsNotObject: 'qmp-arguments-not-object',
  unexpectedMember: 'qmp-unexpected-member',
  duplicateKey: 'qmp-duplicate-key',
  commandNotFound: 'qmp-command-not-found',
  unknownArgument: 'qmp-unknown-argument',
  missingArgument: 'qmp-missing-argument',
  wrongType: 'qmp-wrong-type',
  integerRange: 'qmp-integer-range',
  enumValue: 'qmp-enum-value',
  sizeString: 'qmp-size-string',
  // version gates
  notInVersion: 'qmp-not-in-version',
  // command-level checks (migrate_params_check and friends)
  parameterRange: 'qmp-parameter-range',
  capabilityCombination: 'qmp-capability-combination',
  state: 'qmp-state',
  // warnings
  deprecated: 'qmp-deprecated',
  unstable: 'qmp-unstable',
  negativeWraps: 'qmp-negative-wraps',
  ignoredByQemu: 'qmp-ignored-by-qemu',
  hmpSize: 'qmp-hmp-size',
  // the script header (# qemu: / # workload:) and the schema source in use
  header: 'qmp-header',
  schemaSource: 'qmp-schema-source',
} as const;
export type QmpCode = (typeof QmpCode)[keyof typeof QmpCode];

/** The `error.class` QEMU answers with; everything but an unknown command is GenericError. */
export function qemuErrorClass(code: QmpCode): 'CommandNotFound' | 'GenericError' | null {
  switch (code) {
    case QmpCode.commandNotFound:
      return 'CommandNotFound';
    case QmpCode.deprecated:
    case QmpCode.unstable:
    case QmpCode.negativeWraps:
    case QmpCode.ignoredByQemu:
    case QmpCode.syntax:
    case QmpCode.header:
    case QmpCode.schemaSource:
      return null;
    default:
      return 'GenericError';
  }
}
