// QEMU's semantic checks of one entity (schema.py's check() methods): unknown
// types, bases, member clashes, union branches and discriminators, alternate
// ambiguity, command and event arguments and returns. Object types are checked
// once, following bases and branches as QEMU does.
import type { QNode } from '../model';
import { suggest } from '../../common/suggest';
import { Abandon, describeEnt, describeMem, type Ent, type Feat, type Info, type Mem, newMem, type Registry, SemError } from './entities';
import { cName } from './exprs';
import type { QapiRules } from './rules';
import type { Pragmas } from './traverse';

const JSON_TYPE: Record<string, string> = {
  str: 'string',
  number: 'number',
  int: 'int',
  int8: 'int',
  int16: 'int',
  int32: 'int',
  int64: 'int',
  uint8: 'int',
  uint16: 'int',
  uint32: 'int',
  uint64: 'int',
  size: 'int',
  bool: 'boolean',
  any: 'value',
  null: 'null',
};

export class SemanticChecks {
  /** Built on the first unknown type, for "did you mean". */
  private typeNameSet?: Set<string>;

  constructor(
    private readonly reg: Registry,
    private readonly pragmas: Pragmas,
    private readonly rules: QapiRules,
    private readonly brokenNames: Set<string>,
    /** Records a problem found while checking a dependency, so the current entity can go on or stop. */
    private readonly record: (e: unknown) => void,
  ) {}

  /** `what` says who uses the type: a text, or the member (described only on error: building the text costs something). */
  private resolve(name: string, info: Info | undefined, what: string | Mem, at?: QNode): Ent {
    const t = this.reg.byName.get(name);
    if (t && t.meta !== 'command' && t.meta !== 'event') return t;
    if (this.brokenNames.has(name)) throw new Abandon();
    const suggestions = suggest(name, (this.typeNameSet ??= new Set(this.typeNames())));
    const who = typeof what === 'string' ? what : describeMem(what, info?.defnName ?? '');
    throw new SemError(info, `${who} uses unknown type '${name}'`, 'unknown-type', at, suggestions.length ? { suggestions } : undefined);
  }

  /** User-visible type names, for "did you mean". */
  private *typeNames(): Iterable<string> {
    for (const e of this.reg.ents) {
      if (e.meta !== 'command' && e.meta !== 'event' && e.meta !== 'array' && !e.name.startsWith('q_')) yield e.name;
    }
  }

  private clash(m: Mem, ctx: Info, seen: Map<string, Mem>): void {
    const c = m.cname;
    const other = seen.get(c);
    if (other) {
      throw new SemError(
        ctx,
        `${describeMem(m, ctx.defnName)} collides with ${describeMem(other, ctx.defnName)}`,
        'member-clash',
        m.info === ctx ? m.at : undefined,
      );
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

  checkEnt(e: Ent): void {
    switch (e.meta) {
      case 'built-in':
        return;
      case 'enum':
        return this.checkEnum(e);
      case 'array': {
        e.element = this.resolve(e.elementName!, e.info, e.info?.defnMeta ?? 'array', e.nameAt);
        return;
      }
      case 'struct':
      case 'union':
        return this.checkObject(e);
      case 'alternate':
        return this.checkAlternate(e);
      default:
        return this.checkCommandOrEvent(e);
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
    const owner = this.reg.byName.get(tag.definedIn);
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
        throw new SemError(info, `branch '${v.name}' is not a value of ${describeEnt(tag.type)}`, 'invalid-branch', v.at, { values: [...values] });
      }
      if ((v.type.meta !== 'struct' && v.type.meta !== 'union') || (this.rules.checks80 && v.type.meta === 'union')) {
        throw new SemError(
          info,
          `${describeMem(v, info.defnName)} cannot use ${describeEnt(v.type)}: union branches must be objects`,
          'invalid-branch-type',
          v.typeAt,
        );
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
      const json =
        t.meta === 'built-in' ? JSON_TYPE[t.name] : t.meta === 'enum' ? 'string' : t.meta === 'array' ? 'array' : t.meta === 'alternate' ? 'value' : 'object';
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
          throw new SemError(
            info,
            `${what} 'returns' cannot take ${describeEnt(ret)}: a command must return an object or an array of objects`,
            'invalid-returns',
            e.retAt,
          );
        }
      }
    }
  }
}
