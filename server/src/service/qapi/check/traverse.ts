// Walks a schema's include tree from its root in the order QEMU parses it (an
// include is parsed where it appears), handling top-level directives: includes,
// pragmas, and which doc block belongs to which definition. Problems are collected
// in the order QEMU would meet them, so the first one is QEMU's verdict.
import { dirname, resolve } from 'node:path';
import type { Cancellation } from '../../common/cancellation';
import type { DocBlock, IncludeRef, QObject, TopLevelExpr } from '../model';
import { entryOf } from './definitions';
import { parseDoc, type ParsedDoc } from './docs';
import { type Memo, memoSlot } from './memo';
import type { ParsedFile, RawDocBlock } from './parser';
import { type Problem, qemuColumn, rangeAt } from './problem';
import type { QapiRules } from './rules';
import type { RuleSet } from '../../common/versions';

export interface Pragmas {
  docRequired: boolean;
  commandNameExceptions: Set<string>;
  commandReturnsExceptions: Set<string>;
  memberNameExceptions: Set<string>;
  documentationExceptions: Set<string>;
}

/** A definition expression as the later checks see it. */
export interface SourceExpr {
  path: string;
  node: QObject;
  /** 0-based line of the expression's first token (QEMU reports line + 1). */
  line: number;
  doc?: ParsedDoc;
  /** What the later stages computed from this expression while its file is unchanged. */
  memo: Memo;
}

export interface Traversal {
  files: string[];
  exprs: SourceExpr[];
  expressions: Map<string, TopLevelExpr[]>;
  docs: ParsedDoc[];
  includes: IncludeRef[];
  pragmas: Pragmas;
  problems: Problem[];
  /** Names of definitions whose expression could not be parsed; uses of them are not reported as unknown. */
  brokenNames: Set<string>;
  cancelled: boolean;
}

export interface FileSource {
  /** The parsed file (cached by the caller), or why it cannot be read. */
  parsed(path: string): ParsedFile | { error: string };
  rules: QapiRules;
  ruleSet: RuleSet;
}

export function traverse(root: string, src: FileSource, token: Cancellation | undefined): Traversal {
  const t: Traversal = {
    files: [],
    exprs: [],
    expressions: new Map(),
    docs: [],
    includes: [],
    problems: [],
    pragmas: {
      docRequired: false,
      commandNameExceptions: new Set(),
      commandReturnsExceptions: new Set(),
      memberNameExceptions: new Set(),
      documentationExceptions: new Set(),
    },
    brokenNames: new Set(),
    cancelled: false,
  };
  const first = src.parsed(root);
  if ('error' in first) {
    t.files.push(root);
    t.problems.push({
      path: root,
      range: rangeAt(0, 0, 0),
      code: 'unreadable-file',
      line: 1,
      message: `can't read schema file '${root}': ${first.error}`,
    });
    return t;
  }
  const included = new Set<string>([root]);
  // Explicit stack of files being walked (the include chain), so deep include chains cannot overflow.
  interface Walk {
    file: ParsedFile;
    i: number;
    curDoc?: ParsedDoc;
    exprs: TopLevelExpr[];
  }
  const chain: Walk[] = [];
  const enter = (file: ParsedFile) => {
    if (file.cancelled) t.cancelled = true;
    t.files.push(file.path);
    const exprs: TopLevelExpr[] = [];
    t.expressions.set(file.path, exprs);
    chain.push({ file, i: 0, exprs });
  };
  enter(first);
  const semAt = (w: Walk, line: number, message: string, code: string, range = rangeAt(line, 0, 0)): Problem => ({
    path: w.file.path,
    range,
    code,
    message,
    line: line + 1,
  });
  const rejectDoc = (w: Walk) => {
    const d = w.curDoc;
    if (d?.symbol) {
      t.problems.push({
        path: d.path,
        range: d.symbolRange ?? d.block.range,
        code: 'doc-without-definition',
        line: d.block.open.line + 1,
        message: `documentation for '${d.symbol}' is not followed by its definition`,
      });
    }
    w.curDoc = undefined;
  };
  let steps = 0;
  while (chain.length) {
    if ((++steps & 255) === 0 && token?.isCancellationRequested) {
      t.cancelled = true;
      break;
    }
    const w = chain[chain.length - 1];
    if (w.i >= w.file.items.length) {
      rejectDoc(w);
      chain.pop();
      continue;
    }
    const item = w.file.items[w.i++];
    if (item.kind === 'error') {
      t.problems.push(item.problem);
      const name = item.partial && partialName(item.partial);
      if (name) t.brokenNames.add(name);
      continue;
    }
    if (item.kind === 'doc') {
      rejectDoc(w);
      if (item.block.broken) continue;
      const d = docFor(w.file, item.block, src.rules, src.ruleSet);
      t.problems.push(...d.problems);
      const after = item.block.commentAfter;
      if (after && src.rules.commentAfterDocIsJunk) {
        // QEMU's loop first refuses a definition doc that no definition follows, then reads the comment as a doc.
        w.curDoc = d;
        rejectDoc(w);
        t.problems.push({
          path: w.file.path,
          code: 'doc-junk-at-start',
          message: "junk after '##' at start of documentation comment (QEMU 9.0 takes a comment right after a doc block for a new one)",
          line: after.line + 1,
          column: qemuColumn(item.block.text, after.lineStart, after.offset),
          range: rangeAt(after.line, after.offset - after.lineStart, after.offset - after.lineStart + after.text.length),
        });
      }
      t.docs.push(d);
      w.curDoc = d;
      continue;
    }
    const node = item.node;
    if (node.kind !== 'object') {
      t.problems.push(semAt(w, item.line, 'a top-level expression must be an object', 'top-level-not-object', node.range));
      w.curDoc = undefined;
      continue;
    }
    // A directive: its doc must not be a definition's, and it must have its key only.
    const directive = entryOf(node, 'include') ?? entryOf(node, 'pragma');
    if (directive) {
      const next = w.file.items[w.i];
      if (item.nextTokenBad && next?.kind === 'error') {
        t.problems.push(next.problem);
        w.i++;
      }
      rejectDoc(w);
      w.exprs.push({ path: w.file.path, node });
      if (node.entries.length !== 1) {
        const at = node.range.start.character;
        t.problems.push(
          semAt(w, item.line, `invalid '${directive.key}' directive: it must have no other key`, `invalid-${directive.key}`, rangeAt(item.line, at, at + 1)),
        );
        continue;
      }
    }
    if (directive?.key === 'include') {
      const v = directive.value;
      if (v.kind !== 'string') {
        t.problems.push(semAt(w, item.line, "the value of 'include' must be a string", 'invalid-include', v.range));
        continue;
      }
      const target = resolve(dirname(w.file.path), v.value);
      t.includes.push({ span: { path: w.file.path, range: v.range }, target });
      if (chain.some((c) => c.file.path === target)) {
        t.problems.push(semAt(w, item.line, `inclusion loop for ${v.value}`, 'include-loop', v.range));
        continue;
      }
      if (included.has(target)) continue;
      included.add(target);
      const sub = src.parsed(target);
      if ('error' in sub) {
        t.problems.push(semAt(w, item.line, `can't read include file '${v.value}': ${sub.error}`, 'unreadable-include', v.range));
        continue;
      }
      enter(sub);
      continue;
    }
    if (directive) {
      const pragma = directive;
      if (pragma.value.kind !== 'object') {
        t.problems.push(semAt(w, item.line, "the value of 'pragma' must be an object", 'invalid-pragma', pragma.value.range));
        continue;
      }
      for (const e of pragma.value.entries) {
        const p = applyPragma(t.pragmas, e.key, e.value, src.rules);
        if (p) {
          t.problems.push(semAt(w, item.line, p, 'invalid-pragma', e.keyRange));
          break;
        }
      }
      continue;
    }
    const doc = w.curDoc;
    if (doc && !doc.symbol) {
      t.problems.push({
        path: doc.path,
        range: doc.block.range,
        code: 'doc-missing-symbol',
        line: doc.block.open.line + 1,
        message: "definition documentation required: the block before a definition must start with '# @Name:'",
      });
    }
    t.exprs.push({ path: w.file.path, node, line: item.line, doc: doc?.symbol ? doc : undefined, memo: item.memo });
    w.exprs.push({ path: w.file.path, node, doc: doc ? docBlockOf(w.file, doc.block) : undefined });
    w.curDoc = undefined;
  }
  return t;
}

/** The model's raw view of a doc block; the line texts are made on first use (most checks never look at them). */
class DocBlockView implements DocBlock {
  private lineTexts?: string[];
  constructor(
    readonly path: string,
    private readonly block: RawDocBlock,
  ) {}
  get range(): DocBlock['range'] {
    return this.block.range;
  }
  get lines(): string[] {
    if (!this.lineTexts) {
      this.lineTexts = [];
      for (let i = 0; i < this.block.lineCount; i++) {
        const t = this.block.line(i).text;
        this.lineTexts.push(t.startsWith('# ') ? t.slice(2) : t.slice(1));
      }
    }
    return this.lineTexts;
  }
}

/** The model's view of the raw block. */
const VIEW = memoSlot<DocBlock>();
/** The block interpreted under the rule set of the last check (a check under another set replaces it). */
const PARSED = memoSlot<{ set: RuleSet; doc: ParsedDoc }>();

/** The model's raw view of a doc block (made once per parsed block). */
function docBlockOf(file: ParsedFile, b: RawDocBlock): DocBlock {
  return b.memo.get(VIEW) ?? b.memo.set(VIEW, new DocBlockView(file.path, b));
}

function partialName(o: QObject): string | undefined {
  for (const e of o.entries) {
    if (['enum', 'struct', 'union', 'alternate', 'command', 'event'].includes(e.key) && e.value.kind === 'string') return e.value.value;
  }
  return undefined;
}

/** The list-valued pragmas and where each one goes. */
const LIST_PRAGMAS: Record<string, keyof Omit<Pragmas, 'docRequired'>> = {
  'command-name-exceptions': 'commandNameExceptions',
  'command-returns-exceptions': 'commandReturnsExceptions',
  'member-name-exceptions': 'memberNameExceptions',
  'documentation-exceptions': 'documentationExceptions',
};

/** Applies one pragma; returns the problem text when it is invalid. */
function applyPragma(p: Pragmas, name: string, value: QObject['entries'][number]['value'], rules: QapiRules): string | undefined {
  if (name === 'doc-required') {
    if (value.kind !== 'bool') return "pragma 'doc-required' must be true or false";
    p.docRequired = value.value;
    return undefined;
  }
  const slot = LIST_PRAGMAS[name];
  if (!slot || (slot === 'documentationExceptions' && !rules.documentationExceptions)) return `unknown pragma '${name}'`;
  if (value.kind !== 'array' || value.items.some((i) => i.kind !== 'string')) return `pragma ${name} must be a list of strings`;
  p[slot] = new Set(value.items.map((i) => (i.kind === 'string' ? i.value : '')));
  return undefined;
}

function docFor(file: ParsedFile, block: RawDocBlock, rules: QapiRules, set: RuleSet): ParsedDoc {
  // The interpreted block lives as long as its parsed file; one rule set at a time (versions rarely change).
  const hit = block.memo.get(PARSED);
  if (hit?.set === set) return hit.doc;
  const doc = parseDoc(file.path, block.text, block, rules);
  block.memo.set(PARSED, { set, doc });
  return doc;
}
