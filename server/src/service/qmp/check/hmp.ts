// HMP's migrate_set_parameter reads its value as text; this turns it into the QMP
// value QEMU would build (hmp_migrate_set_parameter), so the rest of the checks
// treat HMP and QMP alike. Size members take suffixes; max-bandwidth and
// avail-switchover-bandwidth read a bare number as MiB/s.
import { QmpCode } from '../codes';
import type { Statement } from '../script/parse';
import type { JObject, JValue } from '../script/value';
import type { QmpSchema } from '../schema/types';
import { qemuStrtosz } from '../units';
import type { Reporter } from './report';

const MIB_DEFAULT = new Set(['max-bandwidth', 'avail-switchover-bandwidth']);

export function convertHmpValue(st: Statement, schema: QmpSchema, report: Reporter): void {
  const word = st.hmp?.valueWord;
  const args = (st.value as JObject).entries.find((e) => e.key === 'arguments')?.value as JObject | undefined;
  const entry = args?.entries[0];
  if (!word || !entry) return;
  const argsType = schema.types.get(schema.commands.get('migrate-set-parameters')?.args ?? '');
  const m = argsType?.kind === 'object' ? argsType.members.get(entry.key) : undefined;
  const t = m ? schema.types.get(m.type) : undefined;
  if (t?.kind !== 'builtin') return;
  const num = (n: bigint): JValue => ({ kind: 'number', value: Number(n), text: n.toString(), integer: true, start: word.start, end: word.end });
  switch (t.builtin) {
    case 'bool': {
      const b = /^(on|yes|true)$/i.test(word.text) ? true : /^(off|no|false)$/i.test(word.text) ? false : undefined;
      if (b === undefined) report.error(word, QmpCode.wrongType, `${entry.key} takes on or off in HMP, not '${word.text}'`);
      else entry.value = { kind: 'bool', value: b, start: word.start, end: word.end };
      return;
    }
    case 'size': case 'uint64': {
      const r = qemuStrtosz(word.text, MIB_DEFAULT.has(entry.key) ? 2 ** 20 : 1);
      if ('error' in r) report.error(word, QmpCode.hmpSize, `HMP cannot read '${word.text}' as a size for ${entry.key}: ${r.error}`);
      else if (MIB_DEFAULT.has(entry.key) && r.value > 2n ** 63n - 1n) report.error(word, QmpCode.hmpSize, `${entry.key} must stay below 2^63 bytes/s`);
      else entry.value = num(r.value);
      return;
    }
    case 'str': case 'any': case 'null': case 'number':
      return;
    default:
      if (/^-?\d+$/.test(word.text)) entry.value = num(BigInt(word.text));
      else report.error(word, QmpCode.wrongType, `${entry.key} takes an integer in HMP, not '${word.text}'`);
  }
}
