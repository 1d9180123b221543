// The C names QEMU's QAPI generator backend (scripts/qapi/{common,gen,types,visit,
// commands,events}.py) makes from a schema, per version: what hover shows and what
// navigation between schema and C looks for. Member names use the checker's cName
// (QEMU's c_name without protection); only the backend's extras live here.
import type { RuleSet } from '../common/versions';
import type { Definition, Member, SchemaCheck, TypeRef } from '../qapi/model';
import { cName } from '../qapi/check/exprs';
import { allMembers } from '../qapi/features/schemaIndex';

// c_name(protect=True): words C, C++ and GCC reserve, and names polluted by system headers.
const PROTECTED = new Set([
  'auto',
  'break',
  'case',
  'char',
  'const',
  'continue',
  'default',
  'do',
  'double',
  'else',
  'enum',
  'extern',
  'float',
  'for',
  'goto',
  'if',
  'int',
  'long',
  'register',
  'return',
  'short',
  'signed',
  'sizeof',
  'static',
  'struct',
  'switch',
  'typedef',
  'union',
  'unsigned',
  'void',
  'volatile',
  'while',
  'inline',
  'restrict',
  '_Bool',
  '_Complex',
  '_Imaginary',
  '_Alignas',
  '_Alignof',
  '_Atomic',
  '_Generic',
  '_Noreturn',
  '_Static_assert',
  '_Thread_local',
  'asm',
  'typeof',
  'bool',
  'catch',
  'class',
  'const_cast',
  'delete',
  'dynamic_cast',
  'explicit',
  'false',
  'friend',
  'mutable',
  'namespace',
  'new',
  'operator',
  'private',
  'protected',
  'public',
  'reinterpret_cast',
  'static_cast',
  'template',
  'this',
  'throw',
  'true',
  'try',
  'typeid',
  'typename',
  'using',
  'virtual',
  'wchar_t',
  'and',
  'and_eq',
  'bitand',
  'bitor',
  'compl',
  'not',
  'not_eq',
  'or',
  'or_eq',
  'xor',
  'xor_eq',
  'unix',
  'errno',
  'mips',
  'sparc',
  'i386',
  'linux',
]);

/** QEMU's c_name(name, protect=True): struct members and parameters ('int' -> 'q_int'). */
export function cNameProtected(name: string): string {
  const c = cName(name);
  return PROTECTED.has(c) || /^[0-9]/.test(c) ? `q_${c}` : c;
}

const isUpperPy = (ch: string) => ch.toUpperCase() === ch && ch.toLowerCase() !== ch;
const isAlnum = (ch: string) => /[A-Za-z0-9]/.test(ch);

/** QEMU 9.2+ camel_to_upper (commit 7b29353fdd, "Smarter camel_to_upper()"). */
function camelToUpperSmart(value: string): string {
  let ret = value[0];
  let upc = isUpperPy(value[0]);
  for (const ch of value.slice(1)) {
    const u = isUpperPy(ch);
    if (u === upc) {
      /* same case: copy */
    } else if (upc) {
      if (ret.length > 2 && isAlnum(ret[ret.length - 2])) ret = ret.slice(0, -1) + '_' + ret[ret.length - 1];
    } else if (isAlnum(ret[ret.length - 1])) ret += '_';
    ret += ch;
    upc = u;
  }
  return cNameProtected(ret.toUpperCase()).replace(/^_+/, '');
}

/** QEMU up to 9.1 camel_to_upper. */
function camelToUpperOld(value: string): string {
  const s = cName(value);
  if (value === value.toUpperCase() && /[A-Za-z]/.test(value)) return s; // Python's str.isupper()
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (isUpperPy(ch) && i > 0 && s[i - 1] !== '_') {
      if (i < s.length - 1 && s[i + 1] !== s[i + 1].toUpperCase()) out += '_';
      else if (/[0-9]/.test(s[i - 1])) out += '_';
    }
    out += ch;
  }
  return out.replace(/^_+/, '').toUpperCase();
}

/** camel_to_upper of the version's generator: 'MigrationParameter' -> 'MIGRATION_PARAMETER'. */
export function camelToUpper(value: string, rules: RuleSet): string {
  return rules === '7.2' || rules === '8.2' ? camelToUpperOld(value) : camelToUpperSmart(value);
}

/** c_enum_const: 'MigrationParameter', 'avail-switchover-bandwidth' -> MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH. */
export function cEnumConst(typeName: string, value: string, rules: RuleSet, prefix?: string): string {
  // Before 9.2 the prefix went through camel_to_upper too; since, it is used as written.
  const p = prefix === undefined ? camelToUpper(typeName, rules) : rules === '7.2' || rules === '8.2' ? camelToUpper(prefix, rules) : prefix;
  return `${p}_${cName(value).toUpperCase()}`;
}

const BUILTIN_C: Record<string, string> = {
  str: 'char *',
  number: 'double',
  int: 'int64_t',
  int8: 'int8_t',
  int16: 'int16_t',
  int32: 'int32_t',
  int64: 'int64_t',
  uint8: 'uint8_t',
  uint16: 'uint16_t',
  uint32: 'uint32_t',
  uint64: 'uint64_t',
  size: 'uint64_t',
  bool: 'bool',
  any: 'QObject *',
  null: 'QNull *',
};

/** The C type of a type use (QAPISchemaType.c_type()). */
export function cTypeOf(check: SchemaCheck, t: TypeRef | undefined): string {
  if (!t) return 'void';
  const elem = t.name in BUILTIN_C ? t.name : cName(t.name);
  if (t.array) return `${t.name in BUILTIN_C ? builtinListName(t.name) : elem + 'List'} *`;
  if (t.name in BUILTIN_C) return BUILTIN_C[t.name];
  return check.model.byName.get(t.name)?.kind === 'enum' ? elem : `${elem} *`;
}
const builtinListName = (n: string) => `${n}List`;

/** c_param_type(): 'str' is passed as `const char *`. */
const cParamType = (check: SchemaCheck, t: TypeRef | undefined) => (t && !t.array && t.name === 'str' ? 'const char *' : cTypeOf(check, t));

/** has_<member> exists: every optional member up to 7.2; since 8.0 only where the C type is not a pointer, and for lists. */
export function needsHas(check: SchemaCheck, m: Member): boolean {
  if (!m.optional) return false;
  if (check.rules === '7.2') return true;
  return !!m.type && (m.type.array || !cTypeOf(check, m.type).endsWith('*'));
}

export type GeneratedKind =
  | 'type'
  | 'list'
  | 'visitor'
  | 'visitMembers'
  | 'free'
  | 'member'
  | 'has'
  | 'enumConst'
  | 'enumMax'
  | 'enumStr'
  | 'enumLookup'
  | 'handler'
  | 'marshal'
  | 'argStruct'
  | 'event'
  | 'eventConst';

export interface GeneratedName {
  name: string;
  kind: GeneratedKind;
  /** A C declaration to show (handler and event signatures, struct member lines). */
  decl?: string;
}

/** The enum's 'prefix' key, as written (it is a string, so not among the definition's flags). */
export function enumPrefix(check: SchemaCheck, def: Definition): string | undefined {
  for (const e of check.model.expressions.get(def.span.path) ?? []) {
    const r = e.node.range;
    if (r.start.line !== def.span.range.start.line || r.start.character !== def.span.range.start.character) continue;
    const p = e.node.entries.find((x) => x.key === 'prefix')?.value;
    return p?.kind === 'string' ? p.value : undefined;
  }
  return undefined;
}

/** The arguments a command's handler or an event's emitter takes (gen.py build_params). */
function params(check: SchemaCheck, def: Definition, extra?: string): string {
  const parts: string[] = [];
  const argType = def.argsType ? check.model.byName.get(def.argsType.name) : undefined;
  if (def.flags.boxed && def.argsType) parts.push(declare(cParamType(check, def.argsType), 'arg'));
  else {
    const members = argType ? allMembers(check, argType) : def.members.filter((m) => m.role === 'member');
    for (const m of members) {
      if (needsHas(check, m)) parts.push(`bool has_${cNameProtected(m.name)}`);
      parts.push(declare(cParamType(check, m.type), cNameProtected(m.name)));
    }
  }
  if (extra) parts.push(extra);
  return parts.length ? parts.join(', ') : 'void';
}

/** `T *x` and `int64_t x`, as the generator spaces them. */
const declare = (type: string, name: string) => (type.endsWith('*') ? type + name : `${type} ${name}`);
const sig = (ret: string, name: string, args: string) => `${declare(ret, name)}(${args});`;

const arrayUses = new WeakMap<SchemaCheck, Set<string>>();
/** `TList` exists only where the schema uses `['T']` somewhere. */
function listOf(check: SchemaCheck, def: Definition): GeneratedName[] {
  let used = arrayUses.get(check);
  if (!used) arrayUses.set(check, (used = new Set(check.model.typeRefs.filter((r) => r.array).map((r) => r.name))));
  const c = cName(def.name);
  return used.has(def.name) ? [{ name: `${c}List`, kind: 'list', decl: `typedef struct ${c}List ${c}List;` }] : [];
}

/** Every C name the generator makes from a definition (not its members). */
export function namesOfDefinition(check: SchemaCheck, def: Definition): GeneratedName[] {
  const c = cName(def.name);
  switch (def.kind) {
    case 'struct':
    case 'union':
    case 'alternate':
      return [
        { name: c, kind: 'type', decl: `typedef struct ${c} ${c};` },
        ...listOf(check, def),
        { name: `visit_type_${c}`, kind: 'visitor', decl: `bool visit_type_${c}(Visitor *v, const char *name, ${c} **obj, Error **errp);` },
        ...(def.kind === 'alternate'
          ? []
          : [{ name: `visit_type_${c}_members`, kind: 'visitMembers' as const, decl: `bool visit_type_${c}_members(Visitor *v, ${c} *obj, Error **errp);` }]),
        { name: `qapi_free_${c}`, kind: 'free', decl: `void qapi_free_${c}(${c} *obj);` },
      ];
    case 'enum': {
      const prefix = enumPrefix(check, def);
      return [
        { name: c, kind: 'type', decl: `typedef enum ${c} { … } ${c};` },
        { name: cEnumConst(def.name, '_MAX', check.rules, prefix), kind: 'enumMax' },
        { name: `${c}_str`, kind: 'enumStr', decl: `#define ${c}_str(val) qapi_enum_lookup(&${c}_lookup, (val))` },
        { name: `${c}_lookup`, kind: 'enumLookup', decl: `extern const QEnumLookup ${c}_lookup;` },
        { name: `visit_type_${c}`, kind: 'visitor', decl: `bool visit_type_${c}(Visitor *v, const char *name, ${c} *obj, Error **errp);` },
        ...listOf(check, def),
      ];
    }
    case 'command': {
      const ret = def.returns ? cTypeOf(check, def.returns) : 'void';
      // 'gen': false: QEMU generates nothing; the handler is written by hand under the usual name.
      if (def.flags.gen === false) return [{ name: `qmp_${c}`, kind: 'handler' }];
      const out: GeneratedName[] = [
        { name: `qmp_${c}`, kind: 'handler', decl: sig(def.flags.coroutine ? `${ret} coroutine_fn` : ret, `qmp_${c}`, params(check, def, 'Error **errp')) },
        { name: `qmp_marshal_${c}`, kind: 'marshal', decl: `void qmp_marshal_${c}(QDict *args, QObject **ret, Error **errp);` },
      ];
      if (!def.argsType && def.members.length) out.push({ name: `q_obj_${c}_arg`, kind: 'argStruct' });
      return out;
    }
    case 'event': {
      const out: GeneratedName[] = [
        {
          name: `qapi_event_send_${cName(def.name.toLowerCase())}`,
          kind: 'event',
          decl: sig('void', `qapi_event_send_${cName(def.name.toLowerCase())}`, params(check, def)),
        },
        { name: cEnumConst('QAPIEvent', def.name, check.rules, 'QAPI_EVENT'), kind: 'eventConst' },
      ];
      if (!def.argsType && def.members.length) out.push({ name: `q_obj_${c}_arg`, kind: 'argStruct' });
      return out;
    }
  }
}

/** The C names of one member of a definition (struct field and has_ flag, enum constant, handler parameter). */
export function namesOfMember(check: SchemaCheck, def: Definition, m: Member): GeneratedName[] {
  if (m.role === 'value') {
    return [{ name: cEnumConst(def.name, m.name, check.rules, enumPrefix(check, def)), kind: 'enumConst' }];
  }
  const field = cNameProtected(m.name);
  const out: GeneratedName[] = [];
  if (needsHas(check, m)) out.push({ name: `has_${field}`, kind: 'has', decl: `bool has_${field};` });
  out.push({ name: field, kind: 'member', decl: `${declare(cTypeOf(check, m.type), (m.role === 'branch' ? 'u.' : '') + field)};` });
  return out;
}

export interface NameOwner {
  def: Definition;
  member?: Member;
  name: GeneratedName;
}

const reverseCache = new WeakMap<SchemaCheck, Map<string, NameOwner>>();

/**
 * Every generated identifier of the schema that names one thing (types, functions,
 * enum constants), for going from C back to the schema. Struct fields are left out:
 * `->name` says nothing without knowing the variable's type.
 */
export function generatedIdentifiers(check: SchemaCheck): Map<string, NameOwner> {
  let map = reverseCache.get(check);
  if (map) return map;
  map = new Map();
  for (const def of check.model.definitions) {
    for (const n of namesOfDefinition(check, def)) if (!map.has(n.name)) map.set(n.name, { def, name: n });
    if (def.kind === 'enum') {
      for (const m of def.members) for (const n of namesOfMember(check, def, m)) if (!map.has(n.name)) map.set(n.name, { def, member: m, name: n });
    }
  }
  reverseCache.set(check, map);
  return map;
}

/** Markdown for hover: the C names of a definition or member. */
export function describeGenerated(check: SchemaCheck, def: Definition, m?: Member): string {
  const names = m ? namesOfMember(check, def, m) : namesOfDefinition(check, def);
  const lines = names.map((n) => n.decl ?? n.name);
  if (m && m.role !== 'value' && def.kind === 'command') {
    const h = namesOfDefinition(check, def).find((n) => n.kind === 'handler');
    if (h?.decl) lines.push(`/* parameter of */ ${h.decl}`);
  }
  return `**Generated C (QEMU ${check.rules} generator)**\n\n\`\`\`c\n${lines.join('\n')}\n\`\`\``;
}
