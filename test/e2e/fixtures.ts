// The workspace each session opens: built in a temp folder at run time from the
// repository's examples and, when present, QEMU's own files in ../shared (never
// copied into the repository), plus small QMP scripts written here.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sharedQemu } from '../helpers/shared';
import type { Pos } from './probe/protocol';
import { REPO } from './tools';

/** QEMU test schemas whose single error sits in the schema file itself. */
export const QEMU_BROKEN_CASES = ['duplicate-key', 'doc-bad-command-arg', 'missing-comma-object'];

export const SCRIPTS = {
  /** Valid for 10.2; avail-switchover-bandwidth is unknown to QEMU 7.2. */
  migrate: [
    '{ "execute": "qmp_capabilities" }',
    '{ "execute": "migrate-set-parameters",',
    '  "arguments": { "avail-switchover-bandwidth": 1250000000, "downtime-limit": 300 } }',
    '',
  ].join('\n'),
  /** The cursor goes between the braces of `arguments`. */
  complete: '{ "execute": "migrate-set-parameters", "arguments": {  } }\n',
  /** A misspelt command. */
  typo: '{ "execute": "migrate-set-parameter", "arguments": { "downtime-limit": 300 } }\n',
};

/** A QAPI doc line longer than 70 characters: an error under 10.2's rules only. */
export const LONG_DOC_LINE_SCHEMA = [
  '##',
  '# @probe-long-line:',
  '#',
  '# This sentence is deliberately written long enough to pass seventy characters.',
  '#',
  '# Since: 1.0',
  '##',
  "{ 'command': 'probe-long-line' }",
  '',
].join('\n');

export interface Workspace {
  root: string;
  /** Absolute path of a workspace-relative path. */
  path(rel: string): string;
  /** Position of the `nth` occurrence of `needle` in a workspace file, plus `delta` characters. */
  find(rel: string, needle: string, opts?: { nth?: number; after?: string; delta?: number }): Pos;
  /** Text of a workspace file. */
  read(rel: string): string;
  /** Workspace-relative paths of the files in a folder whose names end with `suffix`, sorted. */
  files(relDir: string, suffix: string): string[];
  /** Line (0-based) of QEMU's expected error for a copied QEMU test schema. */
  qemuErrorLine(name: string): number;
  /** Removes the workspace (kept when QAPI_E2E_KEEP is set, for looking at a failure). */
  dispose(): void;
  /** Set when QEMU's 10.2 schema (from ../shared) is in the workspace. */
  qemu102?: string;
  /** Set when QEMU's test schemas (from ../shared) are in the workspace. */
  qemuTests?: string;
}

export function makeWorkspace(name: string): Workspace {
  const root = mkdtempSync(join(tmpdir(), `qapi-e2e-ws-${name}-`));
  cpSync(join(REPO, 'examples'), join(root, 'examples'), { recursive: true });
  mkdirSync(join(root, 'scripts'));
  for (const [n, text] of Object.entries(SCRIPTS)) writeFileSync(join(root, 'scripts', `${n}.qmp`), text);
  mkdirSync(join(root, 'probe', 'qapi'), { recursive: true });
  writeFileSync(join(root, 'probe', 'qapi', 'long-line.json'), LONG_DOC_LINE_SCHEMA);

  const ws: Workspace = {
    root,
    path: (rel) => join(root, rel),
    find: (rel, needle, { nth = 1, after, delta = 0 } = {}) => {
      const text = ws.read(rel);
      let at = after === undefined ? -1 : text.indexOf(after);
      if (after !== undefined && at < 0) throw new Error(`"${after}" not in ${rel}`);
      for (let i = 0; i < nth; i++) {
        at = text.indexOf(needle, at + 1);
        if (at < 0) throw new Error(`occurrence ${nth} of "${needle}" not in ${rel}`);
      }
      const before = text.slice(0, at + delta).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length };
    },
    read: (rel) => readFileSync(join(root, rel), 'utf8'),
    dispose: () => {
      if (!process.env.QAPI_E2E_KEEP) rmSync(root, { recursive: true, force: true });
    },
    files: (relDir, suffix) =>
      existsSync(join(root, relDir))
        ? readdirSync(join(root, relDir))
            .filter((f) => f.endsWith(suffix))
            .sort()
            .map((f) => `${relDir}/${f}`)
        : [],
    qemuErrorLine: (n) => {
      const err = readFileSync(join(sharedQemu('qapi-tests').path, `${n}.err`), 'utf8');
      const m = new RegExp(`^${n}\\.json:(\\d+)`, 'm').exec(err);
      if (!m) throw new Error(`no line in ${n}.err`);
      return Number(m[1]) - 1;
    },
  };

  const v102 = sharedQemu('schemas/v10.2.0');
  if (!v102.skip) {
    cpSync(v102.path, join(root, 'qemu-10.2'), { recursive: true });
    ws.qemu102 = join(root, 'qemu-10.2');
  }
  const tests = sharedQemu('qapi-tests');
  if (!tests.skip) {
    // Under tests/qapi-schema/ like in QEMU's tree, which is also how the extension recognises them.
    const dir = join(root, 'qemu-tests', 'tests', 'qapi-schema');
    mkdirSync(dir, { recursive: true });
    for (const c of QEMU_BROKEN_CASES) {
      const src = join(tests.path, `${c}.json`);
      if (existsSync(src)) cpSync(src, join(dir, basename(src)));
    }
    ws.qemuTests = dir;
  }
  return ws;
}
