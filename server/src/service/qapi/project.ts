// Finds the root of a schema file and checks the whole include tree from there,
// reproducing QEMU's frontend: parse (with per-line doc checks), expression checks,
// definitions, semantic checks, doc/definition matching, feature limit. Parsed
// files are cached by path and text, so re-checking after an edit re-parses only
// the edited file.
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Cancellation } from '../common/cancellation';
import type { FileAccess } from '../common/files';
import { pathToUri } from '../common/paths';
import type { Settings } from '../common/settings';
import { type ResolvedVersion, resolveVersion } from '../common/versions';
import { buildDefinition, ifMacros, typeRefsOf, get } from './check/definitions';
import { checkExprs } from './check/exprs';
import { SchemaChecker } from './check/schema';
import { adoptUnchanged, parseFile, type ParsedFile } from './check/parser';
import type { Problem } from './check/problem';
import { rulesFor } from './check/rules';
import { type SourceExpr, traverse } from './check/traverse';
import { memoSlot } from './check/memo';
import type { ParsedDoc } from './check/docs';
import type { Definition, SchemaCheck, SchemaModel, TypeRef } from './model';

/** How far up from a file we look for the root schema. */
const MAX_ROOT_DEPTH = 8;

export class QapiProject {
  private readonly cache = new Map<string, ParsedFile>();

  constructor(private readonly files: FileAccess) {}

  /** The parsed file at `path` (re-parsed only when its text changed), or why it cannot be read. */
  parsed(path: string, token?: Cancellation): ParsedFile | { error: string } {
    const r = this.files.read(path);
    if ('error' in r) {
      this.cache.delete(path);
      return r;
    }
    const hit = this.cache.get(path);
    if (hit && hit.text === r.text) return hit;
    const p = parseFile(path, r.text, token);
    if (!p.cancelled) {
      if (hit) adoptUnchanged(hit, p);
      this.cache.set(path, p);
    }
    return p;
  }

  /** The root schema `path` belongs to: the configured root, else a qapi-schema.json above that includes it, else itself. */
  rootFor(path: string, settings: Settings): string {
    if (settings.schemaRoot) return settings.schemaRoot;
    let dir = dirname(path);
    for (let i = 0; i < MAX_ROOT_DEPTH; i++) {
      for (const candidate of [join(dir, 'qapi-schema.json'), join(dir, 'qapi', 'qapi-schema.json')]) {
        if (candidate === path) return path;
        if (this.files.isFile(candidate) && this.includeTree(candidate).has(path)) return candidate;
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return path;
  }

  /** Every file reachable from `root` through includes (no checks). */
  private includeTree(root: string): Set<string> {
    const seen = new Set<string>([root]);
    const todo = [root];
    while (todo.length) {
      const f = this.parsed(todo.pop()!);
      if ('error' in f) continue;
      for (const target of includesOf(f)) {
        if (!seen.has(target)) {
          seen.add(target);
          todo.push(target);
        }
      }
    }
    return seen;
  }

  check(root: string, settings: Settings, token?: Cancellation): SchemaCheck {
    const version = resolveVersion(settings.qemuVersion, root, this.files);
    try {
      return this.checkTree(root, version, token);
    } catch (e) {
      // A bug of ours must not take the editor down: say so on the root file instead.
      const message = `the QAPI checker failed on this schema (internal error: ${e instanceof Error ? e.message : String(e)}); please report it`;
      const problem: Problem = {
        path: root,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        code: 'internal-error',
        message,
        line: 1,
      };
      return {
        version,
        rules: version.rules,
        diagnostics: new Map([[root, [toDiagnostic(problem)]]]),
        firstError: { path: root, line: 1, message },
        model: {
          root,
          project: this,
          files: [root],
          definitions: [],
          byName: new Map(),
          typeRefs: [],
          includes: [],
          ifMacros: new Set(),
          featureNames: new Set(),
          expressions: new Map(),
        },
      };
    }
  }

  private checkTree(root: string, version: ResolvedVersion, token: Cancellation | undefined): SchemaCheck {
    const rules = rulesFor(version.rules);
    const t = traverse(root, { parsed: (p) => this.parsed(p, token), rules, ruleSet: version.rules }, token);
    if (!t.cancelled) {
      const checked = checkExprs(t.exprs, t.pragmas, rules, t.problems, t.brokenNames);
      new SchemaChecker(t.pragmas, rules, t.problems, t.brokenNames).run(checked, t.docs, () => !!token?.isCancellationRequested);
    }
    const model: SchemaModel = {
      root,
      project: this,
      files: t.files,
      definitions: [],
      byName: new Map(),
      typeRefs: [],
      includes: t.includes,
      ifMacros: new Set(),
      featureNames: new Set(),
      expressions: t.expressions,
    };
    for (const e of t.exprs) {
      const entry = modelEntry(e);
      if (entry.def) addToModel(model, entry);
    }
    const diagnostics = new Map<string, Diagnostic[]>();
    for (const f of t.files) diagnostics.set(f, []);
    for (const p of t.problems) {
      let list = diagnostics.get(p.path);
      if (!list) diagnostics.set(p.path, (list = []));
      list.push(toDiagnostic(p));
    }
    const f = t.problems[0];
    return {
      version,
      rules: version.rules,
      diagnostics,
      model,
      firstError: f ? { path: f.path, line: f.line, column: f.column, message: f.message } : null,
    };
  }
}

// The files a parsed file includes, found once per parse: finding a file's root walks the include tree on every request.
const includeTargets = new WeakMap<ParsedFile, string[]>();

function includesOf(f: ParsedFile): string[] {
  let targets = includeTargets.get(f);
  if (targets) return targets;
  targets = [];
  for (const item of f.items) {
    if (item.kind !== 'expr' || item.node.kind !== 'object') continue;
    const v = get(item.node, 'include');
    if (v?.kind === 'string') targets.push(resolve(dirname(f.path), v.value));
  }
  includeTargets.set(f, targets);
  return targets;
}

/** A definition with what the model indexes about it, made once per expression node and doc. */
export interface ModelEntry {
  doc?: ParsedDoc;
  def?: Definition;
  refs: readonly TypeRef[];
  macros: readonly string[];
  features: readonly string[];
}

const NONE: readonly never[] = [];
/** An expression's model entry, kept while its file's parse is cached. */
const ENTRY = memoSlot<ModelEntry>();
const scratch = new Set<string>();

function modelEntry(e: SourceExpr): ModelEntry {
  const { node, path, doc } = e;
  const hit = e.memo.get(ENTRY);
  if (hit && hit.doc === doc) return hit;
  const def = buildDefinition(node, path, doc);
  // Scratch sets, copied only when not empty: most definitions have no macros and no features.
  scratch.clear();
  ifMacros(node, scratch);
  const macros = scratch.size ? [...scratch] : NONE;
  scratch.clear();
  for (const f of def?.features ?? []) scratch.add(f.name);
  for (const m of def?.members ?? []) for (const f of m.features) scratch.add(f.name);
  const features = scratch.size ? [...scratch] : NONE;
  const entry: ModelEntry = { doc, def, refs: def ? typeRefsOf(def) : NONE, macros, features };
  e.memo.set(ENTRY, entry);
  return entry;
}

function addToModel(model: SchemaModel, e: ModelEntry): void {
  const def = e.def!;
  model.definitions.push(def);
  if (!model.byName.has(def.name)) model.byName.set(def.name, def);
  for (const r of e.refs) model.typeRefs.push(r);
  for (const m of e.macros) model.ifMacros.add(m);
  for (const f of e.features) model.featureNames.add(f);
}

export function toDiagnostic(p: Problem): Diagnostic {
  const d: Diagnostic = { range: p.range, severity: 1, source: 'qapi', code: p.code, message: p.message };
  if (p.data) d.data = p.data;
  if (p.related) {
    d.relatedInformation = p.related.map((r) => ({ location: { uri: pathToUri(r.path), range: r.range }, message: r.message }));
  }
  return d;
}
