// The checked QAPI schema as the editor features see it. The checker (project.ts)
// builds it; hover, completion, symbols, navigation and the QMP checker read it.
// Ranges are LSP ranges (0-based line and UTF-16 column) inside `path`.
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { ResolvedVersion, RuleSet } from '../common/versions';

export interface Span {
  path: string;
  range: Range;
}

// ---- the value tree of one top-level expression (QAPI's JSON dialect) ----
export type QNode = QString | QBool | QArray | QObject;
export interface QString {
  kind: 'string';
  value: string;
  range: Range;
}
export interface QBool {
  kind: 'bool';
  value: boolean;
  range: Range;
}
export interface QArray {
  kind: 'array';
  items: QNode[];
  range: Range;
}
export interface QEntry {
  key: string;
  keyRange: Range;
  value: QNode;
}
export interface QObject {
  kind: 'object';
  entries: QEntry[];
  range: Range;
}

/** A `##` documentation block, raw, as written. */
export interface DocBlock {
  path: string;
  range: Range;
  /** The text of each line with the leading `#` and one space removed. */
  lines: string[];
}

export interface TopLevelExpr {
  path: string;
  node: QObject;
  /** The doc block directly before the expression, if any. */
  doc?: DocBlock;
}

// ---- definitions ----
export type DefKind = 'enum' | 'struct' | 'union' | 'alternate' | 'command' | 'event';

export interface TypeRef {
  /** Without brackets: `['int']` gives name 'int' and array true. */
  name: string;
  array: boolean;
  span: Span;
}

export interface Feature {
  name: string;
  span: Span;
  ifCond?: string;
}

export interface Member {
  name: string;
  span: Span;
  /** struct/command/event members, enum values, union and alternate branches. */
  role: 'member' | 'value' | 'branch';
  optional: boolean;
  type?: TypeRef;
  ifCond?: string;
  features: Feature[];
}

export interface DefinitionDoc {
  span: Span;
  /** Free text before the first section, joined with newlines. */
  body: string;
  /** `@name:` texts of members and of features. */
  members: Map<string, string>;
  features: Map<string, string>;
  /** Tagged sections in order: Returns, Errors, Since, TODO, Note(s), Example(s), ... */
  sections: { tag: string; text: string }[];
  since?: string;
}

export interface Definition {
  kind: DefKind;
  name: string;
  /** The whole `{ ... }` expression. */
  span: Span;
  /** The name string after the kind key. */
  nameSpan: Span;
  doc?: DefinitionDoc;
  ifCond?: string;
  features: Feature[];
  members: Member[];
  base?: TypeRef;
  /** Command/event `data` given as a type name instead of inline members. */
  argsType?: TypeRef;
  returns?: TypeRef;
  discriminator?: { name: string; span: Span };
  /** boxed, allow-oob, allow-preconfig, coroutine, gen, success-response (as written). */
  flags: Record<string, boolean>;
}

export interface IncludeRef {
  /** The include's path string, as written. */
  span: Span;
  /** Absolute path it resolves to. */
  target: string;
}

export interface SchemaModel {
  root: string;
  /**
   * The project (one per language service) that made it. What other views derive from
   * models and keep between checks is kept per project, so two services never share it.
   */
  project: object;
  /** Every file of the include tree, in the order QEMU parses them. */
  files: string[];
  definitions: Definition[];
  byName: Map<string, Definition>;
  /** Every use of a type name (members, bases, branches, returns, data), for references. */
  typeRefs: TypeRef[];
  includes: IncludeRef[];
  /** Macros used in `if` conditions, and feature names, across the schema. */
  ifMacros: Set<string>;
  featureNames: Set<string>;
  /** Top-level expressions per file, for features that need the raw tree. */
  expressions: Map<string, TopLevelExpr[]>;
}

export interface FirstError {
  path: string;
  /** 1-based, as QEMU prints it. */
  line: number;
  /** 1-based; only where QEMU gives a column (lexical errors). */
  column?: number;
  message: string;
}

export interface SchemaCheck {
  version: ResolvedVersion;
  rules: RuleSet;
  /** By path; every file of the tree has an entry, possibly empty. */
  diagnostics: Map<string, Diagnostic[]>;
  /** The error QEMU's generator reports (it stops there); null when QEMU accepts the schema. */
  firstError: FirstError | null;
  model: SchemaModel;
}

export const BUILTIN_TYPES = [
  'str',
  'number',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'size',
  'bool',
  'any',
  'null',
] as const;
