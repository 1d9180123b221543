// The wiring check: every migration parameter and capability of the schema must show
// up in the C functions that QEMU needs it in (migration/wiring.ts names them).
// A warning goes on the QAPI member and points at the C function that lacks it.
import { join } from 'node:path';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { pathToUri } from '../common/paths';
import { compareVersions, parseVersion, type QemuVersion } from '../common/versions';
import type { Definition, Member, SchemaCheck } from '../qapi/model';
import { allMembers } from '../qapi/features/schemaIndex';
import { CAPABILITY_READ_IN, GETTER, WIRING_EXCEPTIONS, WIRING_PLACES, type WiringPlace, type WiringTarget } from '../../migration/wiring';
import { CText } from './cText';
import { cEnumConst, cNameProtected } from './generatedNames';
import type { QemuTree, TreeAccess } from './qemuTree';

export const WIRING_CODE = 'c-wiring';

export interface WiringResult {
  /** Diagnostics by QAPI file path. */
  diagnostics: Map<string, Diagnostic[]>;
  /** The C files read (a change to any of them changes the result). */
  files: string[];
}

const SEVERITY_WARNING = 2;

/** Runs the check when the schema has MigrationParameters and the tree has migration/options.c; else null. */
export function wiringCheck(check: SchemaCheck, tree: QemuTree, access: TreeAccess): WiringResult | null {
  const params = check.model.byName.get('MigrationParameters');
  if (!params) return null;
  const optionsPath = join(tree.root, 'migration/options.c');
  if (!access.isFile(optionsPath)) return null;

  const files: string[] = [];
  const read = (rel: string): CText | undefined => {
    const p = join(tree.root, rel);
    files.push(p);
    const r = access.read(p);
    return 'text' in r ? CText.of(p, r.text) : undefined;
  };
  const out = new Map<string, Diagnostic[]>();
  const warn = (m: Member, message: string, related: DiagnosticRelatedInformation[]) => {
    const list = out.get(m.span.path) ?? [];
    list.push({
      range: m.span.range,
      severity: SEVERITY_WARNING,
      source: 'qapi-qmp',
      code: WIRING_CODE,
      message,
      relatedInformation: related.length ? related : undefined,
    });
    out.set(m.span.path, list);
  };

  const targets: Record<WiringTarget, { def: Definition; members: Member[] } | undefined> = {
    MigrationParameters: { def: params, members: allMembers(check, params) },
    MigrateSetParameters: membersOf(check, 'MigrateSetParameters'),
    MigrationParameter: membersOf(check, 'MigrationParameter'),
    MigrationCapability: membersOf(check, 'MigrationCapability'),
  };
  const paramConst = (name: string) => cEnumConst('MigrationParameter', name, check.rules);
  const texts = new Map<string, CText | undefined>();
  const text = (rel: string) => (texts.has(rel) ? texts.get(rel) : (texts.set(rel, read(rel)), texts.get(rel)));

  for (const place of WIRING_PLACES) {
    // MigrateSetParameters was folded into MigrationParameters in later QEMUs: its places then concern the latter.
    const t = targets[place.target] ?? (place.target === 'MigrateSetParameters' ? targets.MigrationParameters : undefined);
    const c = text(place.file);
    if (!t || !c) continue;
    const block = c.findBlock(place.block);
    const words = c.blockWords(place.block);
    if (!block || !words) continue; // this QEMU does not have that function: nothing to compare with
    for (const m of t.members) {
      if (!applies(place, m) || excepted(place, m, check.version.version)) continue;
      const f = cNameProtected(m.name);
      const k = paramConst(m.name);
      if (place.forms.some((form) => (form === 'field' ? words.field.has(f) : form === 'property' ? words.property.has(f) : words[form].has(k)))) continue;
      warn(
        m,
        `'${m.name}' is missing from ${place.block}${place.file.endsWith('.c') && !place.block.endsWith('properties') ? '()' : ''} ` +
          `in ${place.file}: ${place.consequence}`,
        [
          {
            location: { uri: pathToUri(c.path), range: c.rangeOf(block.nameStart, block.nameEnd) },
            message: `${place.block} does not mention ${cNameProtected(m.name)}`,
          },
        ],
      );
    }
  }

  getters(targets.MigrationParameters!.members, tree, access, text, warn);
  capabilities(targets.MigrationCapability?.members ?? [], check, tree, access, text, warn);
  return { diagnostics: out, files };
}

function membersOf(check: SchemaCheck, name: string): { def: Definition; members: Member[] } | undefined {
  const def = check.model.byName.get(name);
  if (!def) return undefined;
  return { def, members: def.kind === 'enum' ? def.members : allMembers(check, def) };
}

/** QEMU's own omissions for this version (see WIRING_EXCEPTIONS). */
function excepted(place: WiringPlace, m: Member, version: QemuVersion): boolean {
  return WIRING_EXCEPTIONS.some((e) => e.place === place.id && e.member === m.name && (!e.fixedIn || compareVersions(version, parseVersion(e.fixedIn)!) < 0));
}

function applies(place: WiringPlace, m: Member): boolean {
  return !place.applies || (!!m.type && place.applies(m.type.name, m.type.array));
}

type Read = (rel: string) => CText | undefined;
type Warn = (m: Member, message: string, related: DiagnosticRelatedInformation[]) => void;

/** `.c` files directly in a folder of the tree (relative paths). */
function cFilesIn(tree: QemuTree, access: TreeAccess, rel: string): string[] {
  return access
    .list(join(tree.root, rel))
    .filter((e) => !e.dir && e.name.endsWith('.c'))
    .map((e) => `${rel}/${e.name}`)
    .sort();
}

/**
 * Getters: a parameter with `migrate_<field>()` defined in options.c, declared in a
 * header or read in migration/ must have all three (the seed's options.c, options.h
 * and migration.c hunks); parameters without any getter are left alone.
 */
function getters(members: Member[], tree: QemuTree, access: TreeAccess, text: Read, warn: Warn): void {
  const options = text(GETTER.definedIn);
  if (!options) return;
  const headers = GETTER.declaredIn.map((h) => text(h)).filter((c): c is CText => !!c);
  const readers = cFilesIn(tree, access, GETTER.readIn).filter((f) => f !== GETTER.definedIn);
  const readerTexts = readers.map((f) => text(f)).filter((c): c is CText => !!c);
  for (const m of members) {
    const g = GETTER.name(cNameProtected(m.name));
    const def = options.findBlock(g);
    const decl = headers.find((h) => h.identifiersStarting('migrate_').has(g));
    const use = readerTexts.find((r) => r.identifiersStarting('migrate_').has(g));
    if (!def && !decl && !use) continue;
    const at = (c: CText, i: number) => ({ uri: pathToUri(c.path), range: c.rangeOf(i, i + g.length) });
    if (!def) {
      const from = decl ?? use!;
      warn(m, `'${m.name}': ${g}() is not defined in ${GETTER.definedIn} (it is ${decl ? 'declared' : 'called'} in ${rel(tree, from.path)})`, [
        { location: at(from, from.identifiersStarting('migrate_').get(g)!), message: `${g} ${decl ? 'declared' : 'called'} here` },
      ]);
      continue;
    }
    const defLoc = { location: at(options, def.nameStart), message: `${g}() defined here` };
    if (!decl) warn(m, `'${m.name}': ${g}() is defined in ${GETTER.definedIn} but declared in none of ${GETTER.declaredIn.join(', ')}`, [defLoc]);
    if (!use)
      warn(m, `'${m.name}': ${g}() is never called in ${GETTER.readIn}/ outside ${GETTER.definedIn}: the parameter is stored but nothing reads it`, [defLoc]);
  }
}

/** Capabilities: each MIGRATION_CAPABILITY_<X> must be read somewhere in migration/ besides the property list. */
function capabilities(members: Member[], check: SchemaCheck, tree: QemuTree, access: TreeAccess, text: Read, warn: Warn): void {
  if (!members.length) return;
  const read = new Set<string>();
  const PREFIX = 'MIGRATION_CAPABILITY_';
  for (const f of cFilesIn(tree, access, CAPABILITY_READ_IN)) {
    const c = text(f);
    if (!c) continue;
    const list = f === 'migration/options.c' ? c.findBlock('migration_properties') : undefined;
    if (!list) {
      for (const k of c.identifiersStarting(PREFIX).keys()) read.add(k);
      continue;
    }
    // The property list only declares the capability; a read must be elsewhere in the file.
    const re = new RegExp(`\\b${PREFIX}\\w+`, 'g');
    for (const part of [c.code.slice(0, list.bodyStart), c.code.slice(list.bodyEnd)]) for (const x of part.match(re) ?? []) read.add(x);
  }
  if (!read.size) return;
  for (const m of members) {
    const k = cEnumConst('MigrationCapability', m.name, check.rules);
    if (!read.has(k)) {
      warn(m, `'${m.name}': ${k} is read nowhere in ${CAPABILITY_READ_IN}/ (outside the property list): the capability can be set but does nothing`, []);
    }
  }
}

const rel = (tree: QemuTree, p: string) => (p.startsWith(tree.root + '/') ? p.slice(tree.root.length + 1) : p);
