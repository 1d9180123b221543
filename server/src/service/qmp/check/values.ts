// Type checks of a value against a schema type, as QEMU's QObject input visitor
// judges it: JSON types, integer widths (uint64/size wrap negative numbers, smaller
// unsigned types refuse them), enum values, required and unknown members.
import { QmpCode } from '../codes';
import { MIGRATION_CAPABILITIES, MIGRATION_ENUMS, type Fact } from '../../../migration/facts';
import { existsIn, factFor } from '../schema/facts';
import { objectMembers, type BuiltinName, type MemberInfo, type QmpSchema, type SMember, type SType } from '../schema/types';
import { qemuStrtosz } from '../units';
import { describeKind, type JObject, type JValue, type Span } from '../script/value';
import type { FixData, Reporter } from './report';
import { didYouMean, suggest } from '../../common/suggest';

const INT_RANGE: Partial<Record<BuiltinName, [bigint, bigint]>> = {
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  size: [0n, 2n ** 64n - 1n],
};

/** What an introspection `int` may hold: QEMU's JSON parser reads integers up to 2^64-1 as integers. */
const ANY_64BIT: [bigint, bigint] = [-(2n ** 63n), 2n ** 64n - 1n];
/** int64 types: past their range QEMU's parser hands the visitor an unsigned or a double, refused as a wrong type. */
const SIGNED_64 = new Set<BuiltinName>(['int', 'int64']);

export interface ValueContext {
  schema: QmpSchema;
  report: Reporter;
  /** Which facts to ask when a member is unknown: 'parameter' for migrate-set-parameters, 'argument' otherwise. */
  command: string;
  /** The command accepts undeclared arguments (device_add). */
  open?: boolean;
}

/** The JSON kinds a type accepts, for alternates and messages. */
function accepts(schema: QmpSchema, t: SType | undefined): string[] {
  if (!t) return [];
  switch (t.kind) {
    case 'builtin':
      switch (t.builtin) {
        case 'str':
          return ['string'];
        case 'bool':
          return ['bool'];
        case 'null':
          return ['null'];
        case 'number':
          return ['number'];
        case 'any':
          return ['string', 'bool', 'null', 'number', 'object', 'array'];
        default:
          return ['integer'];
      }
    case 'enum':
      return ['string'];
    case 'object':
      return ['object'];
    case 'array':
      return ['array'];
    case 'alternate':
      return t.types.flatMap((n) => accepts(schema, schema.types.get(n)));
  }
}

const KIND_WORD: Record<string, string> = {
  string: 'a string',
  bool: 'true or false',
  null: 'null',
  number: 'a number',
  integer: 'an integer',
  object: 'an object',
  array: 'an array',
};

export function expectedText(schema: QmpSchema, typeName: string): string {
  const t = schema.types.get(typeName);
  if (t?.kind === 'builtin' && INT_RANGE[t.builtin]) return `an integer (${t.builtin})`;
  if (t?.kind === 'enum')
    return `one of ${[...t.values.keys()]
      .slice(0, 8)
      .map((v) => `'${v}'`)
      .join(', ')}${t.values.size > 8 ? ', ...' : ''}`;
  return [...new Set(accepts(schema, t))].map((k) => KIND_WORD[k]).join(' or ') || 'a value';
}

export function checkValue(ctx: ValueContext, v: JValue, typeName: string, what: string): void {
  if (v.kind === 'elided') return;
  const t = ctx.schema.types.get(typeName);
  if (!t) return;
  switch (t.kind) {
    case 'builtin': {
      const b = t.builtin;
      if (b === 'any') return;
      // A query-qmp-schema reply calls every integer `int`: any integer QEMU could accept
      // (int64 or uint64) must pass unless QAPI sources or facts gave the width (select.ts).
      const range = b === 'int' && ctx.schema.source === 'introspection' ? ANY_64BIT : INT_RANGE[b];
      if (range) return checkInteger(ctx, v, b, range, what, typeName);
      const ok = b === 'str' ? v.kind === 'string' : b === 'bool' ? v.kind === 'bool' : b === 'null' ? v.kind === 'null' : v.kind === 'number';
      if (ok) return;
      if (b === 'bool' && v.kind === 'string' && /^(on|off|yes|no|true|false)$/i.test(v.value)) {
        const val = /^(on|yes|true)$/i.test(v.value);
        return wrongType(ctx, v, typeName, what, '', { kind: 'replace', title: `Use ${val}`, text: String(val) });
      }
      return wrongType(ctx, v, typeName, what, '');
    }
    case 'enum': {
      if (v.kind !== 'string') return wrongType(ctx, v, typeName, what, '');
      const info = t.values.get(v.value);
      if (!info) {
        const fact = enumValueFact(t.values, v.value);
        if (fact && !existsIn(fact, ctx.schema.version))
          return ctx.report.error(v, QmpCode.notInVersion, versionMessage(`'${v.value}'`, fact, ctx.schema.version));
        const s = suggest(v.value, t.values);
        return ctx.report.error(
          v,
          QmpCode.enumValue,
          `${what} does not accept '${v.value}'${didYouMean(s)}`,
          s.length ? { kind: 'suggest', names: s } : undefined,
        );
      }
      if (info.deprecated) ctx.report.warn(v, QmpCode.deprecated, `'${v.value}' is deprecated and will be removed from QEMU`);
      if (info.unstable) ctx.report.warn(v, QmpCode.unstable, `'${v.value}' is unstable (experimental) and may change without notice`);
      return;
    }
    case 'array':
      if (v.kind !== 'array') return wrongType(ctx, v, typeName, what, '');
      v.items.forEach((item, i) => checkValue(ctx, item, t.element, `${what}[${i}]`));
      return;
    case 'alternate': {
      const kind = v.kind === 'number' ? (v.integer ? 'integer' : 'number') : v.kind;
      for (const n of t.types) {
        const k = accepts(ctx.schema, ctx.schema.types.get(n));
        if (k.includes(kind) || (kind === 'integer' && k.includes('number'))) return checkValue(ctx, v, n, what);
      }
      return wrongType(ctx, v, typeName, what, '');
    }
    case 'object':
      if (v.kind !== 'object') return wrongType(ctx, v, typeName, what, '');
      return checkObject(ctx, v, t, what);
  }
}

/**
 * The shipped fact about an enum value this schema lacks. Introspection names types
 * by number, so the enum is recognised by sharing values with a known one.
 */
function enumValueFact(values: Map<string, unknown>, value: string): Fact | undefined {
  const known: Fact[][] = [MIGRATION_CAPABILITIES, ...MIGRATION_ENUMS.map((e) => e.values)];
  for (const list of known) {
    const fact = list.find((f) => f.name === value);
    if (fact && list.some((f) => f.name !== value && values.has(f.name))) return fact;
  }
  return undefined;
}

function wrongType(ctx: ValueContext, v: JValue, typeName: string, what: string, extra: string, data?: FixData): void {
  ctx.report.error(v, QmpCode.wrongType, `${what} must be ${expectedText(ctx.schema, typeName)}, not ${describeKind(v)}${extra}`, data);
}

function checkInteger(ctx: ValueContext, v: JValue, b: BuiltinName, [min, max]: [bigint, bigint], what: string, typeName: string): void {
  if (v.kind === 'string' && (b === 'size' || b === 'uint64')) {
    const bare = /^\s*\d+\s*$/.test(v.value);
    const r = qemuStrtosz(v.value, 1);
    if ('value' in r) {
      return ctx.report.error(
        v,
        QmpCode.sizeString,
        `${what}: QMP takes a plain number, not the string ${JSON.stringify(v.value)}${bare ? '' : ' (size suffixes work only in HMP)'}; write ${r.value}`,
        { kind: 'replace', title: `Replace with ${r.value}`, text: r.value.toString() },
      );
    }
  }
  if (v.kind !== 'number') return wrongType(ctx, v, typeName, what, '');
  if (!v.integer) return wrongType(ctx, v, typeName, what, ' (QMP integers have no fraction or exponent)');
  const n = BigInt(v.text);
  if (n < 0n && (b === 'uint64' || b === 'size') && n >= -(2n ** 63n)) {
    const wrapped = 2n ** 64n + n;
    return ctx.report.warn(v, QmpCode.negativeWraps, `${what}: QEMU accepts ${v.text} but reads it as ${wrapped} (negative numbers wrap around for ${b})`);
  }
  if (n >= min && n <= max) return;
  if (max === ANY_64BIT[1]) return ctx.report.error(v, QmpCode.integerRange, `${what} must be an integer of at most 64 bits, not ${v.text}`);
  if (SIGNED_64.has(b)) {
    // JSON integers of 2^63 and up reach the visitor as unsigned (past 2^64-1 as a double):
    // an int64 member refuses them as the wrong type ("Invalid parameter type").
    return ctx.report.error(
      v,
      QmpCode.wrongType,
      `${what} must be an integer (${b}, at most ${max}); QEMU reads ${v.text} as ${n > 2n ** 64n - 1n || n < min ? 'a floating-point number' : 'an unsigned integer'} and refuses it as the wrong type`,
    );
  }
  ctx.report.error(v, QmpCode.integerRange, `${what} must be between ${min} and ${max} (${b}), not ${v.text}`);
}

function checkObject(ctx: ValueContext, v: JObject, t: Extract<SType, { kind: 'object' }>, what: string): void {
  const members = objectMembers(ctx.schema, t, (key) => {
    const e = v.entries.find((x) => x.key === key);
    return e?.value.kind === 'string' ? e.value.value : undefined;
  });
  // QEMU visits the tag first: when it refuses the tag's value it stops there, so the
  // members of the variant meant are neither unknown nor missing.
  const tagEntry = t.variants ? v.entries.find((x) => x.key === t.variants!.tag) : undefined;
  const tagRefused = !!tagEntry && !(tagEntry.value.kind === 'string' && tagAccepted(ctx.schema, t, tagEntry.value.value));
  const open = (ctx.open && what === 'arguments') || tagRefused;
  const seen = new Set<string>();
  for (const e of v.entries) {
    if (seen.has(e.key)) {
      ctx.report.error(e.keySpan, QmpCode.duplicateKey, `'${e.key}' is given twice; QEMU refuses duplicate keys`);
      continue;
    }
    seen.add(e.key);
    const m = members.get(e.key);
    if (!m) {
      if (open) continue;
      unknownMember(ctx, e.key, e.keySpan, { start: e.keySpan.start, end: e.value.end }, members, what);
      continue;
    }
    memberWarnings(ctx, m, e.keySpan);
    checkValue(ctx, e.value, m.type, `'${e.key}'`);
  }
  if (v.elided || tagRefused) return;
  for (const m of members.values()) {
    if (!m.optional && !seen.has(m.name))
      ctx.report.error(
        spanOfOpen(v),
        QmpCode.missingArgument,
        `${what === 'arguments' ? `command '${ctx.command}'` : what} lacks the required member '${m.name}'`,
      );
  }
}

/** The tag's enum accepts the value (a union may have no branch for a value it accepts). */
function tagAccepted(schema: QmpSchema, t: Extract<SType, { kind: 'object' }>, value: string): boolean {
  const tagType = schema.types.get(t.members.get(t.variants!.tag)?.type ?? '');
  return tagType?.kind === 'enum' ? tagType.values.has(value) : t.variants!.cases.has(value);
}

const spanOfOpen = (v: JObject): Span => ({ start: v.start, end: v.start + 1 });

export function memberWarnings(ctx: ValueContext, m: MemberInfo & { name: string }, span: Span): void {
  if (m.deprecated) ctx.report.warn(span, QmpCode.deprecated, `'${m.name}' is deprecated and will be removed from QEMU`);
  if (m.unstable) ctx.report.warn(span, QmpCode.unstable, `'${m.name}' is unstable (experimental) and may change without notice`);
}

function unknownMember(ctx: ValueContext, key: string, keySpan: Span, whole: Span, members: Map<string, SMember>, what: string): void {
  const fact = ctx.command === 'migrate-set-parameters' ? factFor('parameter', key) : factFor('argument', key, ctx.command);
  if (fact && !existsIn(fact, ctx.schema.version) && !members.has(key)) {
    return ctx.report.error(keySpan, QmpCode.notInVersion, versionMessage(`'${key}'`, fact, ctx.schema.version), {
      kind: 'remove',
      title: `Remove '${key}'`,
      span: whole,
    });
  }
  const s = suggest(key, members);
  const where = what === 'arguments' ? `command '${ctx.command}'` : what;
  ctx.report.error(
    keySpan,
    QmpCode.unknownArgument,
    `${where} has no member '${key}'${didYouMean(s)}`,
    s.length ? { kind: 'suggest', names: s } : { kind: 'remove', title: `Remove '${key}'`, span: whole },
  );
}

export function versionMessage(what: string, fact: { since: string; removed?: string }, version: string): string {
  return fact.removed && existsIn({ ...fact, removed: undefined } as never, version)
    ? `${what} was removed in QEMU ${fact.removed}; the target is QEMU ${version}`
    : `${what} appeared in QEMU ${fact.since}; the target is QEMU ${version} (set "# qemu: ${fact.since}" or an introspection file of a build that has it)`;
}

export function checkArguments(ctx: ValueContext, args: JObject | undefined, argsType: string | undefined, at: Span): void {
  const t = argsType ? ctx.schema.types.get(argsType) : undefined;
  if (!args) {
    if (t?.kind === 'object') {
      for (const m of objectMembers(ctx.schema, t).values()) {
        if (!m.optional) ctx.report.error(at, QmpCode.missingArgument, `command '${ctx.command}' needs the argument '${m.name}'`);
      }
    }
    return;
  }
  if (!t) {
    for (const e of args.entries) unknownMember(ctx, e.key, e.keySpan, { start: e.keySpan.start, end: e.value.end }, new Map(), 'arguments');
    return;
  }
  checkValue(ctx, args, t.name, 'arguments');
}
