// Differential testing of the QAPI checker against QEMU's own frontend of each
// release: mutate real schema modules (a root including pragma.json and the
// module) and QEMU's test cases, run both, compare verdict, file, line and
// column (where QEMU gives one). Mutants are made by a seeded generator, so a
// disagreement is reproducible from (release, seed, index).
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { diskFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { QapiProject } from '../../server/src/service/qapi/project';
import { QapiOracle, type OracleVerdict } from './qapiOracle';
import type { Release } from './qemuReleases';

/** A file to mutate and the root schema to check it through. */
interface Subject {
  file: string;
  root: string;
  text: string;
}

export interface Disagreement {
  subject: string;
  mutation: string;
  qemu: OracleVerdict;
  ours: { line?: number; column?: number; file?: string; message?: string } | null;
}

export interface DiffResult {
  release: string;
  mutants: number;
  agreed: number;
  accepted: number;
  disagreements: Disagreement[];
}

/** mulberry32: small, seeded, good enough to pick mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Lines that touch the rules which differ between releases (doc sections, tags,
// headings, indentation, line format) and the expression checks.
const DOC_LINES = [
  '#',
  '##',
  '#x',
  '# = Heading',
  '# == Sub',
  '# Note: a note',
  '# Notes: notes',
  '# Example: foo',
  '# Examples:',
  '# Example::',
  '# Note:: x',
  '# Features:',
  '# @deprecated: gone',
  '# @unstable: maybe',
  '# Since: 9.9',
  '# Since:',
  '# Returns: a thing',
  '# Returns:',
  '# Errors: on error',
  '# Errors:',
  '# TODO: later',
  '# TODO:',
  '# @foo: a foo',
  '# @foo:',
  '# @: nothing',
  '# @bar : spaced',
  '#     indented text',
  '#   @baz: indented',
  '# text. More text',
  '# Words words words words words words words words words words words words words.',
  '# .. qmp-example::',
  '# https://example.org/a/very/long/url/that/goes/on/and/on/beyond/seventy/columns',
  '# text: with colon',
  '# Features',
  '# @Missing:',
  '#\tTab',
];
const EXPR_LINES = [
  "{ 'struct': 'Xyz', 'data': { 'a': 'int' } }",
  "{ 'struct': 'Xyz', 'data': 'str' }",
  "{ 'command': 'x-cmd' }",
  "{ 'enum': 'Ee', 'data': [ 'a', 'b' ], 'features': [ 'deprecated' ] }",
  "{ 'event': 'EVT', 'data': { '*x': 'str' } }",
  "{ 'pragma': { 'documentation-exceptions': [ 'Xyz' ] } }",
  "{ 'pragma': { 'doc-required': true } }",
  "{ 'include': 'nonexistent.json' }",
  "{ 'alternate': 'Alt', 'data': { 'a': 'int', 'b': 'str' } }",
  '}',
  '{',
];
const WORD_SWAPS: [RegExp, string[]][] = [
  [/'data'/, ["'base'", "'returns'", "'dat'"]],
  [/'str'/, ["'int'", "'any'", "'StrOrNull'", "['str']", "'Nope'"]],
  [/'int'/, ["'str'", "'uint64'", "'number'"]],
  [/true/, ['false']],
  [/'\*/, ["'"]],
  [/Since: /, ['Since:  ', 'Since:', 'Returns: ']],
  [/@(\w+):/, ['@$1 :', '@$1', '@x$1:', '@$1::']],
  [/ {2}/, [' ', '   ']],
  [/\. {2}/, ['. ']],
  [/'if'/, ["'iff'"]],
  [/'features'/, ["'feature'"]],
  [/# /, ['#', '#  ']],
];

/** One mutation of `text`, described. */
export function mutate(text: string, rand: () => number): { text: string; what: string } {
  const lines = text.split('\n');
  const pickIndex = (pred?: (l: string) => boolean) => {
    for (let tries = 0; tries < 20; tries++) {
      const i = Math.floor(rand() * lines.length);
      if (!pred || pred(lines[i])) return i;
    }
    return Math.floor(rand() * lines.length);
  };
  const isDoc = (l: string) => l.startsWith('#');
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const op = Math.floor(rand() * 9);
  const docBias = rand() < 0.6;
  const i = pickIndex(docBias ? isDoc : undefined);
  const at = `line ${i + 1}`;
  switch (op) {
    case 0:
      lines.splice(i, 1);
      return { text: lines.join('\n'), what: `delete ${at}` };
    case 1:
      lines.splice(i, 0, lines[i]);
      return { text: lines.join('\n'), what: `duplicate ${at}` };
    case 2: {
      const l = docBias ? pick(DOC_LINES) : pick(EXPR_LINES);
      lines.splice(i, 0, l);
      return { text: lines.join('\n'), what: `insert ${JSON.stringify(l)} before ${at}` };
    }
    case 3: {
      if (i + 1 >= lines.length) return mutate(text, rand);
      [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
      return { text: lines.join('\n'), what: `swap ${at} with the next` };
    }
    case 4: {
      const l = lines[i];
      const n = 1 + Math.floor(rand() * 4);
      lines[i] = l.startsWith('# ') ? (rand() < 0.5 ? '# ' + ' '.repeat(n) + l.slice(2) : '# ' + l.slice(2).trimStart()) : ' '.repeat(n) + l;
      return { text: lines.join('\n'), what: `re-indent ${at}` };
    }
    case 5: {
      const l = lines[i];
      const c = Math.floor(rand() * (l.length + 1));
      const ch = pick(["'", '{', '}', '[', ']', ',', ':', '#', '@', '=', '.', ' ', '\t', 'x', '*']);
      lines[i] = rand() < 0.5 && l.length ? l.slice(0, c) + l.slice(c + 1) : l.slice(0, c) + ch + l.slice(c);
      return { text: lines.join('\n'), what: `edit a character of ${at}` };
    }
    case 6: {
      for (let tries = 0; tries < 10; tries++) {
        const j = pickIndex();
        const [re, subs] = pick(WORD_SWAPS);
        if (re.test(lines[j])) {
          const s = pick(subs);
          lines[j] = lines[j].replace(re, s);
          return { text: lines.join('\n'), what: `replace ${re} by ${s} in line ${j + 1}` };
        }
      }
      return mutate(text, rand);
    }
    case 7: {
      const l = lines[i];
      const tail = pick([' Foo.  Bar.', ' Foo. Bar.', ' e.g. Foo', ' and more words to make this line much longer than seventy columns in all']);
      lines[i] = l + tail;
      return { text: lines.join('\n'), what: `append ${JSON.stringify(tail)} to ${at}` };
    }
    default: {
      // Two mutations at once reach states one cannot (e.g. a section emptied and a tag added).
      const a = mutate(text, rand);
      const b = mutate(a.text, rand);
      return { text: b.text, what: `${a.what}; ${b.what}` };
    }
  }
}

/** A scratch copy of a release's schema modules and of QEMU's test cases. */
export class Workspace {
  readonly dir: string;
  readonly modules: Subject[] = [];
  readonly cases: Subject[] = [];

  constructor(schemaTree: string, testCases: string | undefined, opts: { maxModuleBytes?: number } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'qapi-diff-'));
    const q = join(this.dir, 'qapi');
    mkdirSync(q);
    for (const f of readdirSync(join(schemaTree, 'qapi'))) {
      if (!f.endsWith('.json')) continue;
      copyFileSync(join(schemaTree, 'qapi', f), join(q, f));
    }
    for (const f of readdirSync(q).sort()) {
      if (f === 'qapi-schema.json' || f === 'pragma.json' || !f.endsWith('.json')) continue;
      const file = join(q, f);
      if (opts.maxModuleBytes && statSync(file).size > opts.maxModuleBytes) continue;
      const root = join(q, `zz-root-${f}`);
      const hasPragma = readdirSync(q).includes('pragma.json');
      writeFileSync(root, `${hasPragma ? "{ 'include': 'pragma.json' }\n" : ''}{ 'include': '${f}' }\n`);
      this.modules.push({ file, root, text: readFileSync(file, 'utf8') });
    }
    if (testCases) {
      const t = join(this.dir, 'tests');
      cpSync(testCases, t, { recursive: true });
      for (const f of readdirSync(t).sort()) {
        if (!f.endsWith('.json')) continue;
        const file = join(t, f);
        this.cases.push({ file, root: file, text: readFileSync(file, 'utf8') });
      }
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function agrees(q: OracleVerdict, ours: ReturnType<QapiProject['check']>['firstError']): boolean {
  if (q.crash) return !!ours;
  if (q.ok) return !ours;
  if (!ours) return false;
  if (q.file == null || q.line == null) return true; // no location (e.g. an unreadable root): the verdict is all there is
  return basename(q.file) === basename(ours.path) && q.line === ours.line && (q.col ?? undefined) === (ours.column ?? undefined);
}

/**
 * Runs `count` mutants for one release (`caseShare` of them on test cases) and
 * compares. Files are restored after each mutant.
 */
export async function runDifferential(
  release: Release,
  frontend: string,
  ws: Workspace,
  opts: { count: number; seed: number; caseShare?: number; unmutated?: boolean },
): Promise<DiffResult> {
  const oracle = new QapiOracle(frontend);
  const project = new QapiProject(diskFiles);
  const settings = { ...defaultSettings, qemuVersion: release.version };
  const result: DiffResult = { release: release.version, mutants: 0, agreed: 0, accepted: 0, disagreements: [] };
  const rand = rng(opts.seed);
  const judge = async (s: Subject, what: string) => {
    const q = await oracle.judge(s.root);
    const ours = project.check(s.root, settings).firstError;
    result.mutants++;
    if (q.ok) result.accepted++;
    if (agrees(q, ours)) result.agreed++;
    else {
      result.disagreements.push({
        subject: basename(s.file),
        mutation: what,
        qemu: q,
        ours: ours && { file: basename(ours.path), line: ours.line, column: ours.column, message: ours.message },
      });
    }
  };
  try {
    if (opts.unmutated) for (const s of ws.modules) await judge(s, 'unmutated');
    for (let k = 0; k < opts.count; k++) {
      const pool = ws.cases.length && rand() < (opts.caseShare ?? 0.5) ? ws.cases : ws.modules;
      if (!pool.length) continue;
      const s = pool[Math.floor(rand() * pool.length)];
      const m = mutate(s.text, rand);
      writeFileSync(s.file, m.text);
      try {
        await judge(s, `#${k}: ${m.what}`);
      } finally {
        writeFileSync(s.file, s.text);
      }
    }
  } finally {
    oracle.close();
  }
  return result;
}
