// Across the QAPI/C edge in a QEMU tree: the C names of schema entities on hover, the
// schema's commands, types, members and enum values found in C, C identifiers the
// generator makes led back to the schema, and the wiring check of migration parameters.
// Everything here answers nothing outside a QEMU tree and for names that are not generated.
import { relative } from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, Location, Position, Range } from 'vscode-languageserver-types';
import type { FileAccess } from '../common/files';
import { pathToUri, uriToPath } from '../common/paths';
import type { Settings } from '../common/settings';
import type { QapiLanguage } from '../qapi/index';
import type { Definition, Member, SchemaCheck } from '../qapi/model';
import { allMembers, targetAt } from '../qapi/features/schemaIndex';
import { CIdentifierIndex } from './cIndex';
import { CText } from './cText';
import { cNameProtected, describeGenerated, generatedIdentifiers, namesOfDefinition, namesOfMember, needsHas } from './generatedNames';
import { findQemuTree, listCFiles, type QemuTree, type TreeAccess } from './qemuTree';
import { wiringCheck, type WiringResult } from './wiringCheck';

export interface CSourceOptions {
  /**
   * Runs a slice of index building later (the server: setImmediate). Absent: the index
   * is built at once when first needed (CLI, tests).
   */
  schedule?: (work: () => void) => void;
  /**
   * How the index reads C files (default: the service's file access). The server passes
   * uncached reads so thousands of C texts are not kept in its read cache.
   */
  indexReads?: FileAccess;
  /**
   * Builds a tree's index away from this thread (the server: worker threads) and calls
   * `finish` when complete, or `fallback` to build it in slices instead; returns false
   * when it cannot start (then slices are used).
   */
  buildIndex?: (tree: QemuTree, index: CIdentifierIndex, finish: (how: string) => void, fallback: () => void) => boolean;
  /** Called when a tree's index is complete, with how it was built (the server logs it). */
  onIndexed?: (tree: QemuTree, index: CIdentifierIndex, ms: number, how: string) => void;
}

export interface CSource {
  treeOf(path: string): QemuTree | undefined;
  /** The tree's index as far as it is built (building starts on first call). */
  indexOf(tree: QemuTree): CIdentifierIndex;
  /** A C file changed on disk or in the editor: re-index it if its tree is indexed. */
  fileChanged(path: string, text?: string): void;
  // ---- schema side ----
  wiring(check: SchemaCheck, schemaPath: string): WiringResult | null;
  qapiHover(check: SchemaCheck, path: string, pos: Position): string | undefined;
  qapiDefinition(check: SchemaCheck, path: string, pos: Position): Location[];
  qapiReferences(check: SchemaCheck, path: string, pos: Position): Location[];
  // ---- C side ----
  hover(doc: TextDocument, pos: Position, settings: Settings): Hover | null;
  definition(doc: TextDocument, pos: Position, settings: Settings): Location[];
  /** The schema files a C document's answers come from. */
  dependencies(doc: TextDocument, settings: Settings): string[];
}

export function createCSource(qapi: QapiLanguage, access: TreeAccess, options: CSourceOptions = {}): CSource {
  const trees = new Map<string, QemuTree | null>(); // folder -> tree
  const indexes = new Map<string, CIdentifierIndex>(); // tree root -> index

  const treeOf = (path: string): QemuTree | undefined => {
    const dir = path.replace(/\/[^/]*$/, '');
    let t = trees.get(dir);
    if (t === undefined) trees.set(dir, (t = findQemuTree(path, access) ?? null));
    return t ?? undefined;
  };

  function indexOf(tree: QemuTree): CIdentifierIndex {
    let index = indexes.get(tree.root);
    if (index) return index;
    index = new CIdentifierIndex(options.indexReads ?? access);
    indexes.set(tree.root, index);
    const started = performance.now();
    const idx = index;
    const finish = (how: string) => options.onIndexed?.(tree, idx, performance.now() - started, how);
    if (options.schedule) {
      const schedule = options.schedule;
      // Listing the tree is itself a slice: nothing runs on the request that asked.
      const slices = () =>
        schedule(() => {
          idx.enqueue(listCFiles(tree, access));
          const run = () => (idx.step() ? finish('in slices on the main thread') : schedule(run));
          run();
        });
      if (!options.buildIndex?.(tree, idx, finish, slices)) slices();
    } else {
      idx.enqueue(listCFiles(tree, access));
      idx.drain();
      finish('at once');
    }
    return index;
  }

  const isC = (p: string) => p.endsWith('.c') || p.endsWith('.h');

  // Offsets to positions, remembered for the latest text of each file.
  const lines = new Map<string, { text: string; c: CText }>();
  const textOf = (path: string): CText | undefined => {
    const r = access.read(path);
    if (!('text' in r)) return undefined;
    const hit = lines.get(path);
    if (hit && hit.text === r.text) return hit.c;
    const c = CText.of(path, r.text);
    lines.set(path, { text: r.text, c });
    return c;
  };
  const locationAt = (path: string, offset: number, length: number): Location | undefined => {
    const c = textOf(path);
    return c ? { uri: pathToUri(path), range: c.rangeOf(offset, offset + length) } : undefined;
  };
  const occurrences = (tree: QemuTree, names: string[]): Location[] => {
    const out: Location[] = [];
    for (const o of indexOf(tree).lookup(...names)) {
      const l = locationAt(o.path, o.offset, o.name.length);
      if (l) out.push(l);
    }
    return out;
  };

  /** Field accesses `->f` / `.f` / has_f in the files that name one of the owning C types. */
  function fieldUses(tree: QemuTree, owners: string[], field: string): Location[] {
    const index = indexOf(tree);
    const files = new Set(index.filesWith(...owners));
    const re = new RegExp(`(?:->|\\.)\\s*((?:has_)?${field})\\b`, 'g');
    const out: Location[] = [];
    for (const f of [...files].sort()) {
      const c = textOf(f);
      if (!c) continue;
      for (let m; (m = re.exec(c.code)); ) {
        const start = m.index + m[0].length - m[1].length;
        out.push({ uri: pathToUri(f), range: c.rangeOf(start, start + m[1].length) });
      }
    }
    return out;
  }

  /** Definitions whose members include `def`'s (it and those based on it). */
  const ownersOf = (check: SchemaCheck, def: Definition) =>
    check.model.definitions.filter((d) => d === def || (d.base && allMembers(check, d).some((m) => def.members.includes(m)))).map((d) => d.name);

  const schemaFor = (doc: TextDocument, settings: Settings): { tree: QemuTree; check: SchemaCheck } | undefined => {
    const path = uriToPath(doc.uri);
    const tree = treeOf(path);
    if (!tree) return undefined;
    return { tree, check: qapi.checkSchemaOf(tree.schemaRoot, settings) };
  };

  /** What a C identifier at a position was generated from. */
  function generatedAt(doc: TextDocument, pos: Position, settings: Settings) {
    const s = schemaFor(doc, settings);
    if (!s) return undefined;
    const c = CText.of(uriToPath(doc.uri), doc.getText());
    const id = c.identifierAt(c.offsetAt(pos));
    if (!id) return undefined;
    const range: Range = c.rangeOf(id.start, id.end);
    const owner = generatedIdentifiers(s.check).get(id.name);
    if (owner) return { ...s, range, name: id.name, targets: [{ def: owner.def, member: owner.member }] };
    // has_<field>: the optional members with that C name that need the flag.
    if (id.name.startsWith('has_')) {
      const field = id.name.slice(4);
      const targets: { def: Definition; member?: Member }[] = [];
      for (const def of s.check.model.definitions) {
        if (def.kind !== 'struct' && def.kind !== 'command' && def.kind !== 'event' && def.kind !== 'union') continue;
        for (const m of def.members) if (m.role === 'member' && cNameProtected(m.name) === field && needsHas(s.check, m)) targets.push({ def, member: m });
      }
      if (targets.length) return { ...s, range, name: id.name, targets };
    }
    return undefined;
  }

  const where = (tree: QemuTree, span: { path: string; range: Range }) => `${relative(tree.root, span.path)}:${span.range.start.line + 1}`;

  return {
    treeOf,
    indexOf,
    fileChanged(path, text) {
      if (!isC(path)) return;
      const tree = treeOf(path);
      const index = tree && indexes.get(tree.root);
      if (!index) return;
      if (text !== undefined) index.indexText(path, text);
      else {
        index.enqueue([path]);
        if (options.schedule) options.schedule(() => index.step());
        else index.drain();
      }
    },

    wiring(check, schemaPath) {
      const tree = treeOf(schemaPath);
      return tree ? wiringCheck(check, tree, access) : null;
    },

    qapiHover(check, path, pos) {
      const at = targetAt(check, path, pos);
      if (!at) return undefined;
      const t = at.target;
      if (t.kind === 'definition') return describeGenerated(check, t.def);
      if (t.kind === 'member') return describeGenerated(check, t.def, t.member);
      return undefined;
    },

    qapiDefinition(check, path, pos) {
      const at = targetAt(check, path, pos);
      const tree = treeOf(path);
      if (!at || !tree || at.target.kind !== 'definition' || at.target.def.kind !== 'command') return [];
      const handler = namesOfDefinition(check, at.target.def).find((n) => n.kind === 'handler')!.name;
      const out: Location[] = [];
      for (const f of indexOf(tree).filesWith(handler)) {
        if (!f.endsWith('.c')) continue;
        const c = textOf(f);
        const b = c?.findBlock(handler);
        if (c && b) out.push({ uri: pathToUri(f), range: c.rangeOf(b.nameStart, b.nameEnd) });
      }
      return out;
    },

    qapiReferences(check, path, pos) {
      const at = targetAt(check, path, pos);
      const tree = treeOf(path);
      if (!at || !tree) return [];
      const t = at.target;
      if (t.kind === 'definition')
        return occurrences(
          tree,
          namesOfDefinition(check, t.def).map((n) => n.name),
        );
      if (t.kind !== 'member') return [];
      if (t.member.role === 'value')
        return occurrences(
          tree,
          namesOfMember(check, t.def, t.member).map((n) => n.name),
        );
      if (t.def.kind === 'struct' || t.def.kind === 'union') return fieldUses(tree, ownersOf(check, t.def), cNameProtected(t.member.name));
      return [];
    },

    hover(doc, pos, settings) {
      const g = generatedAt(doc, pos, settings);
      if (!g) return null;
      const parts = g.targets.slice(0, 8).map(({ def, member }) => {
        const what = member
          ? `${member.role === 'value' ? 'value' : 'member'} \`${member.name}\` of ${def.kind} \`${def.name}\``
          : `${def.kind} \`${def.name}\``;
        const doc = member ? def.doc?.members.get(member.name) : def.doc?.body;
        const text = doc ? `\n\n${doc.split(/\n\s*\n/)[0]}` : '';
        return `**QAPI ${what}** (${where(g.tree, member?.span ?? def.nameSpan)})${text}\n\n${describeGenerated(g.check, def, member)}`;
      });
      return {
        contents: { kind: 'markdown', value: `\`${g.name}\` is generated by QEMU's QAPI generator from:\n\n${parts.join('\n\n---\n\n')}` },
        range: g.range,
      };
    },

    definition(doc, pos, settings) {
      const g = generatedAt(doc, pos, settings);
      if (!g) return [];
      return g.targets.map(({ def, member }) => {
        const span = member?.span ?? def.nameSpan;
        return { uri: pathToUri(span.path), range: span.range };
      });
    },

    dependencies(doc, settings) {
      const s = schemaFor(doc, settings);
      return s ? s.check.model.files : [];
    },
  };
}
