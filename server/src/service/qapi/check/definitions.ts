// Builds the model's Definition from a top-level expression. Tolerant by design: it
// takes whatever is well-formed and ignores the rest, so the editor features get a
// model also for schemas with errors (exprs.ts reports what is wrong).
import type { Range } from 'vscode-languageserver-types';
import type { Definition, DefinitionDoc, DefKind, Feature, Member, QEntry, QNode, QObject, Span, TypeRef } from '../model';
import type { ParsedDoc } from './docs';
import { rangeOf, type Where } from './problem';

/**
 * A span whose range is made when read: a schema's model holds thousands and most are
 * never read. `skip` and `cut` drop characters at the start and end (a name's quotes,
 * an optional member's '*').
 */
class LazySpan implements Span {
  constructor(
    readonly path: string,
    private readonly at: Where,
    private readonly skip: number,
    private readonly cut: number,
  ) {}
  get range(): Range {
    const r = rangeOf(this.at);
    return { start: { line: r.start.line, character: r.start.character + this.skip }, end: { line: r.end.line, character: r.end.character - this.cut } };
  }
  /** Serialised as the plain span it stands for. */
  toJSON(): { path: string; range: Range } {
    return { path: this.path, range: this.range };
  }
}

function spanOf(path: string, at: Where, skip = 0, cut = 0): Span {
  return new LazySpan(path, at, skip, cut);
}

export const META_KEYS: readonly DefKind[] = ['enum', 'struct', 'union', 'alternate', 'command', 'event'];
const FLAG_KEYS = ['boxed', 'allow-oob', 'allow-preconfig', 'coroutine', 'gen', 'success-response'];

export function entryOf(o: QObject, key: string): QEntry | undefined {
  for (const e of o.entries) if (e.key === key) return e;
  return undefined;
}

export function get(o: QObject, key: string): QNode | undefined {
  return entryOf(o, key)?.value;
}

/** The definition kinds among the expression's keys. */
export function metasOf(o: QObject): DefKind[] {
  const out: DefKind[] = [];
  for (const e of o.entries) if ((META_KEYS as readonly string[]).includes(e.key)) out.push(e.key as DefKind);
  return out;
}

/** `if` conditions as text: `A`, `all(A, B)`, `any(...)`, `not(A)`. */
export function ifCondText(n: QNode | undefined): string | undefined {
  if (!n) return undefined;
  if (n.kind === 'string') return n.value;
  if (n.kind !== 'object' || n.entries.length !== 1) return undefined;
  const e = n.entries[0];
  if (e.key === 'not') return `not(${ifCondText(e.value) ?? '?'})`;
  if ((e.key === 'all' || e.key === 'any') && e.value.kind === 'array') {
    return `${e.key}(${e.value.items.map((i) => ifCondText(i) ?? '?').join(', ')})`;
  }
  return undefined;
}

/** The macros one `if` condition names (strings anywhere inside 'all'/'any'/'not'). */
function conditionMacros(cond: QNode | undefined, into: Set<string>): void {
  if (!cond) return;
  const stack: QNode[] = [cond];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'string') into.add(x.value);
    else if (x.kind === 'object') for (const e of x.entries) stack.push(e.value);
    else if (x.kind === 'array') for (const i of x.items) stack.push(i);
  }
}

/** Macros of the `if` conditions of a list of features. */
function featureMacros(features: QNode | undefined, into: Set<string>): void {
  if (features?.kind !== 'array') return;
  for (const f of features.items) if (f.kind === 'object') conditionMacros(get(f, 'if'), into);
}

/**
 * Every macro named in an `if` condition of a definition: its own, its features',
 * and those of its members, branches and enum values (and of their features).
 */
export function ifMacros(o: QObject, into: Set<string>): void {
  conditionMacros(get(o, 'if'), into);
  featureMacros(get(o, 'features'), into);
  for (const key of ['data', 'base']) {
    const v = get(o, key);
    // Members and branches in long form ({ 'type': ..., 'if': ... }), enum values as objects.
    const specs = v?.kind === 'object' ? v.entries.map((e) => e.value) : v?.kind === 'array' ? v.items : [];
    for (const spec of specs) {
      if (spec.kind !== 'object') continue;
      conditionMacros(get(spec, 'if'), into);
      featureMacros(get(spec, 'features'), into);
    }
  }
}

export function typeRefOf(n: QNode | undefined, path: string): TypeRef | undefined {
  if (!n) return undefined;
  if (n.kind === 'string') return { name: n.value, array: false, span: spanOf(path, n) };
  if (n.kind === 'array' && n.items.length === 1 && n.items[0].kind === 'string') {
    return { name: n.items[0].value, array: true, span: spanOf(path, n.items[0]) };
  }
  return undefined;
}

export function featuresOf(n: QNode | undefined, path: string): Feature[] {
  if (!n || n.kind !== 'array') return [];
  const out: Feature[] = [];
  for (const f of n.items) {
    if (f.kind === 'string') out.push({ name: f.value, span: spanOf(path, f) });
    else if (f.kind === 'object') {
      const name = get(f, 'name');
      if (name?.kind === 'string') out.push({ name: name.value, span: spanOf(path, name), ifCond: ifCondText(get(f, 'if')) });
    }
  }
  return out;
}

/** Members of a `data`/`base` object: `'*name': TYPE` or `'name': { 'type': TYPE, 'if': ..., 'features': ... }`. */
export function objectMembers(n: QNode | undefined, path: string, role: Member['role']): Member[] {
  if (!n || n.kind !== 'object') return [];
  return n.entries.map((e) => {
    const optional = role === 'member' && e.key.startsWith('*');
    const v = e.value;
    const isLong = v.kind === 'object';
    return {
      name: optional ? e.key.slice(1) : e.key,
      // Without the quotes and the '*'.
      span: spanOf(path, e, optional ? 2 : 1, 1),
      role,
      optional,
      type: typeRefOf(isLong ? get(v, 'type') : v, path),
      ifCond: isLong ? ifCondText(get(v, 'if')) : undefined,
      features: isLong ? featuresOf(get(v, 'features'), path) : [],
    };
  });
}

function enumValues(n: QNode | undefined, path: string): Member[] {
  if (!n || n.kind !== 'array') return [];
  const out: Member[] = [];
  for (const v of n.items) {
    const name = v.kind === 'object' ? get(v, 'name') : v;
    if (name?.kind !== 'string') continue;
    out.push({
      name: name.value,
      span: spanOf(path, name, 1, 1),
      role: 'value',
      optional: false,
      ifCond: v.kind === 'object' ? ifCondText(get(v, 'if')) : undefined,
      features: v.kind === 'object' ? featuresOf(get(v, 'features'), path) : [],
    });
  }
  return out;
}

export function docOf(d: ParsedDoc): DefinitionDoc {
  const members = new Map<string, string>();
  for (const [k, a] of d.args) members.set(k, a.text);
  const features = new Map<string, string>();
  for (const [k, a] of d.features) features.set(k, a.text);
  return {
    span: { path: d.path, range: d.block.range },
    body: d.body,
    members,
    features,
    sections: d.sections.filter((s) => s.tag).map((s) => ({ tag: s.tag, text: s.text })),
    since: d.since?.text,
  };
}

/** The definition an expression makes, or undefined when it has no usable kind and name. */
export function buildDefinition(o: QObject, path: string, doc: ParsedDoc | undefined): Definition | undefined {
  const kind = metasOf(o)[0];
  if (!kind) return undefined;
  const nameNode = get(o, kind);
  if (nameNode?.kind !== 'string') return undefined;
  const data = get(o, 'data');
  const def: Definition = {
    kind,
    name: nameNode.value,
    span: spanOf(path, o),
    nameSpan: spanOf(path, nameNode, 1, 1),
    doc: doc && doc.symbol === nameNode.value ? docOf(doc) : undefined,
    ifCond: ifCondText(get(o, 'if')),
    features: featuresOf(get(o, 'features'), path),
    members: [],
    flags: {},
  };
  switch (kind) {
    case 'enum':
      def.members = enumValues(data, path);
      break;
    case 'struct':
      def.members = objectMembers(data, path, 'member');
      def.base = typeRefOf(get(o, 'base'), path);
      break;
    case 'union': {
      const base = get(o, 'base');
      if (base?.kind === 'object') def.members = objectMembers(base, path, 'member');
      else def.base = typeRefOf(base, path);
      def.members.push(...objectMembers(data, path, 'branch'));
      const disc = get(o, 'discriminator');
      if (disc?.kind === 'string') def.discriminator = { name: disc.value, span: spanOf(path, disc, 1, 1) };
      break;
    }
    case 'alternate':
      def.members = objectMembers(data, path, 'branch');
      break;
    case 'command':
    case 'event':
      if (data?.kind === 'object') def.members = objectMembers(data, path, 'member');
      else def.argsType = typeRefOf(data, path);
      if (kind === 'command') def.returns = typeRefOf(get(o, 'returns'), path);
      break;
  }
  for (const f of FLAG_KEYS) {
    const v = get(o, f);
    if (v?.kind === 'bool') def.flags[f] = v.value;
  }
  return def;
}

/** Every type use in a definition, for references and unknown-type checks. */
export function typeRefsOf(def: Definition): TypeRef[] {
  const out: TypeRef[] = [];
  if (def.base) out.push(def.base);
  if (def.argsType) out.push(def.argsType);
  for (const m of def.members) if (m.type) out.push(m.type);
  if (def.returns) out.push(def.returns);
  return out;
}
