// Lookup tables over one checked schema, built once per SchemaCheck and shared by
// every request until the next check (hover and completion must not scan all
// definitions per keystroke).
import type { Position, Range } from 'vscode-languageserver-types';
import type { Definition, Feature, IncludeRef, Member, SchemaCheck, TopLevelExpr, TypeRef } from '../model';

export type Target =
  | { kind: 'definition'; def: Definition }
  | { kind: 'member'; def: Definition; member: Member }
  | { kind: 'typeRef'; ref: TypeRef }
  | { kind: 'feature'; def: Definition; member?: Member; feature: Feature }
  | { kind: 'include'; include: IncludeRef }
  | { kind: 'discriminator'; def: Definition };

export interface Located {
  range: Range;
  target: Target;
  /** Found on a `# @name:` line of the doc comment rather than in the definition. */
  inDoc?: boolean;
}

/**
 * Lookup tables over one checked schema. Each part is built on first use and kept
 * for the life of the check, and the position table only for the files asked
 * about: after an edit the first request pays for the open file, not the tree.
 */
export class SchemaIndex {
  private readonly lineTables = new Map<string, Map<number, Located[]>>();
  private defsByFileCache?: Map<string, Definition[]>;
  private refsByNameCache?: Map<string, TypeRef[]>;
  private ownerOfCache?: Map<Member, Definition>;
  private macrosCache?: Set<string>;

  constructor(private readonly check: SchemaCheck) {}

  /** Definitions per file, in source order. */
  get defsByFile(): Map<string, Definition[]> {
    if (!this.defsByFileCache) this.defsByFileCache = groupBy(this.check.model.definitions, (d) => d.span.path);
    return this.defsByFileCache;
  }

  /** Uses of each type name. */
  get refsByName(): Map<string, TypeRef[]> {
    if (!this.refsByNameCache) this.refsByNameCache = groupBy(this.check.model.typeRefs, (r) => r.name);
    return this.refsByNameCache;
  }

  /** Definition owning each member object. */
  get ownerOf(): Map<Member, Definition> {
    if (!this.ownerOfCache) {
      this.ownerOfCache = new Map();
      for (const def of this.check.model.definitions) for (const m of def.members) this.ownerOfCache.set(m, def);
    }
    return this.ownerOfCache;
  }

  /** Macros of every `if` condition (the model collects those of definitions, members, enum values and features). */
  get macros(): Set<string> {
    if (!this.macrosCache) {
      const macros = (this.macrosCache = new Set<string>());
      // A malformed condition such as 'defined(X)' still offers the names in it.
      for (const cond of this.check.model.ifMacros) for (const name of cond.match(/\b[A-Z][A-Z0-9_]*\b/g) ?? []) macros.add(name);
    }
    return this.macrosCache;
  }

  /** Named things of one file, bucketed by every line they cover. */
  linesOf(path: string): Map<number, Located[]> {
    let table = this.lineTables.get(path);
    if (!table) this.lineTables.set(path, (table = this.buildLines(path)));
    return table;
  }

  private buildLines(path: string): Map<number, Located[]> {
    const lines = new Map<number, Located[]>();
    const add = (range: Range, target: Target, inDoc?: boolean) => {
      const located: Located = inDoc ? { range, target, inDoc } : { range, target };
      for (let l = range.start.line; l <= range.end.line; l++) {
        const bucket = lines.get(l);
        if (bucket) bucket.push(located);
        else lines.set(l, [located]);
      }
    };
    const m = this.check.model;
    for (const def of this.defsByFile.get(path) ?? []) {
      add(def.nameSpan.range, { kind: 'definition', def });
      for (const feature of def.features) add(feature.span.range, { kind: 'feature', def, feature });
      if (def.discriminator) add(def.discriminator.span.range, { kind: 'discriminator', def });
      for (const member of def.members) {
        add(member.span.range, { kind: 'member', def, member });
        for (const feature of member.features) add(feature.span.range, { kind: 'feature', def, member, feature });
      }
    }
    for (const ref of m.typeRefs) if (ref.span.path === path) add(ref.span.range, { kind: 'typeRef', ref });
    for (const include of m.includes) if (include.span.path === path) add(include.span.range, { kind: 'include', include });
    addDocEntries(this.defsByFile.get(path) ?? [], m.expressions.get(path) ?? [], add);
    return lines;
  }
}

const cache = new WeakMap<SchemaCheck, SchemaIndex>();

export function schemaIndex(check: SchemaCheck): SchemaIndex {
  let index = cache.get(check);
  if (!index) cache.set(check, (index = new SchemaIndex(check)));
  return index;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The `# @name:` lines of definition doc comments name the definition, its members and features. */
function addDocEntries(defs: Definition[], exprs: TopLevelExpr[], add: (range: Range, target: Target, inDoc: true) => void): void {
  const defAt = new Map<number, Definition>();
  for (const def of defs) defAt.set(def.span.range.start.line, def);
  for (const e of exprs) {
    const doc = e.doc;
    const def = doc && defAt.get(e.node.range.start.line);
    if (!def || !doc) continue;
    // lines[] starts after the opening `##`; the name follows `# @`.
    doc.lines.forEach((text, i) => {
      const name = text.charCodeAt(0) === 64 /* @ */ ? /^@([^\s:]+):/.exec(text)?.[1] : undefined;
      if (!name) return;
      const line = doc.range.start.line + 1 + i;
      const range = { start: { line, character: 3 }, end: { line, character: 3 + name.length } };
      const member = def.members.find((x) => x.name === name);
      const feature = def.features.find((f) => f.name === name);
      const owner = feature ? undefined : def.members.find((x) => x.features.some((f) => f.name === name));
      if (i === 0 && name === def.name) add(range, { kind: 'definition', def }, true);
      else if (member) add(range, { kind: 'member', def, member }, true);
      else if (feature) add(range, { kind: 'feature', def, feature }, true);
      else if (owner) add(range, { kind: 'feature', def, member: owner, feature: owner.features.find((f) => f.name === name)! }, true);
    });
  }
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
  const bucket = schemaIndex(check).linesOf(path).get(pos.line);
  let best: Located | undefined;
  for (const l of bucket ?? []) if (contains(l.range, pos) && (!best || size(l.range) < size(best.range))) best = l;
  return best;
}

/** The definition a target is about, following type references. */
export function definitionOf(check: SchemaCheck, t: Target): Definition | undefined {
  switch (t.kind) {
    case 'definition':
    case 'discriminator':
      return t.def;
    case 'typeRef':
      return check.model.byName.get(t.ref.name);
    default:
      return undefined;
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
