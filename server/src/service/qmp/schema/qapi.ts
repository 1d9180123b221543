// The schema read from QAPI sources (the checked model of qapi/qapi-schema.json):
// readable type names, exact integer widths, docs and Since: lines.
//
// Built incrementally: what one definition contributes is remembered per Definition
// object (the QAPI checker keeps those while their file's parse is cached), and a new
// build reuses the previous build's objects wherever their content is the same. A
// re-check that changed nothing the schema says therefore gives back the very same
// QmpSchema object, so what is cached on it (enrich(), the doc-example findings)
// stays valid: the cache is keyed by content, not by which model object asked.
import type { Definition, Member, SchemaModel, TypeRef } from '../../qapi/model';
import { addArrayType } from './facts';
import { addBuiltins, type MemberInfo, type QmpSchema, type SCommand, type SMember, type SType } from './types';

const refName = (t: TypeRef | undefined) => (t ? (t.array ? `[${t.name}]` : t.name) : 'any');

function sinceOf(text: string | undefined): string | undefined {
  return text ? /\(since:?\s*(\d+\.\d+)/i.exec(text)?.[1] : undefined;
}

/**
 * A doc text as one line, remembered by its raw text: a re-parse of an edited file
 * makes new strings with the same texts, and the regular expressions over every
 * member's doc were most of the cost of re-deriving the file's types.
 */
const oneLine = new Map<string, { doc: string; since?: string }>();
const MAX_DOCS = 20_000;

function docOf(raw: string | undefined): { doc?: string; since?: string } {
  if (raw === undefined) return {};
  let d = oneLine.get(raw);
  if (!d) {
    if (oneLine.size >= MAX_DOCS) oneLine.clear();
    const doc = raw.replace(/\s+/g, ' ').trim();
    oneLine.set(raw, (d = { doc, since: sinceOf(doc) }));
  }
  return d;
}

function memberInfo(def: Definition, m: Member): MemberInfo {
  const { doc, since } = docOf(def.doc?.members.get(m.name));
  const fs = m.features.map((f) => f.name);
  return {
    doc,
    since,
    deprecated: fs.includes('deprecated') || undefined,
    unstable: fs.includes('unstable') || undefined,
  };
}

/** What one definition says by itself (its base's members are added per build). */
interface DefPart {
  /** Own members (role 'member'), in order. */
  members: Map<string, SMember>;
  /** enum values */
  values?: Map<string, MemberInfo>;
  /** union cases, alternate branches */
  cases?: Map<string, string>;
  branches?: string[];
  flags: MemberInfo;
}

const parts = new WeakMap<Definition, DefPart>();

/** Events are not part of this schema: one shared, empty part for all. */
const EVENT: DefPart = { members: new Map(), flags: {} };

function partOf(def: Definition): DefPart {
  if (def.kind === 'event') return EVENT;
  let p = parts.get(def);
  if (p) return p;
  const members = new Map<string, SMember>();
  for (const m of def.members) {
    if (m.role === 'member') members.set(m.name, { name: m.name, type: refName(m.type), optional: m.optional, ...memberInfo(def, m) });
  }
  const fs = def.features.map((f) => f.name);
  p = {
    members,
    flags: {
      doc: docOf(def.doc?.body).doc || undefined,
      since: def.doc?.since,
      deprecated: fs.includes('deprecated') || undefined,
      unstable: fs.includes('unstable') || undefined,
    },
  };
  if (def.kind === 'enum') p.values = new Map(def.members.filter((m) => m.role === 'value').map((m) => [m.name, memberInfo(def, m)]));
  if (def.kind === 'union') p.cases = new Map(def.members.filter((m) => m.role === 'branch').map((m) => [m.name, refName(m.type)]));
  if (def.kind === 'alternate') p.branches = def.members.filter((m) => m.role === 'branch').map((m) => refName(m.type));
  parts.set(def, p);
  return p;
}

const byModel = new WeakMap<SchemaModel, Map<string, QmpSchema | null>>();

/** The last build per root and version: its schema (whose objects the next build reuses where equal) and what made it. */
interface Build {
  schema: QmpSchema;
  parts: DefPart[];
  byName: Map<string, { def: Definition; part: DefPart }>;
}
/** Per project (language service): a fresh service builds from scratch, whatever another one kept. */
const latestOf = new WeakMap<object, Map<string, Build>>();
const MAX_LATEST = 8;

export function qapiSchema(model: SchemaModel, version: string): QmpSchema | null {
  let forModel = byModel.get(model);
  if (!forModel) byModel.set(model, (forModel = new Map()));
  if (!forModel.has(version)) {
    let latest = latestOf.get(model.project);
    if (!latest) latestOf.set(model.project, (latest = new Map()));
    const key = `${model.root}\0${version}`;
    const prev = latest.get(key);
    // A definition re-parsed with the same content (the rest of an edited file) takes the part of the one it replaces.
    const defParts = model.definitions.map((def) => {
      const known = def.kind === 'event' ? EVENT : parts.get(def);
      if (known) return known;
      const old = prev?.byName.get(def.name);
      if (old && sameDefinition(old.def, def)) {
        parts.set(def, old.part);
        return old.part;
      }
      return partOf(def);
    });
    let schema: QmpSchema | null;
    if (prev && defParts.length === prev.parts.length && defParts.every((p, i) => p === prev.parts[i])) {
      schema = prev.schema; // the same parts in the same order: the same schema
    } else {
      const built = buildQapiSchema(model, version);
      schema = built && reuse(prev?.schema, built);
    }
    if (schema) {
      latest.delete(key);
      if (latest.size >= MAX_LATEST) latest.delete(latest.keys().next().value!);
      const byName = new Map<string, { def: Definition; part: DefPart }>();
      model.definitions.forEach((def, i) => byName.has(def.name) || byName.set(def.name, { def, part: defParts[i] }));
      latest.set(key, { schema, parts: defParts, byName });
    }
    forModel.set(version, schema);
  }
  return forModel.get(version)!;
}

/** Whether two definitions say the same to this schema: every field partOf and buildQapiSchema read. */
function sameDefinition(a: Definition, b: Definition): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.name !== b.name || a.members.length !== b.members.length) return false;
  if (a.base?.name !== b.base?.name || refKey(a.argsType) !== refKey(b.argsType) || a.discriminator?.name !== b.discriminator?.name) return false;
  if (!sameFlat(a.flags, b.flags) || !sameNames(a.features, b.features)) return false;
  if (a.doc?.body !== b.doc?.body || a.doc?.since !== b.doc?.since) return false;
  for (let i = 0; i < a.members.length; i++) {
    const x = a.members[i];
    const y = b.members[i];
    if (x.name !== y.name || x.role !== y.role || x.optional !== y.optional || refKey(x.type) !== refKey(y.type)) return false;
    if (!sameNames(x.features, y.features) || a.doc?.members.get(x.name) !== b.doc?.members.get(y.name)) return false;
  }
  return true;
}

const refKey = (t: TypeRef | undefined) => (t ? refName(t) : undefined);
const sameNames = (a: { name: string }[], b: { name: string }[]) => a.length === b.length && a.every((f, i) => f.name === b[i].name);

function buildQapiSchema(model: SchemaModel, version: string): QmpSchema | null {
  if (model.definitions.length === 0) return null;
  const types = new Map<string, SType>();
  const commands = new Map<string, SCommand>();
  const collect = (def: Definition, seen = new Set<string>()): Map<string, SMember> => {
    if (seen.has(def.name)) return new Map();
    seen.add(def.name);
    const own = partOf(def).members;
    for (const m of own.values()) addArrayType(types, m.type);
    const base = def.base ? model.byName.get(def.base.name) : undefined;
    if (!base) return own;
    const inherited = collect(base, seen);
    if (!own.size) return inherited;
    // A new map: `own` and the base's maps are shared by every build.
    const merged = new Map(inherited);
    for (const [k, v] of own) merged.set(k, v);
    return merged;
  };
  for (const def of model.definitions) {
    const part = partOf(def);
    switch (def.kind) {
      case 'enum':
        types.set(def.name, { kind: 'enum', name: def.name, values: part.values! });
        break;
      case 'struct':
        types.set(def.name, { kind: 'object', name: def.name, members: collect(def) });
        break;
      case 'union': {
        types.set(def.name, {
          kind: 'object',
          name: def.name,
          members: collect(def),
          variants: def.discriminator ? { tag: def.discriminator.name, cases: part.cases! } : undefined,
        });
        break;
      }
      case 'alternate':
        types.set(def.name, { kind: 'alternate', name: def.name, types: part.branches! });
        break;
      case 'command': {
        let args: string | undefined;
        if (def.argsType) args = refName(def.argsType);
        else if (def.members.some((m) => m.role === 'member')) {
          args = `${def.name}-arguments`;
          types.set(args, { kind: 'object', name: args, members: collect(def) });
        }
        commands.set(def.name, {
          name: def.name,
          args,
          allowOob: def.flags['allow-oob'] === true,
          openArgs: def.flags.gen === false || undefined,
          ...part.flags,
        });
        break;
      }
    }
  }
  for (const t of [...types.values()]) if (t.kind === 'alternate') t.types.forEach((n) => addArrayType(types, n));
  addBuiltins(types);
  return { source: 'qapi', detail: `QAPI sources ${model.root}`, version, commands, types, complete: true };
}

// ---- reuse of equal content ----

/** `next` with every type and command equal to `prev`'s replaced by `prev`'s object; `prev` itself when all are. */
function reuse(prev: QmpSchema | undefined, next: QmpSchema): QmpSchema {
  if (!prev || prev.detail !== next.detail) return next;
  let all = prev.types.size === next.types.size && prev.commands.size === next.commands.size;
  for (const [name, t] of next.types) {
    const old = prev.types.get(name);
    if (old && old !== t && sameType(old, t)) next.types.set(name, old);
    else if (old !== t) all = false;
  }
  for (const [name, c] of next.commands) {
    const old = prev.commands.get(name);
    if (old && old !== c && sameFlat(old, c)) next.commands.set(name, old);
    else if (old !== c) all = false;
  }
  if (all && sameOrder(prev.types, next.types) && sameOrder(prev.commands, next.commands)) return prev;
  return next;
}

function sameOrder<K, V>(a: Map<K, V>, b: Map<K, V>): boolean {
  const ib = b.keys();
  for (const k of a.keys()) if (ib.next().value !== k) return false;
  return true;
}

/** Plain objects whose values are primitives (members, commands, value infos). */
function sameFlat(a: object, b: object): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

function sameMap<V>(a: Map<string, V>, b: Map<string, V>, same: (x: V, y: V) => boolean): boolean {
  if (a === b) return true;
  if (a.size !== b.size || !sameOrder(a, b)) return false;
  for (const [k, v] of a) if (!same(v, b.get(k)!)) return false;
  return true;
}

function sameType(a: SType, b: SType): boolean {
  if (a.kind !== b.kind || a.name !== b.name) return false;
  switch (a.kind) {
    case 'builtin':
      return a.builtin === (b as typeof a).builtin;
    case 'array':
      return a.element === (b as typeof a).element;
    case 'alternate': {
      const t = (b as typeof a).types;
      return a.types.length === t.length && a.types.every((x, i) => x === t[i]);
    }
    case 'enum':
      return sameMap(a.values, (b as typeof a).values, sameFlat);
    case 'object': {
      const o = b as typeof a;
      if (!sameMap(a.members, o.members, sameFlat)) return false;
      if (!a.variants || !o.variants) return a.variants === o.variants;
      return a.variants.tag === o.variants.tag && sameMap(a.variants.cases, o.variants.cases, (x, y) => x === y);
    }
  }
}
