// The one schema abstraction the QMP checks, hover and completion read. Three
// sources feed it (introspection reply, QAPI sources, shipped facts); see
// schema/select.ts for the precedence and how they are combined.
import { BUILTIN_TYPES } from '../../qapi/model';

/** QAPI's built-in types, as the QAPI model lists them. */
export type BuiltinName = (typeof BUILTIN_TYPES)[number];

/** Facts a member can carry beyond its type (from QAPI docs or the shipped facts). */
export interface MemberInfo {
  since?: string;
  deprecated?: boolean;
  unstable?: boolean;
  /** Documentation text (QAPI doc comment, or our own description from the facts). */
  doc?: string;
  /** 'B', 'B/s', 'ms', '%', 'MB/s' ... */
  unit?: string;
  default?: string | number | boolean;
  /** Inclusive range QEMU's command-level check enforces (migrate_params_check). */
  min?: number;
  max?: number;
}

export interface SMember extends MemberInfo {
  name: string;
  type: string;
  optional: boolean;
}

export type SType =
  | { kind: 'builtin'; name: string; builtin: BuiltinName }
  | { kind: 'enum'; name: string; values: Map<string, MemberInfo> }
  | { kind: 'object'; name: string; members: Map<string, SMember>; variants?: { tag: string; cases: Map<string, string> } }
  | { kind: 'array'; name: string; element: string }
  | { kind: 'alternate'; name: string; types: string[] };

export interface SCommand extends MemberInfo {
  name: string;
  /** Object type of the arguments; undefined when the command takes none. */
  args?: string;
  /** Whether exec-oob may run it; undefined when the source cannot tell (shipped facts). */
  allowOob?: boolean;
  /** The command takes members beyond its declared ones (QAPI `gen: false`, e.g. device_add's properties). */
  openArgs?: boolean;
}

export type SourceKind = 'introspection' | 'qapi' | 'facts';

export interface QmpSchema {
  source: SourceKind;
  /** For the status item: which file or which shipped version. */
  detail: string;
  /** Target version (rules), e.g. '7.2'. */
  version: string;
  commands: Map<string, SCommand>;
  types: Map<string, SType>;
  /** False for the shipped facts: they know only migration commands, so other commands are not errors. */
  complete: boolean;
}

export function builtinType(name: BuiltinName): SType {
  return { kind: 'builtin', name, builtin: name };
}

export function addBuiltins(types: Map<string, SType>): void {
  for (const b of BUILTIN_TYPES) if (!types.has(b)) types.set(b, builtinType(b));
}

/**
 * The members of an object type, including those of the variant its tag selects
 * (`memberValue` gives the string value of a member in the object at hand); variants
 * nest (MigrationAddress -> SocketAddress -> InetSocketAddress).
 */
export function objectMembers(schema: QmpSchema, t: SType, memberValue?: (key: string) => string | undefined, depth = 0): Map<string, SMember> {
  if (t.kind !== 'object') return new Map();
  const tagValue = t.variants && memberValue ? memberValue(t.variants.tag) : undefined;
  if (!t.variants || tagValue === undefined || depth > 8) return t.members;
  const caseType = schema.types.get(t.variants.cases.get(tagValue) ?? '');
  if (!caseType || caseType.kind !== 'object') return t.members;
  return new Map([...t.members, ...objectMembers(schema, caseType, memberValue, depth + 1)]);
}
