// HMP's migrate_set_parameter reads its value as text; this turns it into the QMP
// value QEMU would build (hmp_migrate_set_parameter), so the rest of the checks
// treat HMP and QMP alike. Size members take suffixes; max-bandwidth and
// avail-switchover-bandwidth read a bare number as MiB/s.
import { QmpCode } from '../codes';
import type { Statement } from '../script/parse';
import type { JObject, JValue } from '../script/value';
import { atLeast } from '../schema/facts';
import type { QmpSchema } from '../schema/types';
import { qemuStrtosz } from '../units';
import type { Reporter } from './report';

const MIB_DEFAULT = new Set(['max-bandwidth', 'avail-switchover-bandwidth']);

export function convertHmpValue(st: Statement, schema: QmpSchema, report: Reporter): void {
  const hmp = st.hmp;
  const args = (st.value as JObject).entries.find((e) => e.key === 'arguments')?.value as JObject | undefined;
  const entry = args?.entries[0];
  if (!hmp?.valueWord || !entry) return;
  // QEMU 10.2 reads the value as the rest of the line (`value:S`, quotes and spaces
  // kept); before, one string argument (`value:s`), and more words are refused.
  const whole = atLeast(schema.version, '10.2');
  if (!whole && hmp.valueProblem) {
    report.error(hmp.valueProblem, QmpCode.wrongType, `${hmp.valueProblem.message} (QEMU before 10.2: migrate_set_parameter: string expected)`);
    return;
  }
  if (!whole && hmp.extra) {
    report.error(
      { start: hmp.extra.start, end: st.span.end },
      QmpCode.wrongType,
      `migrate_set_parameter takes one value before QEMU 10.2 (QEMU: extraneous characters at the end of line)`,
    );
    return;
  }
  const word = whole && hmp.valueRest ? hmp.valueRest : hmp.valueWord;
  entry.value = { kind: 'string', value: word.text, start: word.start, end: word.end };
  const argsType = schema.types.get(schema.commands.get('migrate-set-parameters')?.args ?? '');
  const m = argsType?.kind === 'object' ? argsType.members.get(entry.key) : undefined;
  const t = m ? schema.types.get(m.type) : undefined;
  if (t?.kind !== 'builtin') return;
  const num = (n: bigint): JValue => ({ kind: 'number', value: Number(n), text: n.toString(), integer: true, start: word.start, end: word.end });
  switch (t.builtin) {
    case 'bool': {
      // The string input visitor's qapi_bool_parse: exactly these words.
      const b = BOOL_WORDS[word.text];
      if (b === undefined) report.error(word, QmpCode.wrongType, `${entry.key} takes on or off in HMP (also yes/no, true/false, y/n), not '${word.text}'`);
      else entry.value = { kind: 'bool', value: b, start: word.start, end: word.end };
      return;
    }
    case 'size':
    case 'uint64': {
      const r = qemuStrtosz(word.text, MIB_DEFAULT.has(entry.key) ? 2 ** 20 : 1);
      if ('error' in r) report.error(word, QmpCode.hmpSize, `HMP cannot read '${word.text}' as a size for ${entry.key}: ${r.error}`);
      else if (MIB_DEFAULT.has(entry.key) && r.value > 2n ** 63n - 1n) report.error(word, QmpCode.hmpSize, `${entry.key} must stay below 2^63 bytes/s`);
      else entry.value = num(r.value);
      return;
    }
    case 'str':
    case 'any':
    case 'null':
    case 'number':
      return;
    default: {
      // The string input visitor reads integers with qemu_strtou64/qemu_strtoi64, base 0:
      // 0x.. is hex, a leading 0 octal; a negative number wraps for unsigned types.
      const n = strtoBase0(word.text);
      if (n === undefined) return report.error(word, QmpCode.wrongType, `${entry.key} takes an integer in HMP, not '${word.text}'`);
      entry.value = num(n < 0n && t.builtin.startsWith('u') ? 2n ** 64n + n : n);
    }
  }
}

const BOOL_WORDS: Record<string, boolean> = { on: true, yes: true, true: true, y: true, off: false, no: false, false: false, n: false };

/** strtoull/strtoll with base 0 over the whole text (leading spaces allowed), or undefined. */
function strtoBase0(text: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2];
  const v = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  if (v > 2n ** 64n - 1n) return undefined;
  return m[1] === '-' ? -v : v;
}
