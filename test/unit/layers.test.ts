// The layers, enforced: every import of every source file is read (TypeScript's own
// parser) and checked against the rules below, and the import graph must have no
// cycles. A rule that must bend for now is listed in KNOWN with the reason; an entry
// that no longer happens fails the test too, so the list only shrinks.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO } from '../helpers/shared';

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Folders whose imports are checked (tests, benchmarks and scripts may reach anywhere). */
const ROOTS = ['server/src', 'client/src', 'webview/src'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveModule(fromFile: string, spec: string): string {
  if (!spec.startsWith('.')) return spec; // a package
  const base = resolve(dirname(fromFile), spec);
  for (const c of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(c).isFile()) return relative(REPO, c);
    } catch {
      /* next */
    }
  }
  return relative(REPO, base);
}

/** Every import and re-export of a file, with whether only types cross. */
function importsOf(file: string): Import[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const from = relative(REPO, file);
  const out: Import[] = [];
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const c = st.importClause;
      const typeOnly =
        !!c &&
        (c.isTypeOnly ||
          (!c.name &&
            !!c.namedBindings &&
            ts.isNamedImports(c.namedBindings) &&
            c.namedBindings.elements.length > 0 &&
            c.namedBindings.elements.every((e) => e.isTypeOnly)));
      out.push({ from, to: resolveModule(file, st.moduleSpecifier.text), typeOnly });
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      out.push({ from, to: resolveModule(file, st.moduleSpecifier.text), typeOnly: st.isTypeOnly });
    }
  }
  return out;
}

/** The layer a repository path belongs to, most specific first. */
function layerOf(path: string): string {
  const layers: [RegExp, string][] = [
    [/^server\/src\/migration\//, 'migration'],
    [/^server\/src\/protocol\//, 'protocol'],
    [/^server\/src\/service\/qapi\//, 'qapi'],
    [/^server\/src\/service\/qmp\//, 'qmp'],
    [/^server\/src\/service\/common\//, 'common'],
    [/^server\/src\/service\/language\.ts$/, 'common'], // the contract every language implements
    [/^server\/src\/service\//, 'service'],
    [/^server\/src\/simulator\//, 'simulator'],
    [/^server\/src\/preview\//, 'preview'],
    [/^server\/src\/live\//, 'live'],
    [/^server\/src\/lsp\//, 'lsp'],
    [/^server\/src\/cli\//, 'cli'],
    [/^client\/src\//, 'client'],
    [/^webview\/src\//, 'webview'],
  ];
  for (const [re, name] of layers) if (re.test(path)) return name;
  return path.startsWith('server/') || path.startsWith('client/') || path.startsWith('webview/') ? 'unknown' : 'package';
}

/** What the client and the page may see of the server besides the protocol: result types only. */
const RESULT_TYPES = [/^server\/src\/simulator\/types\.ts$/, /^server\/src\/migration\/.*types\.ts$/, /^server\/src\/migration\/inputs\.ts$/];
const SERVICE_LAYERS = ['migration', 'common', 'qapi', 'qmp', 'service'];

/** Which layers each layer may import at run time; `types` adds layers it may take types from. */
const RULES: Record<string, { runtime: string[]; types?: string[] }> = {
  migration: { runtime: ['migration'] },
  common: { runtime: ['common', 'migration'] },
  qapi: { runtime: ['qapi', 'common', 'migration'] },
  // One way only: a QMP script can be checked against the schema its QEMU's QAPI sources
  // define (and doc examples live in QAPI files), so qmp reads qapi; qapi never reads qmp.
  qmp: { runtime: ['qmp', 'qapi', 'common', 'migration'] },
  // The service's own entry points compose qapi and qmp one level up.
  service: { runtime: SERVICE_LAYERS },
  simulator: { runtime: ['simulator', 'migration'] },
  protocol: { runtime: ['protocol'], types: [...SERVICE_LAYERS, 'simulator', 'preview', 'live'] },
  preview: { runtime: ['preview', ...SERVICE_LAYERS, 'simulator', 'protocol'] },
  live: { runtime: ['live', ...SERVICE_LAYERS, 'simulator', 'preview', 'protocol'] },
  cli: { runtime: ['cli', ...SERVICE_LAYERS, 'simulator', 'preview', 'live', 'protocol'] },
  lsp: { runtime: ['lsp', ...SERVICE_LAYERS, 'simulator', 'preview', 'live', 'protocol'] },
  client: { runtime: ['client', 'protocol'] },
  webview: { runtime: ['webview'] },
};

/** Packages only the edges may import: the language service stays free of editors and connections. */
const EDITOR_PACKAGES = /^(vscode|vscode-languageserver(\/.*)?|vscode-languageclient(\/.*)?)$/;
const PACKAGE_RULES: Record<string, RegExp | undefined> = {
  migration: EDITOR_PACKAGES,
  common: EDITOR_PACKAGES,
  qapi: EDITOR_PACKAGES,
  qmp: EDITOR_PACKAGES,
  service: EDITOR_PACKAGES,
  simulator: EDITOR_PACKAGES,
  preview: EDITOR_PACKAGES,
  protocol: EDITOR_PACKAGES,
  // The page runs in a browser: no node built-ins, no editor packages.
  webview: /^(node:|vscode)/,
};

function violation(i: Import): string | undefined {
  const from = layerOf(i.from);
  const to = layerOf(i.to);
  if (to === 'package') {
    const banned = PACKAGE_RULES[from];
    if (banned?.test(i.to)) return `${from} must not import the package ${i.to}`;
    return undefined;
  }
  if (from === 'webview' && i.to === 'server/src/protocol/page.ts') return undefined;
  if ((from === 'client' || from === 'webview') && i.typeOnly && RESULT_TYPES.some((r) => r.test(i.to))) return undefined;
  const rule = RULES[from];
  if (!rule) return `${i.from} is in no layer (add it to layerOf)`;
  if (rule.runtime.includes(to)) return undefined;
  if (i.typeOnly && rule.types?.includes(to)) return undefined;
  return `${from} must not import ${to}${i.typeOnly ? ' (even types)' : ''}`;
}

/**
 * Imports that break a rule today, each with why it is still there. Keys: `from -> to`.
 * Every entry must still happen (a fixed one is removed from here).
 */
const KNOWN: Record<string, string> = {};

const imports = ROOTS.flatMap((r) => sourceFiles(join(REPO, r))).flatMap(importsOf);

test('every import keeps to the layers', () => {
  const found = new Map<string, string>();
  for (const i of imports) {
    const v = violation(i);
    if (v) found.set(`${i.from} -> ${i.to}`, v);
  }
  const unexpected = [...found].filter(([k]) => !(k in KNOWN)).map(([k, v]) => `${k}: ${v}`);
  assert.deepEqual(unexpected, [], 'imports that cross a layer the wrong way');
  const stale = Object.keys(KNOWN).filter((k) => !found.has(k));
  assert.deepEqual(stale, [], 'known violations that no longer happen: remove them from KNOWN');
});

/** Strongly connected components of more than one file (Tarjan). */
function cycles(edges: Import[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of edges) if (layerOf(e.to) !== 'package') graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n);
    n++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Cycles present today, each as its sorted files joined by ' '; every entry must still happen. */
const KNOWN_CYCLES: string[] = [];

test('no import cycles (types included)', () => {
  const found = cycles(imports).map((c) => c.join(' '));
  assert.deepEqual(
    found.filter((c) => !KNOWN_CYCLES.includes(c)),
    [],
    'files that import each other in a ring',
  );
  assert.deepEqual(
    KNOWN_CYCLES.filter((c) => !found.includes(c)),
    [],
    'known cycles that are gone: remove them from KNOWN_CYCLES',
  );
});

test('the rules catch a wrong import (the checker itself is checked)', () => {
  assert.ok(violation({ from: 'server/src/service/qapi/x.ts', to: 'server/src/service/qmp/y.ts', typeOnly: false }));
  assert.ok(violation({ from: 'server/src/migration/facts.ts', to: 'server/src/simulator/types.ts', typeOnly: true }));
  assert.ok(violation({ from: 'client/src/extension.ts', to: 'server/src/simulator/engine.ts', typeOnly: false }));
  assert.ok(violation({ from: 'client/src/extension.ts', to: 'server/src/simulator/types.ts', typeOnly: false }), 'result types: types only');
  assert.ok(violation({ from: 'webview/src/main.ts', to: 'server/src/protocol/lsp.ts', typeOnly: false }));
  assert.ok(violation({ from: 'server/src/service/qmp/x.ts', to: 'vscode-languageserver/node', typeOnly: false }));
  assert.equal(violation({ from: 'client/src/extension.ts', to: 'server/src/protocol/lsp.ts', typeOnly: false }), undefined);
  assert.equal(violation({ from: 'server/src/simulator/engine.ts', to: 'server/src/migration/facts.ts', typeOnly: false }), undefined);
  const [a, b] = ['server/src/simulator/a.ts', 'server/src/simulator/b.ts'];
  assert.deepEqual(
    cycles([
      { from: a, to: b, typeOnly: true },
      { from: b, to: a, typeOnly: false },
    ]),
    [[a, b]],
  );
});
