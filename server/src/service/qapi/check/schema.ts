// Semantic checks, in QEMU's order (its schema.py): define every entity (redefinitions),
// then check each entity and connect it to its doc (semantic.ts, docConnect.ts),
// then the doc blocks (documented things that don't exist), then the feature limit.
// Where QEMU stops at the first error we record it and go on with the next entity.
import { BUILTIN_TYPES } from '../model';
import type { ParsedDoc } from './docTypes';
import { DocConnector } from './docConnect';
import { Abandon, describeEnt, type Ent, type Feat, newMem, type Registry, resetEnt, SemError } from './entities';
import type { CheckedExpr } from './exprs';
import { type Plan, planFor } from './plan';
import { type Problem, rangeAt, rangeOf } from './problem';
import type { QapiRules } from './rules';
import { SemanticChecks } from './semantic';
import type { Pragmas } from './traverse';

export type { Plan } from './plan';

export class SchemaChecker implements Registry {
  readonly ents: Ent[] = [];
  readonly byName = new Map<string, Ent>();
  private readonly featureOrder: Feat[] = [];
  private readonly featureSeen = new Set<string>(['deprecated', 'unstable']);
  private readonly semantic: SemanticChecks;
  private readonly docLinks: DocConnector;

  constructor(
    pragmas: Pragmas,
    private readonly rules: QapiRules,
    private readonly problems: Problem[],
    brokenNames: Set<string>,
  ) {
    for (const t of BUILTIN_TYPES) {
      this.define({ name: t, meta: 'built-in', implicit: true, features: [] });
      this.define({ name: t + 'List', meta: 'array', implicit: true, features: [], elementName: t });
    }
    this.define({ name: 'q_empty', meta: 'struct', implicit: true, features: [], local: [], members: [], state: 'done' });
    const qtype: Ent = { name: 'QType', meta: 'enum', implicit: true, features: [] };
    qtype.values = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'].map((n) => newMem(n, 'value', 'QType', undefined));
    this.define(qtype);
    this.semantic = new SemanticChecks(this, pragmas, rules, brokenNames, (e) => this.record(e));
    this.docLinks = new DocConnector(this, pragmas, rules);
  }

  run(exprs: CheckedExpr[], docs: ParsedDoc[], cancelled: () => boolean): void {
    for (const e of exprs) {
      try {
        this.replay(planFor(e));
      } catch (err) {
        this.record(err);
      }
    }
    for (let i = 0; i < this.ents.length; i++) {
      if ((i & 63) === 0 && cancelled()) return;
      const ent = this.ents[i];
      try {
        this.semantic.checkEnt(ent);
        this.docLinks.connectDoc(ent);
        // 7.2-8.2 check a definition's doc right after connecting it; 9.0+ all docs at the end.
        if (this.rules.oldDocParser) this.docLinks.checkEntDoc(ent);
      } catch (err) {
        this.record(err);
      }
    }
    for (const d of this.rules.oldDocParser ? [] : docs) {
      if (d.symbol && !this.docLinks.trusted(d)) continue;
      try {
        this.docLinks.checkDoc(d);
      } catch (err) {
        this.record(err);
      }
    }
    if (this.rules.maxFeatures !== undefined && this.featureOrder.length + 2 > this.rules.maxFeatures) {
      const f = this.featureOrder[this.rules.maxFeatures - 2];
      this.problems.push({
        path: f.info.path,
        range: f.at.range,
        code: 'too-many-features',
        line: f.info.line + 1,
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
      path: info?.path ?? '',
      range: e.at ? rangeOf(e.at) : rangeAt(info?.line ?? 0, 0, 0),
      code: e.code,
      message: e.message,
      line: (info?.line ?? 0) + 1,
      data: e.data,
      related: e.related,
    });
  }

  // ---- definitions ----

  private define(e: Ent): void {
    const other = this.byName.get(e.name);
    if (other) {
      if (other.info) {
        throw new SemError(e.info, `'${e.name}' is already defined`, 'redefinition', e.nameAt, undefined, [
          { path: other.info.path, range: other.nameAt?.range ?? rangeAt(other.info.line, 0, 0), message: 'previous definition' },
        ]);
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
}
