// The status item of a QAPI file: which QEMU version's rules apply and why.
import { formatVersion } from '../../common/versions';
import type { LanguageStatus } from '../../language';
import type { SchemaCheck } from '../model';

export function status(check: SchemaCheck): LanguageStatus {
  const v = check.version;
  const why =
    v.source === 'setting'
      ? `the qapi.qemuVersion setting (${formatVersion(v.version)})`
      : v.source === 'VERSION file'
        ? `the VERSION file ${v.versionFile} (QEMU ${formatVersion(v.version)})`
        : 'no setting and no VERSION file above the schema, so the newest rules';
  const m = check.model;
  const rulesNote = formatVersion(v.version) === check.rules ? '' : ` (QEMU ${formatVersion(v.version)} uses the ${check.rules} rules)`;
  return {
    text: `QEMU ${check.rules} rules (${v.source})`,
    detail: [
      `Rules of QEMU ${check.rules}${rulesNote}, chosen by ${why}.`,
      `Schema root: ${m.root} (${m.files.length} file${m.files.length === 1 ? '' : 's'}, ${m.definitions.length} definitions).`,
      check.firstError
        ? `QEMU's generator would stop at ${check.firstError.path}:${check.firstError.line}: ${check.firstError.message}`
        : "QEMU's generator would accept this schema.",
    ].join('\n'),
  };
}
