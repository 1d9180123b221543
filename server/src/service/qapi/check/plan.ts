// From one checked expression to the entities QEMU defines for it, in QEMU's
// order (array types and implicit objects before their user). A plan is made once
// per expression and doc and kept on the expression's memo while its file is unchanged.
import type { QNode, QObject } from '../model';
import { get } from './definitions';
import type { ParsedDoc } from './docTypes';
import { type Ent, type Feat, type Info, type Mem, newMem, NO_FEATS } from './entities';
import type { CheckedExpr } from './exprs';
import { memoSlot } from './memo';

export interface Plan {
  steps: { ent: Ent; ifAbsent: boolean }[];
  /** Feature uses in the order QEMU registers them (for the schema-wide limit). */
  feats: Feat[];
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
    this.plan.steps.push({
      ent: { name, meta: 'array', implicit: true, features: NO_FEATS, info: this.info, elementName: element, nameAt: at },
      ifAbsent: true,
    });
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

/** The entities an expression defines, made once per expression (and doc) and reused by later checks. */
export function planFor(e: CheckedExpr): Plan {
  const hit = e.memo.get(PLAN);
  if (hit && hit.doc === e.doc) return hit.plan;
  const plan = new PlanBuilder(e).build();
  e.memo.set(PLAN, { doc: e.doc, plan });
  return plan;
}
