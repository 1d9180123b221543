// Connecting each definition's doc comment to what it documents (schema.py's
// connect_doc() and QAPIDoc.check()): members and features must be documented
// (9.0+: every member, unless excepted), and everything documented must exist.
import type { DocArg, ParsedDoc } from './docTypes';
import { type Connected, type Ent, type Feat, type Mem, type Registry, SemError } from './entities';
import type { QapiRules } from './rules';
import type { Pragmas } from './traverse';

export class DocConnector {
  private readonly connected = new Map<ParsedDoc, Connected>();
  private readonly trustedDocs = new Set<ParsedDoc>();
  /** The kinds of the doc's sections in QEMU's order, while stubs for undocumented members are inserted (10.0+). */
  private kinds: string[] | undefined;

  constructor(
    private readonly reg: Registry,
    private readonly pragmas: Pragmas,
    private readonly rules: QapiRules,
  ) {}

  /** Whether a definition doc was connected to its definition (the others belong to definitions that failed earlier). */
  trusted(d: ParsedDoc): boolean {
    return this.trustedDocs.has(d);
  }

  connectDoc(e: Ent): void {
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
    this.kinds = undefined;
    this.connected.set(doc, c);
    this.connectFeatures(e, doc, c, e.features);
    if (e.meta === 'enum') this.connectMembers(e, doc, c, e.values!);
    else if (e.meta === 'struct' || e.meta === 'union') {
      if (e.base?.implicit) this.connectMembers(e, doc, c, e.base.local!);
      this.connectMembers(e, doc, c, e.local!);
    } else if (e.meta === 'alternate') this.connectMembers(e, doc, c, e.variants!.slice(0, e.variantCount));
    else if (e.argName) {
      const arg = this.reg.byName.get(e.argName);
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
      if (!doc.args.has(m.name) && this.rules.stubInsertionCrash) this.insertStub(e, doc, m);
      c.args.add(m.name);
      this.connectFeatures(e, doc, c, m.features);
    }
  }

  /**
   * 10.0+ insert a stub description for an undocumented (excepted) member after the
   * member sections; when nothing but member sections follows the intro, QEMU's loop
   * runs off the end and the frontend crashes (IndexError). We say so instead.
   */
  private insertStub(e: Ent, doc: ParsedDoc, m: Mem): void {
    if (!this.kinds) {
      const order: [number, string][] = [];
      for (const a of doc.args.values()) order.push([a.line.line, 'member']);
      for (const f of doc.features.values()) order.push([f.line.line, 'feature']);
      for (const s of doc.sections) order.push([s.line.line, s.tag || 'plain']);
      order.sort((a, b) => a[0] - b[0]);
      this.kinds = ['plain', ...order.map((o) => o[1])];
    }
    const kinds = this.kinds;
    let index = 1;
    if (kinds.length > 1) {
      while (kinds[index] === 'member') index++;
      if (index >= kinds.length) {
        throw new SemError(
          e.info,
          `QEMU's frontend fails on this doc comment (an internal error while adding a description of undocumented ${m.role} '${m.name}'): describe the members, or add a section after them`,
          'doc-stub-crash',
          m.at,
          { missingMember: m.name },
        );
      }
    }
    kinds.splice(index, 0, 'member');
  }

  checkEntDoc(e: Ent): void {
    const doc = e.info?.doc;
    if (e.implicit || !doc || e.info?.defnName !== e.name || !this.trustedDocs.has(doc)) return;
    this.checkDoc(doc);
  }

  /** Documented members and features must exist (QEMU checks this after everything else). */
  checkDoc(d: ParsedDoc): void {
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
    throw new SemError(
      { path: d.path, line, defnName: d.symbol ?? '', defnMeta: '' },
      `documented ${what}${many ? 's' : ''} ${bogus.map((b) => `'${b.name}'`).join(', ')} ${many ? 'do' : 'does'} not exist`,
      `doc-unknown-${what}`,
      bogus[0].range,
      { unknown: bogus.map((b) => b.name) },
    );
  }
}
