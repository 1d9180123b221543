// Lexer and parser of one QAPI schema file (QEMU's JSON dialect), with recovery.
// A single pass over char codes; containers are built with an explicit stack, so
// deeply nested input cannot overflow the call stack. After an error the rest of
// the broken expression is skipped up to the next line that starts a new top-level
// expression (`{` or `##` in column 1) and parsing goes on, so independent errors
// are all reported. Doc blocks are kept raw here; docs.ts interprets them (the
// rules differ per QEMU version).
import type { Range } from 'vscode-languageserver-types';
import type { Cancellation } from '../../common/cancellation';
import type { QNode, QObject } from '../model';
import { Memo } from './memo';
import { ArrayNode, BoolNode, Entry, ObjectNode, StringNode } from './nodes';
import { type Problem, qemuColumn, rangeAt } from './problem';

/** Deeper nesting than this is refused (QEMU's recursive parser would crash long before). */
export const MAX_NESTING = 1000;

export interface RawDocLine {
  /** The comment as written, from `#` to the end of the line (no line break). */
  text: string;
  line: number;
  /** Offset of the `#` and of the start of its line in the file text. */
  offset: number;
  lineStart: number;
}

/**
 * A `##` block. Its comment lines are kept as packed positions and made into
 * RawDocLines on request: a schema has tens of thousands of them and the parse is
 * kept between checks, so one object and one string per line would cost memory
 * and garbage-collection time on every check.
 */
export class RawDocBlock {
  constructor(
    /** The text of the file the block was read from: what its offsets refer to. */
    readonly text: string,
    /** The opening `##` line. */
    readonly open: RawDocLine,
    /** Per line between the `##`s: its number, the offsets of its `#`, of its start and of its end. */
    private readonly packed: Int32Array,
    /** The closing `##` line; absent when the block is not closed properly. */
    readonly close: RawDocLine | undefined,
    readonly range: Range,
    /** Junk after the opening `##`: QEMU stops before reading the block, so we don't interpret it. */
    readonly broken: boolean,
    readonly memo: Memo,
    /** A plain comment right after the closing `##` (QEMU 9.0 refuses it). */
    readonly commentAfter: RawDocLine | undefined,
    /** Where the block's text ends (after the comment after it, if any). */
    readonly end: number,
  ) {}

  get lineCount(): number {
    return this.packed.length / 4;
  }

  line(i: number): RawDocLine {
    const k = i * 4;
    const offset = this.packed[k + 1];
    return { text: this.text.slice(offset, this.packed[k + 3]), line: this.packed[k], offset, lineStart: this.packed[k + 2] };
  }
}

export type FileItem =
  /** `start`/`end`: the expression's text in the file (from its first token to the end of its last). */
  | { kind: 'expr'; node: QNode; line: number; memo: Memo; nextTokenBad?: boolean; start: number; end: number }
  | { kind: 'doc'; block: RawDocBlock }
  | { kind: 'error'; problem: Problem; partial?: QObject };

export interface ParsedFile {
  path: string;
  text: string;
  items: FileItem[];
  /** Parsing was abandoned on request: the items stop early and the result must not be cached. */
  cancelled?: boolean;
}

const enum T {
  LBrace,
  RBrace,
  Colon,
  Comma,
  LBracket,
  RBracket,
  Str,
  True,
  False,
  Hash,
  EOF,
  Bad,
}

const C_NL = 10,
  C_CR = 13,
  C_HASH = 35,
  C_QUOTE = 39,
  C_BSL = 92;

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 11 ||
    c === 12 ||
    c === 0x1c ||
    c === 0x1d ||
    c === 0x1e ||
    c === 0x1f ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

class LexError {
  constructor(
    readonly message: string,
    readonly code: string,
  ) {}
}

interface Frame {
  node: ObjectNode | ArrayNode;
  /** Keys seen so far (objects only). */
  keys?: Set<string>;
  /** The pending key: its text and where it is. */
  key?: string;
  keyLine?: number;
  keyC0?: number;
  keyC1?: number;
}

export function parseFile(path: string, text: string, token?: Cancellation): ParsedFile {
  return new Parser(path, text).run(token);
}

/**
 * Takes over from the previous parse of a file every expression and doc block whose text
 * is unchanged and starts on the same line and column: the very same nodes, blocks and
 * memos, so what was worked out for them (expression checks, interpreted docs, plans,
 * model entries) is not worked out again after an edit elsewhere in the file. Positions
 * are lines and columns, which such an item keeps; a doc block keeps the text its offsets
 * refer to. Blocks that did not parse cleanly are always new. An item is unchanged when
 * it lies wholly before the edited region or wholly after it (the texts' common prefix
 * and suffix), which needs no comparison of the items' own texts. A kept block keeps its
 * file text alive: blocks of more than MAX_OLD_TEXTS earlier versions are read again instead.
 */
export function adoptUnchanged(prev: ParsedFile, next: ParsedFile): void {
  const a = prev.text;
  const b = next.text;
  const prefix = commonPrefix(a, b);
  const suffix = commonSuffix(a, b, prefix);
  const shift = b.length - a.length;
  const old = new Map<number, FileItem>();
  for (const item of prev.items) {
    if (item.kind === 'expr') old.set(item.start, item);
    else if (item.kind === 'doc' && item.block.close && !item.block.broken) old.set(item.block.open.offset, item);
  }
  /**
   * Where the item at `at` began in the old text, given its first line's start and its end
   * in the new one (its whole first line counts: a tab before it changes QEMU's columns);
   * -1 when it overlaps the edit.
   */
  const before = (at: number, lineStart: number, end: number) => (end <= prefix ? at : lineStart >= b.length - suffix ? at - shift : -1);
  const items = next.items;
  const oldTexts = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind === 'expr') {
      const o = old.get(before(item.start, item.start - item.node.range.start.character, item.end));
      if (
        o?.kind === 'expr' &&
        o.end - o.start === item.end - item.start &&
        o.line === item.line &&
        o.node.range.start.character === item.node.range.start.character &&
        !o.nextTokenBad === !item.nextTokenBad
      ) {
        items[i] = o;
      }
    } else if (item.kind === 'doc') {
      const n = item.block;
      const o = old.get(before(n.open.offset, n.open.lineStart, n.end));
      if (
        o?.kind === 'doc' &&
        n.close &&
        !n.broken &&
        o.block.end - o.block.open.offset === n.end - n.open.offset &&
        o.block.open.line === n.open.line &&
        o.block.open.offset - o.block.open.lineStart === n.open.offset - n.open.lineStart &&
        (oldTexts.has(o.block.text) || oldTexts.size < MAX_OLD_TEXTS)
      ) {
        oldTexts.add(o.block.text);
        items[i] = o;
      }
    }
  }
}

/** How many earlier versions of a file's text kept doc blocks may hold on to (a few hundred kB each). */
const MAX_OLD_TEXTS = 3;

/** Length of the texts' common prefix, compared a chunk at a time (native string compares). */
function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let n = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (n + step <= max && a.slice(n, n + step) === b.slice(n, n + step)) n += step;
  }
  return n;
}

/** Length of the texts' common suffix, not overlapping their common prefix. */
function commonSuffix(a: string, b: string, prefix: number): number {
  const max = Math.min(a.length, b.length) - prefix;
  let n = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (n + step <= max && a.slice(a.length - n - step, a.length - n) === b.slice(b.length - n - step, b.length - n)) n += step;
  }
  return n;
}

class Parser {
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  // current token
  private tok: T = T.EOF;
  private tokStart = 0;
  private tokEnd = 0;
  private tokLine = 0;
  private tokLineStart = 0;
  /** Where the token before the current one ended. */
  private prevTokEnd = 0;
  private val = '';
  private lexError: LexError | null = null;
  private readonly items: FileItem[] = [];
  private readonly len: number;
  /** Only files with carriage returns need the slower line-end search. */
  private readonly hasCR: boolean;

  constructor(
    private readonly path: string,
    private readonly text: string,
  ) {
    this.len = text.length;
    this.hasCR = text.includes('\r');
  }

  run(token: Cancellation | undefined): ParsedFile {
    this.next(true);
    let n = 0;
    while (!this.at(T.EOF)) {
      if ((++n & 1023) === 0 && token?.isCancellationRequested) {
        return { path: this.path, text: this.text, items: this.items, cancelled: true };
      }
      if (this.at(T.Hash)) {
        this.docBlock();
        continue;
      }
      this.topLevel();
    }
    return { path: this.path, text: this.text, items: this.items };
  }

  // ---- lexer ----

  private newline(c: number): void {
    if (c === C_CR && this.pos < this.len && this.text.charCodeAt(this.pos) === C_NL) this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Reads the next token. Plain `#` comments are skipped; `##...` (and, inside doc blocks, every comment) is returned. */
  private next(skipComment: boolean): void {
    const s = this.text;
    this.lexError = null;
    this.prevTokEnd = this.tokEnd;
    for (;;) {
      if (this.pos >= this.len) {
        this.setTok(T.EOF, this.pos, this.pos);
        return;
      }
      const start = this.pos;
      const c = s.charCodeAt(this.pos++);
      if (c === C_NL || c === C_CR) {
        // QEMU treats the end of a file without a final newline as if it had one: EOF sits on the last line.
        if (this.pos >= this.len || (c === C_CR && this.pos + 1 >= this.len && s.charCodeAt(this.pos) === C_NL)) {
          this.pos = this.len;
          this.setTok(T.EOF, start, start);
          return;
        }
        this.newline(c);
        continue;
      }
      if (c === C_HASH) {
        const doc = this.pos < this.len && s.charCodeAt(this.pos) === C_HASH;
        const e = this.lineEnd(this.pos);
        this.pos = e;
        if (doc || !skipComment) {
          // Its text is sliced only where needed (a doc block's opening and closing lines).
          this.setTok(T.Hash, start, e);
          return;
        }
        continue;
      }
      switch (c) {
        case 123:
          this.setTok(T.LBrace, start, this.pos);
          return;
        case 125:
          this.setTok(T.RBrace, start, this.pos);
          return;
        case 58:
          this.setTok(T.Colon, start, this.pos);
          return;
        case 44:
          this.setTok(T.Comma, start, this.pos);
          return;
        case 91:
          this.setTok(T.LBracket, start, this.pos);
          return;
        case 93:
          this.setTok(T.RBracket, start, this.pos);
          return;
        case C_QUOTE:
          this.string(start);
          return;
      }
      if (c === 116 && s.startsWith('true', start)) {
        this.pos = start + 4;
        this.setTok(T.True, start, this.pos);
        return;
      }
      if (c === 102 && s.startsWith('false', start)) {
        this.pos = start + 5;
        this.setTok(T.False, start, this.pos);
        return;
      }
      if (isSpace(c)) continue;
      // Show the stray text up to the next structural, space or quote character.
      let e = start + 1;
      while (e < this.len) {
        const d = s.charCodeAt(e);
        if (d === 91 || d === 93 || d === 123 || d === 125 || d === 58 || d === 44 || d === C_QUOTE || d === C_NL || d === C_CR || isSpace(d)) break;
        e++;
      }
      this.pos = e;
      this.setTok(T.Bad, start, e);
      this.lexError = new LexError(`stray '${s.slice(start, Math.min(e, start + 60))}'`, 'stray-character');
      return;
    }
  }

  /** Where the line containing `from` ends (before its line break). Comments are most of a schema: use indexOf. */
  private lineEnd(from: number): number {
    const s = this.text;
    if (this.hasCR) {
      let e = from;
      while (e < this.len) {
        const d = s.charCodeAt(e);
        if (d === C_NL || d === C_CR) break;
        e++;
      }
      return e;
    }
    const e = s.indexOf('\n', from);
    return e < 0 ? this.len : e;
  }

  /** Method, not a field test, so TypeScript doesn't narrow `tok` across calls to next(). */
  private at(t: T): boolean {
    return this.tok === t;
  }

  private setTok(t: T, start: number, end: number): void {
    this.tok = t;
    this.tokStart = start;
    this.tokEnd = end;
    this.tokLine = this.line;
    this.tokLineStart = this.lineStart;
  }

  private string(start: number): void {
    const s = this.text;
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= this.len) {
        this.fail(start, this.pos, 'missing terminating "\'"', 'unterminated-string');
        return;
      }
      const c = s.charCodeAt(this.pos);
      if (c === C_NL || c === C_CR) {
        this.fail(start, this.pos, 'missing terminating "\'"', 'unterminated-string');
        return;
      }
      this.pos++;
      if (c === C_BSL) {
        const d = this.pos < this.len ? s.charCodeAt(this.pos) : C_NL;
        if (d === C_NL || d === C_CR) {
          this.fail(start, this.pos, 'missing terminating "\'"', 'unterminated-string');
          return;
        }
        if (d !== C_BSL) {
          this.fail(start, this.pos + 1, `unknown escape \\${String.fromCodePoint(s.codePointAt(this.pos)!)}`, 'unknown-escape');
          return;
        }
        out += s.slice(chunk, this.pos);
        this.pos++;
        chunk = this.pos;
        continue;
      }
      if (c === C_QUOTE) {
        this.setTok(T.Str, start, this.pos);
        this.val = out + s.slice(chunk, this.pos - 1);
        return;
      }
      if (c < 32 || c >= 127) {
        this.fail(start, this.pos, 'funny character in string (only printable ASCII is allowed)', 'invalid-character');
        return;
      }
    }
  }

  private fail(start: number, end: number, message: string, code: string): void {
    this.setTok(T.Bad, start, end);
    this.lexError = new LexError(message, code);
  }

  // ---- problems ----

  private tokRange(): Range {
    return rangeAt(this.tokLine, this.tokStart - this.tokLineStart, this.tokEnd - this.tokLineStart);
  }

  /** A problem at the current token, with QEMU's column. */
  private problemAtTok(message: string, code: string, range = this.tokRange()): Problem {
    return {
      path: this.path,
      range,
      code,
      message,
      line: this.tokLine + 1,
      column: qemuColumn(this.text, this.tokLineStart, this.tokStart),
    };
  }

  private syntaxError(expected: string): Problem {
    if (this.at(T.Bad) && this.lexError) return this.problemAtTok(this.lexError.message, this.lexError.code);
    return this.problemAtTok(`expected ${expected}`, 'syntax-error');
  }

  // ---- parser ----

  private topLevel(): void {
    const first = this.tokLine;
    const start = this.tokStart;
    const stack: Frame[] = [];
    let root: QNode | undefined;
    let problem: Problem | undefined;

    // state: 'value' (expecting a value), 'after' (a value just ended), 'key' (expecting a key)
    let state: 'value' | 'after' | 'key' = 'value';
    let expectedValue = "'{', '[', string, or boolean";
    loop: for (;;) {
      if (state === 'value') {
        if (!this.isValueStart()) {
          problem = this.syntaxError(expectedValue);
          break;
        }
        const c0 = this.tokStart - this.tokLineStart;
        if (this.at(T.LBrace) || this.at(T.LBracket)) {
          if (stack.length >= MAX_NESTING) {
            problem = this.problemAtTok(`nesting deeper than ${MAX_NESTING} levels is not supported`, 'nesting-too-deep');
            break;
          }
          const isObj = this.at(T.LBrace);
          const node = isObj ? new ObjectNode(this.tokLine, c0) : new ArrayNode(this.tokLine, c0);
          stack.push(isObj ? { node, keys: new Set() } : { node });
          this.next(true);
          if (isObj) {
            if (this.at(T.RBrace)) {
              state = 'after';
              root = this.close(stack) ?? root;
              continue;
            }
            if (!this.at(T.Str)) {
              problem = this.syntaxError("string or '}'");
              break;
            }
            state = 'key';
          } else {
            if (this.at(T.RBracket)) {
              state = 'after';
              root = this.close(stack) ?? root;
              continue;
            }
            expectedValue = "'{', '[', ']', string, or boolean";
            state = 'value';
          }
          continue;
        }
        const c1 = this.tokEnd - this.tokLineStart;
        const v: QNode = this.at(T.Str) ? new StringNode(this.val, this.tokLine, c0, c1) : new BoolNode(this.at(T.True), this.tokLine, c0, c1);
        root = this.put(stack, v) ?? root;
        this.next(true);
        state = 'after';
        continue;
      }
      if (state === 'key') {
        const top = stack[stack.length - 1];
        const key = this.val;
        const keyLine = this.tokLine;
        const keyC0 = this.tokStart - this.tokLineStart;
        const keyC1 = this.tokEnd - this.tokLineStart;
        this.next(true);
        if (!this.at(T.Colon)) {
          problem = this.syntaxError("':'");
          break;
        }
        this.next(true);
        if (top.keys!.has(key)) {
          problem = this.problemAtTok(`duplicate key '${key}'`, 'duplicate-key');
          problem.range = rangeAt(keyLine, keyC0, keyC1);
          break;
        }
        top.keys!.add(key);
        top.key = key;
        top.keyLine = keyLine;
        top.keyC0 = keyC0;
        top.keyC1 = keyC1;
        expectedValue = "'{', '[', string, or boolean";
        state = 'value';
        continue;
      }
      // state 'after'
      const top = stack[stack.length - 1];
      if (!top) break loop;
      if (top.node.kind === 'object') {
        if (this.at(T.RBrace)) {
          root = this.close(stack) ?? root;
          continue;
        }
        if (!this.at(T.Comma)) {
          problem = this.syntaxError("',' or '}'");
          break;
        }
        this.next(true);
        if (!this.at(T.Str)) {
          problem = this.syntaxError('string');
          break;
        }
        state = 'key';
      } else {
        if (this.at(T.RBracket)) {
          root = this.close(stack) ?? root;
          continue;
        }
        if (!this.at(T.Comma)) {
          problem = this.syntaxError("',' or ']'");
          break;
        }
        this.next(true);
        expectedValue = "'{', '[', string, or boolean";
        state = 'value';
      }
    }
    if (problem) {
      const partial = stack[0]?.node.kind === 'object' ? stack[0].node : undefined;
      if (partial) this.closeRanges(stack);
      this.items.push({ kind: 'error', problem, partial });
      this.recover(first);
      return;
    }
    // The token after the expression is already read: QEMU meets its lexical error before acting on an include.
    this.items.push({ kind: 'expr', node: root!, line: first, memo: new Memo(), nextTokenBad: this.at(T.Bad) || undefined, start, end: this.prevTokEnd });
  }

  private isValueStart(): boolean {
    return this.at(T.LBrace) || this.at(T.LBracket) || this.at(T.Str) || this.at(T.True) || this.at(T.False);
  }

  /** Attaches a finished value to its container; returns it when it is the root. */
  private put(stack: Frame[], v: QNode): QNode | undefined {
    const top = stack[stack.length - 1];
    if (!top) return v;
    if (top.node.kind === 'array') top.node.items.push(v);
    else top.node.entries.push(new Entry(top.key!, v, top.keyLine!, top.keyC0!, top.keyC1!));
    return undefined;
  }

  /** Closes the innermost container at the current closing token; returns it when it is the root. */
  private close(stack: Frame[]): QNode | undefined {
    const f = stack.pop()!;
    f.node.endLine = this.tokLine;
    f.node.endChar = this.tokEnd - this.tokLineStart;
    const root = this.put(stack, f.node);
    this.next(true);
    return root;
  }

  /** Gives unfinished containers a range up to where parsing stopped. */
  private closeRanges(stack: Frame[]): void {
    for (const f of stack) {
      f.node.endLine = this.tokLine;
      f.node.endChar = this.tokStart - this.tokLineStart;
    }
    for (let i = stack.length - 1; i > 0; i--) {
      const parent = stack[i - 1];
      const v = stack[i].node;
      if (parent.node.kind === 'array') parent.node.items.push(v);
      else if (parent.key !== undefined) parent.node.entries.push(new Entry(parent.key, v, parent.keyLine!, parent.keyC0!, parent.keyC1!));
    }
  }

  /** Skips to the next line that starts a top-level expression or a doc block, after the failed one began. */
  private recover(firstLine: number): void {
    const s = this.text;
    // Resume at the error token when it opens a new expression at column 1 (typically: the previous one was left open).
    if (this.at(T.LBrace) && this.tokStart === this.tokLineStart && this.tokLine !== firstLine) return;
    if (this.at(T.EOF)) return;
    // Move to the end of the error token's line, then look for a line starting with '{' or '##'.
    this.pos = Math.max(this.pos, this.tokEnd);
    for (;;) {
      this.pos = this.lineEnd(this.pos);
      if (this.pos >= this.len) {
        this.next(true);
        return;
      }
      const c = s.charCodeAt(this.pos++);
      if (this.pos >= this.len || (c === C_CR && this.pos + 1 >= this.len && s.charCodeAt(this.pos) === C_NL)) {
        this.pos = this.pos - 1;
        this.next(true);
        return;
      }
      this.newline(c);
      const d = s.charCodeAt(this.pos);
      if (d === 123 || (d === C_HASH && s.charCodeAt(this.pos + 1) === C_HASH)) {
        this.next(true);
        return;
      }
    }
  }

  /** Collects a `##` block: comment lines up to a closing `##`. */
  private docBlock(): void {
    const open = this.rawLine();
    const startRange = this.tokRange();
    const packed: number[] = [];
    let broken = false;
    if (open.text !== '##') {
      this.items.push({ kind: 'error', problem: this.problemAtTok("junk after '##' at start of documentation comment", 'doc-junk-at-start') });
      broken = true;
    }
    let close: RawDocLine | undefined;
    let commentAfter: RawDocLine | undefined;
    let end = 0;
    // Where the last line read ends, for the block's range.
    let lastLine = this.tokLine;
    let lastEnd = this.tokEnd - this.tokLineStart;
    // The end error comes after the block's own line errors, as in QEMU, which reads it line by line.
    let endError: Problem | undefined;
    for (;;) {
      this.next(false);
      if (!this.at(T.Hash)) {
        endError = this.problemAtTok("documentation comment must end with '##'", 'doc-unterminated');
        break;
      }
      lastLine = this.tokLine;
      lastEnd = this.tokEnd - this.tokLineStart;
      if (this.text.charCodeAt(this.tokStart + 1) === C_HASH) {
        if (this.tokEnd - this.tokStart !== 2) endError = this.problemAtTok("junk after '##' at end of documentation comment", 'doc-junk-at-end');
        close = this.rawLine();
        end = this.tokEnd;
        // QEMU 9.0 reads the token after the closing '##' without skipping comments: keep a comment found there.
        this.next(false);
        if (this.at(T.Hash) && this.text.charCodeAt(this.tokStart + 1) !== C_HASH) {
          commentAfter = this.rawLine();
          end = this.tokEnd;
          this.next(true);
        }
        break;
      }
      packed.push(this.tokLine, this.tokStart, this.tokLineStart, this.tokEnd);
    }
    const range = { start: startRange.start, end: { line: lastLine, character: lastEnd } };
    const block = new RawDocBlock(this.text, open, Int32Array.from(packed), endError ? undefined : close, range, broken, new Memo(), commentAfter, end);
    this.items.push({ kind: 'doc', block });
    if (endError && !broken) this.items.push({ kind: 'error', problem: endError });
  }

  private rawLine(): RawDocLine {
    return { text: this.text.slice(this.tokStart, this.tokEnd), line: this.tokLine, offset: this.tokStart, lineStart: this.tokLineStart };
  }
}
