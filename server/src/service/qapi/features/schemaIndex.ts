// Lookup tables over one checked schema, built once per SchemaCheck and shared by
// every request until the next check (hover and completion must not scan all
// definitions per keystroke).
import type { Position, Range } from 'vscode-languageserver-types';
import type { Definition, Feature, IncludeRef, Member, SchemaCheck, TypeRef } from '../model';

export type Target =
  | { kind: 'definition'; def: Definition }
  | { kind: 'member'; def: Definition; member: Member }
  | { kind: 'typeRef'; ref: TypeRef }
  | { kind: 'feature'; def: Definition; member?: Member; feature: Feature }
  | { kind: 'include'; include: IncludeRef }
  | { kind: 'discriminator'; def: Definition };

export interface Located { range: Range; target: Target }

export interface SchemaIndex {
  /** Named things per file, bucketed by every line they cover. */
  byFileLine: Map<string, Map<number, Located[]>>;
  /** Uses of each type name. */
  refsByName: Map<string, TypeRef[]>;
  /** Definitions per file, in source order. */
  defsByFile: Map<string, Definition[]>;
  /** Definition owning each member object (for hover on a member found through a type). */
  ownerOf: Map<Member, Definition>;
  /** Macros of every `if` condition: of definitions, members, enum values and features. */
  macros: Set<string>;
}

const cache = new WeakMap<SchemaCheck, SchemaIndex>();

export function schemaIndex(check: SchemaCheck): SchemaIndex {
  let index = cache.get(check);
  if (!index) {
    index = build(check);
    cache.set(check, index);
  }
  return index;
}

function build(check: SchemaCheck): SchemaIndex {
  const m = check.model;
  const byFileLine = new Map<string, Map<number, Located[]>>();
  const add = (path: string, range: Range, target: Target) => {
    let lines = byFileLine.get(path);
    if (!lines) byFileLine.set(path, (lines = new Map()));
    for (let l = range.start.line; l <= range.end.line; l++) {
      const bucket = lines.get(l);
      if (bucket) bucket.push({ range, target });
      else lines.set(l, [{ range, target }]);
    }
  };
  const defsByFile = new Map<string, Definition[]>();
  const ownerOf = new Map<Member, Definition>();
  const macros = new Set<string>();
  const addMacros = (cond: string | null | undefined) => {
    for (const name of cond?.match(/\b[A-Z][A-Z0-9_]*\b/g) ?? []) macros.add(name);
  };
  for (const name of m.ifMacros) addMacros(name);
  for (const def of m.definitions) {
    addMacros(def.ifCond);
    for (const f of def.features) addMacros(f.ifCond);
    const list = defsByFile.get(def.span.path);
    if (list) list.push(def);
    else defsByFile.set(def.span.path, [def]);
    add(def.nameSpan.path, def.nameSpan.range, { kind: 'definition', def });
    for (const feature of def.features) add(feature.span.path, feature.span.range, { kind: 'feature', def, feature });
    if (def.discriminator) add(def.discriminator.span.path, def.discriminator.span.range, { kind: 'discriminator', def });
    for (const member of def.members) {
      ownerOf.set(member, def);
      addMacros(member.ifCond);
      add(member.span.path, member.span.range, { kind: 'member', def, member });
      for (const feature of member.features) {
        addMacros(feature.ifCond);
        add(feature.span.path, feature.span.range, { kind: 'feature', def, member, feature });
      }
    }
  }
  const refsByName = new Map<string, TypeRef[]>();
  for (const ref of m.typeRefs) {
    add(ref.span.path, ref.span.range, { kind: 'typeRef', ref });
    const list = refsByName.get(ref.name);
    if (list) list.push(ref);
    else refsByName.set(ref.name, [ref]);
  }
  for (const include of m.includes) add(include.span.path, include.span.range, { kind: 'include', include });
  return { byFileLine, refsByName, defsByFile, ownerOf, macros };
}

export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

const size = (r: Range) => (r.end.line - r.start.line) * 1e6 + (r.end.character - r.start.character);

/** The innermost named thing at a position. */
export function targetAt(check: SchemaCheck, path: string, pos: Position): Located | undefined {
  const bucket = schemaIndex(check).byFileLine.get(path)?.get(pos.line);
  let best: Located | undefined;
  for (const l of bucket ?? []) if (contains(l.range, pos) && (!best || size(l.range) < size(best.range))) best = l;
  return best;
}

/** The definition a target is about, following type references. */
export function definitionOf(check: SchemaCheck, t: Target): Definition | undefined {
  switch (t.kind) {
    case 'definition': case 'discriminator': return t.def;
    case 'typeRef': return check.model.byName.get(t.ref.name);
    default: return undefined;
  }
}

/** A struct's members including those inherited through its base chain (cycles stop). */
export function allMembers(check: SchemaCheck, def: Definition): Member[] {
  const out: Member[] = [];
  const seen = new Set<Definition>();
  for (let d: Definition | undefined = def; d && !seen.has(d); d = d.base ? check.model.byName.get(d.base.name) : undefined) {
    seen.add(d);
    out.unshift(...d.members.filter((x) => x.role === 'member'));
  }
  return out;
}
