// Semantic checks, in QEMU's order (its schema.py): define every entity (redefinitions),
// then check each entity and connect it to its doc (unknown types, bases, member
// clashes, unions, alternates, commands, events, documentation), then the doc
// blocks (documented things that don't exist), then the feature limit. Where QEMU
// stops at the first error we record it and go on with the next entity.
import { BUILTIN_TYPES, type QNode, type QObject } from '../model';
import { get } from './definitions';
import type { DocArg, ParsedDoc } from './docs';
import { cName, type CheckedExpr } from './exprs';
import { type Problem, rangeAt, rangeOf, type Where } from './problem';
import type { QapiRules } from './rules';
import type { Pragmas } from './traverse';
import { memoSlot } from './memo';
import { suggest } from '../../common/suggest';

const JSON_TYPE: Record<string, string> = {
  str: 'string', number: 'number', int: 'int', int8: 'int', int16: 'int', int32: 'int', int64: 'int',
  uint8: 'int', uint16: 'int', uint32: 'int', uint64: 'int', size: 'int', bool: 'boolean', any: 'value', null: 'null',
};

/** Where an entity or member comes from: the expression QEMU would blame. */
interface Info { path: string; line: number; defnName: string; defnMeta: string; doc?: ParsedDoc }

interface Feat { name: string; ifPresent: boolean; at: QNode; info: Info }

/** The feature list of everything without features: one shared, never-modified array (plans are kept between checks). */
const NO_FEATS: readonly Feat[] = [];

interface Mem {
  name: string;
  /** The name in generated C, which is what clashes. */
  cname: string;
  role: 'member' | 'value' | 'branch' | 'feature';
  optional: boolean;
  typeName?: string;
  type?: Ent;
  ifPresent: boolean;
  features: readonly Feat[];
  definedIn: string;
  /** The member's key (or value string), for the problem's range. */
  at?: Where;
  typeAt?: QNode;
  /** Undefined only for the predefined QType's values. */
  info?: Info;
}

interface Ent {
  name: string;
  /** built-in, enum, array, struct, union, alternate, command, event */
  meta: string;
  info?: Info;
  implicit: boolean;
  features: readonly Feat[];
  nameAt?: QNode;
  // enum
  values?: Mem[];
  // array
  elementName?: string;
  element?: Ent;
  // object
  baseName?: string;
  baseAt?: QNode;
  base?: Ent;
  local?: Mem[];
  members?: Mem[];
  tagName?: string;
  tagAt?: QNode;
  variants?: Mem[];
  /** Branches as written; a check adds implicit empty ones after them. */
  variantCount?: number;
  state?: 'checking' | 'done' | 'failed';
  // command/event
  argName?: string;
  argAt?: QNode;
  retName?: string;
  retAt?: QNode;
  boxed?: boolean;
  /** The doc connection of a definition, from an earlier check. */
  connected?: Connected;
}

class SemError {
  constructor(readonly info: Info | undefined, readonly message: string, readonly code: string, readonly at?: Where,
    readonly data?: Record<string, unknown>, readonly related?: Problem['related']) {}
}

/** Already reported (a dependency failed): stop checking the current entity without a new problem. */
class Abandon {}

function describeEnt(e: Ent): string {
  if (e.meta === 'array') return `array type ['${e.elementName}']`;
  if (e.meta === 'command' || e.meta === 'event') return `${e.meta} '${e.name}'`;
  return `${e.meta} type '${e.name}'`;
}

/** A member as QEMU names it in messages, seen from the definition `ctx` being checked. */
function describeMem(m: Mem, ctx: string): string {
  let role: string = m.role;
  let meta = 'type';
  let definedIn = m.definedIn;
  if (definedIn.startsWith('q_obj_')) {
    definedIn = definedIn.slice(6);
    if (definedIn.endsWith('-arg')) {
      role = 'parameter';
      meta = 'command';
      definedIn = definedIn.slice(0, -4);
    } else if (definedIn.endsWith('-base')) {
      role = 'base ' + role;
      definedIn = definedIn.slice(0, -5);
    }
  }
  return definedIn !== ctx ? `${role} '${m.name}' of ${meta} '${definedIn}'` : `${role} '${m.name}'`;
}

/**
 * What a definition's doc got connected to. It depends only on the definition's plan
 * and doc and on whether members must be documented, so it is kept on the entity and
 * reused by later checks, as is the finding that the doc documents nothing unknown.
 */
interface Connected { args: Set<string>; features: Set<string>; mustDocument: boolean; docChecked: boolean }

export interface Plan {
  steps: { ent: Ent; ifAbsent: boolean }[];
  /** Feature uses in the order QEMU registers them (for the schema-wide limit). */
  feats: Feat[];
}

/** Clears what a previous check left on a reused entity. */
function resetEnt(e: Ent): void {
  e.state = undefined;
  e.members = undefined;
  e.base = undefined;
  e.element = undefined;
  if (e.variants) {
    e.variants.length = e.variantCount!;
    for (const v of e.variants) v.type = undefined;
  }
  if (e.local) for (const m of e.local) m.type = undefined;
}

function newMem(name: string, role: Mem['role'], definedIn: string, at: Where | undefined, info?: Info): Mem {
  return { name, cname: cName(name), role, optional: false, ifPresent: false, features: NO_FEATS, definedIn, at, info };
}

/** Turns one checked expression into its entities (the expression checks guarantee the shape). */
class PlanBuilder {
  private readonly plan: Plan = { steps: [], feats: [] };
  private readonly info: Info;

  constructor(private readonly e: CheckedExpr) {
    this.info = { path: e.path, line: e.line, defnName: e.name, defnMeta: e.meta, doc: e.doc };
  }

  private feats(n: QNode | undefined): readonly Feat[] {
    if (!n || n.kind !== 'array') return NO_FEATS;
    const out: Feat[] = [];
    for (const f of n.items) {
      const nameNode = f.kind === 'object' ? get(f, 'name') : f;
      if (nameNode?.kind !== 'string') continue;
      const feat: Feat = { name: nameNode.value, ifPresent: f.kind === 'object' && !!get(f, 'if'), at: nameNode, info: this.info };
      this.plan.feats.push(feat);
      out.push(feat);
    }
    return out;
  }

  private arrayOf(element: string, at: QNode): string {
    const name = element + 'List';
    this.plan.steps.push({ ent: { name, meta: 'array', implicit: true, features: NO_FEATS, info: this.info, elementName: element, nameAt: at }, ifAbsent: true });
    return name;
  }

  /** Members of a `data`/`base` object; array types are defined as QEMU does, before their user. */
  private members(n: QNode | undefined, definedIn: string, role: Mem['role'] = 'member'): Mem[] {
    if (!n || n.kind !== 'object') return [];
    const out: Mem[] = [];
    for (const e of n.entries) {
      const spec = e.value.kind === 'object' ? e.value : undefined;
      const t = spec ? get(spec, 'type') : e.value;
      const optional = role === 'member' && e.key.startsWith('*');
      const m = newMem(optional ? e.key.slice(1) : e.key, role, definedIn, e, this.info);
      m.optional = optional;
      m.ifPresent = !!(spec && get(spec, 'if'));
      if (role === 'member') m.features = this.feats(spec && get(spec, 'features'));
      if (t?.kind === 'string') {
        m.typeName = t.value;
        m.typeAt = t;
      } else if (t?.kind === 'array' && t.items[0]?.kind === 'string') {
        m.typeName = this.arrayOf(t.items[0].value, t.items[0]);
        m.typeAt = t.items[0];
      }
      out.push(m);
    }
    return out;
  }

  private implicitObject(name: string, members: Mem[]): string | undefined {
    if (!members.length) return undefined;
    this.plan.steps.push({ ent: { name, meta: 'struct', implicit: true, features: NO_FEATS, info: this.info, local: members }, ifAbsent: true });
    return name;
  }

  build(): Plan {
    const { e, info } = this;
    const o: QObject = e.node;
    const nameNode = get(o, e.meta)!;
    const ent: Ent = { name: e.name, meta: e.meta, info, implicit: false, features: this.feats(get(o, 'features')), nameAt: nameNode };
    const data = get(o, 'data');
    switch (e.meta) {
      case 'enum':
        ent.values = (data as Extract<QNode, { kind: 'array' }>).items.map((v) => {
          const n = (v.kind === 'object' ? get(v, 'name') : v) as Extract<QNode, { kind: 'string' }>;
          const m = newMem(n.value, 'value', e.name, n, info);
          m.ifPresent = v.kind === 'object' && !!get(v, 'if');
          m.features = this.feats(v.kind === 'object' ? get(v, 'features') : undefined);
          return m;
        });
        break;
      case 'struct': {
        ent.local = this.members(data, e.name);
        const b = get(o, 'base');
        if (b?.kind === 'string') {
          ent.baseName = b.value;
          ent.baseAt = b;
        }
        break;
      }
      case 'union': {
        const b = get(o, 'base')!;
        if (b.kind === 'object') {
          const implicitName = `q_obj_${e.name}-base`;
          ent.baseName = this.implicitObject(implicitName, this.members(b, implicitName));
          ent.baseAt = b;
        } else if (b.kind === 'string') {
          ent.baseName = b.value;
          ent.baseAt = b;
        }
        ent.local = [];
        ent.variants = this.members(data, e.name, 'branch');
        ent.variantCount = ent.variants.length;
        const d = get(o, 'discriminator')!;
        ent.tagName = (d as Extract<QNode, { kind: 'string' }>).value;
        ent.tagAt = d;
        break;
      }
      case 'alternate':
        ent.variants = this.members(data, e.name, 'branch');
        ent.variantCount = ent.variants.length;
        break;
      case 'command':
      case 'event': {
        ent.boxed = get(o, 'boxed')?.kind === 'bool';
        if (data?.kind === 'object') {
          const implicitName = `q_obj_${e.name}-arg`;
          ent.argName = this.implicitObject(implicitName, this.members(data, implicitName));
        } else if (data?.kind === 'string') ent.argName = data.value;
        ent.argAt = data;
        const r = get(o, 'returns');
        if (r?.kind === 'string') ent.retName = r.value;
        else if (r?.kind === 'array' && r.items[0]?.kind === 'string') ent.retName = this.arrayOf(r.items[0].value, r.items[0]);
        ent.retAt = r;
        break;
      }
    }
    this.plan.steps.push({ ent, ifAbsent: false });
    return this.plan;
  }
}

/** The entities an expression defines, for the doc it was planned with. */
const PLAN = memoSlot<{ doc?: ParsedDoc; plan: Plan }>();

export class SchemaChecker {
  private readonly ents: Ent[] = [];
  private readonly byName = new Map<string, Ent>();
  private readonly featureOrder: Feat[] = [];
  private readonly featureSeen = new Set<string>(['deprecated', 'unstable']);
  private readonly connected = new Map<ParsedDoc, Connected>();
  private readonly trustedDocs = new Set<ParsedDoc>();
  /** Built on the first unknown type, for "did you mean". */
  private typeNameSet?: Set<string>;

  constructor(
    private readonly pragmas: Pragmas,
    private readonly rules: QapiRules,
    private readonly problems: Problem[],
    private readonly brokenNames: Set<string>,
  ) {
    for (const t of BUILTIN_TYPES) {
      this.define({ name: t, meta: 'built-in', implicit: true, features: [] });
      this.define({ name: t + 'List', meta: 'array', implicit: true, features: [], elementName: t });
    }
    this.define({ name: 'q_empty', meta: 'struct', implicit: true, features: [], local: [], members: [], state: 'done' });
    const qtype: Ent = { name: 'QType', meta: 'enum', implicit: true, features: [] };
    qtype.values = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'].map((n) => newMem(n, 'value', 'QType', undefined));
    this.define(qtype);
  }

  run(exprs: CheckedExpr[], docs: ParsedDoc[], cancelled: () => boolean): void {
    for (const e of exprs) {
      try {
        this.replay(this.planFor(e));
      } catch (err) {
        this.record(err);
      }
    }
    for (let i = 0; i < this.ents.length; i++) {
      if ((i & 63) === 0 && cancelled()) return;
      const ent = this.ents[i];
      try {
        this.checkEnt(ent);
        this.connectDoc(ent);
        // 7.2-8.2 check a definition's doc right after connecting it; 9.0+ all docs at the end.
        if (this.rules.oldDocParser) this.checkEntDoc(ent);
      } catch (err) {
        this.record(err);
      }
    }
    for (const d of this.rules.oldDocParser ? [] : docs) {
      if (d.symbol && !this.trustedDocs.has(d)) continue;
      try {
        this.checkDoc(d);
      } catch (err) {
        this.record(err);
      }
    }
    if (this.rules.maxFeatures !== undefined && this.featureOrder.length + 2 > this.rules.maxFeatures) {
      const f = this.featureOrder[this.rules.maxFeatures - 2];
      this.problems.push({
        path: f.info.path, range: f.at.range, code: 'too-many-features', line: f.info.line + 1,
        message: `a schema may have at most ${this.rules.maxFeatures} distinct features; '${f.name}' is one too many`,
      });
    }
  }

  /** Turns a check's exception into a problem (Abandon: already reported). */
  private record(e: unknown): void {
    if (e instanceof Abandon) return;
    if (!(e instanceof SemError)) throw e;
    const info = e.info;
    this.problems.push({
      path: info?.path ?? '', range: e.at ? rangeOf(e.at) : rangeAt(info?.line ?? 0, 0, 0), code: e.code, message: e.message,
      line: (info?.line ?? 0) + 1, data: e.data, related: e.related,
    });
  }

  // ---- definitions ----

  private define(e: Ent): void {
    const other = this.byName.get(e.name);
    if (other) {
      if (other.info) {
        throw new SemError(e.info, `'${e.name}' is already defined`, 'redefinition', e.nameAt, undefined,
          [{ path: other.info.path, range: other.nameAt?.range ?? rangeAt(other.info.line, 0, 0), message: 'previous definition' }]);
      }
      throw new SemError(e.info, `${describeEnt(other)} is already defined (it is predefined)`, 'redefinition', e.nameAt);
    }
    this.ents.push(e);
    this.byName.set(e.name, e);
  }

  /** Defines what an expression makes, in QEMU's order; arrays and implicit objects only when not defined yet. */
  private replay(plan: Plan): void {
    for (const f of plan.feats) {
      if (!this.featureSeen.has(f.name)) {
        this.featureSeen.add(f.name);
        this.featureOrder.push(f);
      }
    }
    for (const step of plan.steps) {
      const ent = step.ent;
      if (step.ifAbsent) {
        const t = this.byName.get(ent.name);
        if (t && !(ent.meta === 'array' && (t.meta === 'command' || t.meta === 'event'))) continue;
      }
      resetEnt(ent);
      this.define(ent);
    }
  }

  /** The entities an expression defines, made once per expression (and doc) and reused by later checks. */
  private planFor(e: CheckedExpr): Plan {
    const hit = e.memo.get(PLAN);
    if (hit && hit.doc === e.doc) return hit.plan;
    const plan = new PlanBuilder(e).build();
    e.memo.set(PLAN, { doc: e.doc, plan });
    return plan;
  }

  // ---- checks ----

  /** `what` says who uses the type: a text, or the member (described only on error: building the text costs something). */
  private resolve(name: string, info: Info | undefined, what: string | Mem, at?: QNode): Ent {
    const t = this.byName.get(name);
    if (t && t.meta !== 'command' && t.meta !== 'event') return t;
    if (this.brokenNames.has(name)) throw new Abandon();
    const suggestions = suggest(name, (this.typeNameSet ??= new Set(this.typeNames())));
    const who = typeof what === 'string' ? what : describeMem(what, info?.defnName ?? '');
    throw new SemError(info, `${who} uses unknown type '${name}'`, 'unknown-type', at, suggestions.length ? { suggestions } : undefined);
  }

  /** User-visible type names, for "did you mean". */
  private *typeNames(): Iterable<string> {
    for (const e of this.ents) {
      if (e.meta !== 'command' && e.meta !== 'event' && e.meta !== 'array' && !e.name.startsWith('q_')) yield e.name;
    }
  }

  private clash(m: Mem, ctx: Info, seen: Map<string, Mem>): void {
    const c = m.cname;
    const other = seen.get(c);
    if (other) {
      throw new SemError(ctx, `${describeMem(m, ctx.defnName)} collides with ${describeMem(other, ctx.defnName)}`, 'member-clash',
        m.info === ctx ? m.at : undefined);
    }
    seen.set(c, m);
  }

  private checkFeatureClash(features: readonly Feat[], info: Info, owner: string): void {
    const seen = new Map<string, Mem>();
    for (const f of features) this.clash(this.featureMem(f, owner), info, seen);
  }

  private featureMem(f: Feat, owner: string): Mem {
    return newMem(f.name, 'feature', owner, f.at, f.info);
  }

  private checkEnt(e: Ent): void {
    switch (e.meta) {
      case 'built-in': return;
      case 'enum': return this.checkEnum(e);
      case 'array': {
        e.element = this.resolve(e.elementName!, e.info, e.info?.defnMeta ?? 'array', e.nameAt);
        return;
      }
      case 'struct': case 'union': return this.checkObject(e);
      case 'alternate': return this.checkAlternate(e);
      default: return this.checkCommandOrEvent(e);
    }
  }

  private checkTypeFeatures(e: Ent): void {
    this.checkFeatureClash(e.features, e.info!, e.name);
    for (const f of e.features) {
      if (f.name === 'deprecated' || f.name === 'unstable') {
        throw new SemError(e.info, `feature '${f.name}' is not supported for types (only for commands, events and members)`, 'special-feature-on-type', f.at);
      }
    }
  }

  private checkEnum(e: Ent): void {
    if (!e.info) return;
    this.checkTypeFeatures(e);
    const seen = new Map<string, Mem>();
    for (const m of e.values!) this.clash(m, e.info, seen);
  }

  /** Checks an object type (once); recursion follows bases and union branches like QEMU. */
  private checkObject(e: Ent): void {
    if (e.state === 'done') return;
    if (e.state === 'failed') throw new Abandon();
    if (e.state === 'checking') {
      e.state = 'failed';
      throw new SemError(e.info, `object ${e.name} contains itself (through its base or branches)`, 'base-cycle', e.nameAt);
    }
    e.state = 'checking';
    try {
      this.checkObjectBody(e);
      e.state = 'done';
    } catch (err) {
      e.state = 'failed';
      throw err;
    }
  }

  private ensureObject(t: Ent): void {
    try {
      this.checkObject(t);
    } catch (err) {
      this.record(err);
    }
    if (t.state !== 'done') throw new Abandon();
  }

  private checkObjectBody(e: Ent): void {
    const info = e.info!;
    if (!e.implicit) this.checkTypeFeatures(e);
    const seen = new Map<string, Mem>();
    if (e.baseName) {
      const base = this.resolve(e.baseName, info, "'base'", e.baseAt);
      if ((base.meta !== 'struct' && base.meta !== 'union') || base.variants) {
        throw new SemError(info, `'base' requires a struct type, ${describeEnt(base)} isn't`, 'invalid-base', e.baseAt);
      }
      e.base = base;
      this.ensureObject(base);
      for (const m of base.members!) this.clash(m, info, seen);
    }
    for (const m of e.local!) {
      m.type = this.resolve(m.typeName!, info, m, m.typeAt);
      this.checkFeatureClash(m.features, info, m.name);
      this.clash(m, info, seen);
    }
    e.members = [...seen.values()];
    if (e.variants) {
      this.checkBranches(e, seen);
      for (const v of e.variants) this.objectClash(v.type!, info, new Map(seen));
    }
  }

  private objectClash(t: Ent, info: Info, seen: Map<string, Mem>): void {
    for (const m of t.members ?? []) this.clash(m, info, seen);
    if (t.variants && t.meta === 'union') for (const v of t.variants) this.objectClash(v.type!, info, new Map(seen));
  }

  private checkBranches(e: Ent, seen: Map<string, Mem>): void {
    const info = e.info!;
    const tag = seen.get(cName(e.tagName!));
    let base = "'base'";
    if (!tag || tag.name !== e.tagName) {
      throw new SemError(info, `discriminator '${e.tagName}' is not a member of ${base}`, 'invalid-discriminator', e.tagAt);
    }
    const owner = this.byName.get(tag.definedIn);
    if (owner && !owner.implicit) base = `base type '${tag.definedIn}'`;
    if (tag.type?.meta !== 'enum') {
      throw new SemError(info, `discriminator member '${e.tagName}' of ${base} must be of enum type`, 'invalid-discriminator', e.tagAt);
    }
    if (tag.optional) throw new SemError(info, `discriminator member '${e.tagName}' of ${base} must not be optional`, 'invalid-discriminator', e.tagAt);
    if (tag.ifPresent) throw new SemError(info, `discriminator member '${e.tagName}' of ${base} must not be conditional`, 'invalid-discriminator', e.tagAt);
    const cases = new Set(e.variants!.map((v) => v.name));
    for (const m of tag.type.values!) {
      if (!cases.has(m.name)) {
        const v = newMem(m.name, 'branch', tag.definedIn, e.tagAt, info);
        v.typeName = 'q_empty';
        v.ifPresent = m.ifPresent;
        e.variants!.push(v);
      }
    }
    if (!e.variants!.length) throw new SemError(info, 'union has no branches', 'union-no-branches', e.nameAt);
    const values = new Set(tag.type.values!.map((m) => m.name));
    for (const v of e.variants!) {
      v.type = this.resolve(v.typeName!, info, v, v.typeAt);
      if (!values.has(v.name)) {
        throw new SemError(info, `branch '${v.name}' is not a value of ${describeEnt(tag.type)}`, 'invalid-branch', v.at,
          { values: [...values] });
      }
      if ((v.type.meta !== 'struct' && v.type.meta !== 'union') || (this.rules.checks80 && v.type.meta === 'union')) {
        throw new SemError(info, `${describeMem(v, info.defnName)} cannot use ${describeEnt(v.type)}: union branches must be objects`, 'invalid-branch-type', v.typeAt);
      }
      this.ensureObject(v.type);
    }
  }

  private checkAlternate(e: Ent): void {
    const info = e.info!;
    this.checkTypeFeatures(e);
    for (const v of e.variants!) v.type = this.resolve(v.typeName!, info, v, v.typeAt);
    const seen = new Map<string, Mem>();
    const typesSeen = new Map<string, string>();
    for (const v of e.variants!) {
      this.clash(v, info, seen);
      const t = v.type!;
      const json = t.meta === 'built-in' ? JSON_TYPE[t.name] : t.meta === 'enum' ? 'string' : t.meta === 'array' ? 'array'
        : t.meta === 'alternate' ? 'value' : 'object';
      if (json === 'value') {
        throw new SemError(info, `${describeMem(v, info.defnName)} cannot use ${describeEnt(t)}`, 'invalid-alternate-branch', v.typeAt);
      }
      const qtype = json === 'int' ? 'number' : json;
      const conflicting = new Set([qtype]);
      if (qtype === 'string') {
        if (t.meta === 'enum') {
          for (const m of t.values!) {
            if (m.name === 'on' || m.name === 'off') conflicting.add('boolean');
            if (/^[-+0-9.]/.test(m.name)) conflicting.add('number');
          }
        } else {
          conflicting.add('number');
          conflicting.add('boolean');
        }
      }
      for (const q of conflicting) {
        const prev = typesSeen.get(q);
        if (prev !== undefined) {
          throw new SemError(info, `${describeMem(v, info.defnName)} can't be distinguished from '${prev}' (same JSON type)`, 'alternate-ambiguous', v.at);
        }
        typesSeen.set(q, v.name);
      }
    }
  }

  private checkCommandOrEvent(e: Ent): void {
    const info = e.info!;
    const what = `${e.meta}'s`;
    this.checkFeatureClash(e.features, info, e.name);
    if (e.argName) {
      const arg = this.resolve(e.argName, info, `${what} 'data'`, e.argAt);
      if (arg.meta !== 'struct' && arg.meta !== 'union') {
        throw new SemError(info, `${what} 'data' cannot take ${describeEnt(arg)}`, 'invalid-data-type', e.argAt);
      }
      if (arg.variants && !e.boxed) {
        throw new SemError(info, `${what} 'data' can take ${describeEnt(arg)} only with 'boxed': true`, 'union-data-needs-boxed', e.argAt);
      }
      if (this.rules.checks80) return this.checkReturns(e, what);
      this.ensureObject(arg);
      if (arg.members!.some((m) => m.ifPresent) && !e.boxed) {
        throw new SemError(info, `conditional ${e.meta} arguments require 'boxed': true`, 'conditional-args-need-boxed', e.argAt);
      }
    }
    this.checkReturns(e, what);
  }

  private checkReturns(e: Ent, what: string): void {
    const info = e.info!;
    if (e.retName) {
      const ret = this.resolve(e.retName, info, `${what} 'returns'`, e.retAt);
      if (!this.pragmas.commandReturnsExceptions.has(e.name)) {
        const t = ret.meta === 'array' ? ret.element : ret;
        if (t && t.meta !== 'struct' && t.meta !== 'union') {
          throw new SemError(info, `${what} 'returns' cannot take ${describeEnt(ret)}: a command must return an object or an array of objects`, 'invalid-returns', e.retAt);
        }
      }
    }
  }

  // ---- documentation ----

  private connectDoc(e: Ent): void {
    const doc = e.info?.doc;
    if (e.implicit || !doc || e.info?.defnName !== e.name) return;
    const mustDocument = this.rules.membersMustBeDocumented && !this.pragmas.documentationExceptions.has(doc.symbol!);
    if (e.connected?.mustDocument === mustDocument) {
      this.connected.set(doc, e.connected);
      this.trustedDocs.add(doc);
      return;
    }
    // Kept only when the whole doc connects (a failure is found again, the same way, next time).
    e.connected = undefined;
    const c: Connected = { args: new Set(), features: new Set(), mustDocument, docChecked: false };
    this.connected.set(doc, c);
    this.connectFeatures(e, doc, c, e.features);
    if (e.meta === 'enum') this.connectMembers(e, doc, c, e.values!);
    else if (e.meta === 'struct' || e.meta === 'union') {
      if (e.base?.implicit) this.connectMembers(e, doc, c, e.base.local!);
      this.connectMembers(e, doc, c, e.local!);
    } else if (e.meta === 'alternate') this.connectMembers(e, doc, c, e.variants!.slice(0, e.variantCount));
    else if (e.argName) {
      const arg = this.byName.get(e.argName);
      if (arg?.implicit) this.connectMembers(e, doc, c, arg.local!);
    }
    e.connected = c;
    this.trustedDocs.add(doc);
  }

  private connectFeatures(e: Ent, doc: ParsedDoc, c: Connected, features: readonly Feat[]): void {
    for (const f of features) {
      if (!doc.features.has(f.name)) {
        throw new SemError(e.info, `feature '${f.name}' lacks documentation`, 'doc-missing-feature', f.at, { missingFeature: f.name });
      }
      c.features.add(f.name);
    }
  }

  private connectMembers(e: Ent, doc: ParsedDoc, c: Connected, members: Mem[]): void {
    for (const m of members) {
      if (!doc.args.has(m.name) && c.mustDocument) {
        throw new SemError(e.info, `${m.role} '${m.name}' lacks documentation`, 'doc-missing-member', m.at, { missingMember: m.name });
      }
      c.args.add(m.name);
      this.connectFeatures(e, doc, c, m.features);
    }
  }

  private checkEntDoc(e: Ent): void {
    const doc = e.info?.doc;
    if (e.implicit || !doc || e.info?.defnName !== e.name || !this.trustedDocs.has(doc)) return;
    this.checkDoc(doc);
  }

  /** Documented members and features must exist (QEMU checks this after everything else). */
  private checkDoc(d: ParsedDoc): void {
    if (!d.args.size && !d.features.size) return;
    const c = this.connected.get(d);
    if (c?.docChecked) return;
    this.checkDocArgs(d, d.args, c?.args, 'member');
    this.checkDocArgs(d, d.features, c?.features, 'feature');
    if (c) c.docChecked = true;
  }

  private checkDocArgs(d: ParsedDoc, args: ReadonlyMap<string, DocArg>, got: Set<string> | undefined, what: string): void {
    let bogus: DocArg[] | undefined;
    for (const a of args.values()) if (!got?.has(a.name)) (bogus ??= []).push(a);
    if (!bogus) return;
    const many = bogus.length > 1;
    // 7.2-8.2 blame the doc comment's first line, 9.0+ the first bogus description.
    const line = this.rules.oldDocParser ? d.block.open.line : bogus[0].line.line;
    throw new SemError({ path: d.path, line, defnName: d.symbol ?? '', defnMeta: '' },
      `documented ${what}${many ? 's' : ''} ${bogus.map((b) => `'${b.name}'`).join(', ')} ${many ? 'do' : 'does'} not exist`,
      `doc-unknown-${what}`, bogus[0].range, { unknown: bogus.map((b) => b.name) });
  }

}
