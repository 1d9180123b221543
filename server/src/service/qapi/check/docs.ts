// Interprets a raw `##` block as QEMU's doc-comment parser does: free-form text, or a
// definition doc (`# @Name:`) with member/feature descriptions and tagged sections.
// Like QEMU, interpretation stops at the first error in a block (its later lines
// would only produce follow-on noise).
import type { Range } from 'vscode-languageserver-types';
import type { RawDocBlock, RawDocLine } from './parser';
import { type Problem, qemuColumn, rangeAt } from './problem';
import type { QapiRules } from './rules';

/** A `@name:` description. Its range is made on request (only a problem needs it). */
export class DocArg {
  declare text: string;
  declare readonly name: string;
  /** The `@name:` line. */
  declare readonly line: RawDocLine;
  /** Where the name starts in its line. */
  declare private readonly column: number;
  constructor(name: string, line: RawDocLine, column: number) {
    this.text = '';
    this.name = name;
    this.line = line;
    this.column = column;
  }
  get range(): Range {
    return rangeAt(this.line.line, this.column, this.column + this.name.length);
  }
}

export interface DocSection {
  tag: string;
  text: string;
  line: RawDocLine;
}

export interface ParsedDoc {
  block: RawDocBlock;
  path: string;
  /** The definition a `# @Name:` block documents; undefined for free-form blocks. */
  symbol?: string;
  symbolRange?: Range;
  body: string;
  args: Map<string, DocArg>;
  features: ReadonlyMap<string, DocArg>;
  /** Tagged sections and later plain paragraphs, in order. */
  sections: DocSection[];
  returns?: DocSection;
  errors?: DocSection;
  since?: DocSection;
  problems: Problem[];
}

class DocError {
  constructor(readonly problem: Problem) {}
}

const AT_NAME = /^@([^:]*): */;
/** 7.2/8.2 take `@name:` only as a whole first word. */
const AT_NAME_OLD = /^@(\S*):(?=\s|$) */;
const LITERAL_START = /^(\.\. +qmp-example)? *::$/;
const URL_LINE = /^ *(https?|ftp):\/\/[^ ]*$/;
const SENTENCE = /(\be\.g\.|^ *\d\.|([.!?])) [A-Z0-9(]/g;
const TAG = /^(Returns|Since|Notes?|Examples?|TODO)(?!::): */;
const TAG_WITH_ERRORS = /^(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): */;
const WORD_TAGS = new Set(['Returns:', 'Since:', 'Note:', 'Notes:', 'Example:', 'Examples:', 'TODO:']);

function indentOf(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** Whether '.', '!' or '?' is followed by a space somewhere in `s`. */
function hasPunctuationSpace(s: string): boolean {
  return s.includes('. ') || s.includes('? ') || s.includes('! ');
}

/** `s` without leading and trailing line breaks (texts are built line by line, so they end with one). */
function trimBreaks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 10) a++;
  while (b > a && s.charCodeAt(b - 1) === 10) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/** The features of a doc without a 'Features:' section (most of them): one shared map, never written to. */
const NO_FEATURES: ReadonlyMap<string, DocArg> = new Map();

export function parseDoc(path: string, text: string, block: RawDocBlock, rules: QapiRules): ParsedDoc {
  const doc: ParsedDoc = {
    block, path, body: '', args: new Map(), features: NO_FEATURES, sections: [], problems: [],
  };
  try {
    new DocReader(path, text, block, rules, doc).read();
  } catch (e) {
    if (!(e instanceof DocError)) throw e;
    doc.problems.push(e.problem);
  }
  return doc;
}

class DocReader {
  private i = -1;
  /** The raw line last read (the closing `##` once the block is exhausted). */
  private cur: RawDocLine;
  private literal = false;
  private literalIndent = 0;
  /** Where text goes: the body, an argument, or a section. */
  private target: { text: string } = { text: '' };
  private bodyTarget = this.target;

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly block: RawDocBlock,
    private readonly rules: QapiRules,
    private readonly doc: ParsedDoc,
  ) {
    this.cur = block.open;
  }

  // ---- errors ----

  /** An error QEMU reports with a column (at the `#` of the current line, unless `at` is given). */
  private parseError(message: string, code: string, at?: number, data?: Record<string, unknown>): DocError {
    const l = this.cur;
    const pos = at ?? l.offset;
    return new DocError({
      path: this.path, code, message, line: l.line + 1, column: qemuColumn(this.text, l.lineStart, pos),
      range: rangeAt(l.line, l.offset - l.lineStart, l.offset - l.lineStart + l.text.length), data,
    });
  }

  /** An error QEMU reports with a line only. */
  private semError(l: RawDocLine, message: string, code: string): DocError {
    return new DocError({
      path: this.path, code, message, line: l.line + 1,
      range: rangeAt(l.line, l.offset - l.lineStart, l.offset - l.lineStart + l.text.length),
    });
  }

  private atName(line: string): RegExpExecArray | null {
    // Most lines don't start with '@': skip the regex for them.
    if (line.charCodeAt(0) !== 64) return null;
    return (this.rules.oldDocParser ? AT_NAME_OLD : AT_NAME).exec(line);
  }

  // ---- lines ----

  /** The next line's text without `# `, '' for a bare `#`, null at the end of the block. */
  private nextLine(): string | null {
    this.i++;
    if (this.i >= this.block.lineCount) {
      if (this.block.close) this.cur = this.block.close;
      this.literal = false;
      return null;
    }
    this.cur = this.block.line(this.i);
    const t = this.cur.text;
    if (t === '#') return '';
    if (t.charCodeAt(1) !== 32) throw this.parseError('missing space after #', 'doc-missing-space');
    const line = t.slice(2).trimEnd();
    if (this.rules.docLineFormat) {
      // Only a line ending in '::' can open a literal block: skip the regex for the others.
      if (line.endsWith('::') && LITERAL_START.test(line)) {
        this.literal = true;
        this.literalIndent = 0;
      } else if (this.literal && line) {
        const ind = indentOf(line);
        if (this.literalIndent === 0) this.literalIndent = ind;
        else if (ind < this.literalIndent) this.literal = false;
      }
      if (!this.literal) this.checkFormat(line);
    }
    return line;
  }

  private checkFormat(line: string): void {
    if (line.length + 2 > 70 && codePoints(line) + 2 > 70 && !URL_LINE.test(line)) {
      throw this.parseError('documentation line longer than 70 characters', 'doc-line-too-long');
    }
    // A one-space sentence end needs '.', '!' or '?' before a space: most lines have none, so skip the regex.
    if (!hasPunctuationSpace(line)) return;
    SENTENCE.lastIndex = 0;
    for (let m = SENTENCE.exec(line); m; m = SENTENCE.exec(line)) {
      if (m[2] === undefined) continue;
      // QEMU points just after the punctuation, counting from the start of the line plus "# ".
      const at = this.cur.lineStart + 2 + m.index + 1;
      throw this.parseError('use two spaces between sentences (one space after a full stop reads as an abbreviation)',
        'doc-sentence-spacing', at);
    }
  }

  private append(line: string): void {
    this.target.text += line + '\n';
  }

  // ---- structure ----

  read(): void {
    let line = this.nextLine();
    if (line !== null && line.startsWith('@')) this.definitionDoc(line);
    else this.freeForm(line);
    this.finish();
  }

  private freeForm(line: string | null): void {
    let first = true;
    while (line !== null) {
      const m = this.atName(line);
      if (m) throw this.parseError(`'@${m[1]}:' is not allowed in free-form documentation`, 'doc-member-in-free-form');
      if (this.rules.headings === 'first' && line.startsWith('=') && !first) {
        throw this.parseError("a '=' heading must be the first line of its comment block", 'doc-heading-not-first');
      }
      this.append(line);
      line = this.nextLine();
      first = false;
    }
  }

  private definitionDoc(first: string): void {
    if (!first.endsWith(':')) throw this.parseError("line should end with ':'", 'doc-symbol-colon');
    const symbol = first.slice(1, -1);
    if (!symbol) throw this.parseError("name required after '@'", 'doc-empty-symbol');
    this.doc.symbol = symbol;
    const o = this.cur.offset - this.cur.lineStart + 3;
    this.doc.symbolRange = rangeAt(this.cur.line, o, o + symbol.length);
    let line = this.nextLine();
    let noMoreArgs = false;
    while (line !== null) {
      while (line === '') line = this.nextLine();
      if (line === null) break;
      this.rejectHeading();
      let m: RegExpExecArray | null;
      if (line === 'Features:') {
        if (this.doc.features.size) throw this.parseError("duplicated 'Features:' line", 'doc-duplicate-features');
        const features = new Map<string, DocArg>();
        this.doc.features = features;
        line = this.nextLine();
        while (line === '') line = this.nextLine();
        while (line !== null && (m = this.atName(line))) {
          this.newDescription(m[1], features, 'feature');
          const rest = line.slice(m[0].length);
          if (rest) this.append(rest);
          line = this.indented(m[0].length, rest !== '', true);
        }
        if (!this.doc.features.size) throw this.parseError('feature descriptions expected after \'Features:\'', 'doc-features-expected');
        noMoreArgs = true;
      } else if ((m = this.atName(line))) {
        if (noMoreArgs) {
          throw this.parseError(`description of '@${m[1]}:' follows a section; member descriptions must come first`, 'doc-member-after-section');
        }
        while (line !== null && (m = this.atName(line))) {
          this.newDescription(m[1], this.doc.args, 'member');
          const rest = line.slice(m[0].length);
          if (rest) this.append(rest);
          line = this.indented(m[0].length, rest !== '', true);
        }
        noMoreArgs = true;
      } else {
        const tag = this.tagOf(line);
        if (tag) {
          this.newSection(tag.name);
          if (tag.rest) this.append(tag.rest);
          line = this.indented(line.length - tag.rest.length, tag.rest !== '', false);
          noMoreArgs = true;
        } else {
          this.plainParagraph();
          this.append(line);
          line = this.paragraph();
        }
      }
    }
  }

  /** 7.2/8.2 reject `=` markup inside definition docs. */
  private rejectHeading(): void {
    if (this.rules.headings === 'free' && this.cur.text.startsWith('# =')) {
      throw this.parseError("'=' headings are not allowed in definition documentation", 'doc-heading-in-definition');
    }
  }

  private tagOf(line: string): { name: string; rest: string } | undefined {
    let name: string;
    let rest: string;
    if (this.rules.tagsByWord) {
      const sp = line.indexOf(' ');
      const word = sp < 0 ? line : line.slice(0, sp);
      if (!WORD_TAGS.has(word)) return undefined;
      name = word.slice(0, -1);
      rest = sp < 0 ? '' : line.slice(sp).replace(/^ +/, '');
    } else {
      const m = (this.rules.errorsTag ? TAG_WITH_ERRORS : TAG).exec(line);
      if (!m) return undefined;
      name = m[1];
      rest = line.slice(m[0].length);
    }
    if (this.rules.rejectNoteExample && /^(Notes?|Examples?)$/.test(name)) {
      const instead = name.startsWith('Note') ? "rST's '.. note::' or '.. admonition:: notes'" : "the '.. qmp-example::' directive";
      throw this.parseError(`the '${name}' section is no longer supported; use ${instead} instead`, 'doc-obsolete-section');
    }
    return { name, rest };
  }

  private newDescription(name: string, into: Map<string, DocArg>, what: 'member' | 'feature'): void {
    if (!name) throw this.semError(this.cur, 'invalid parameter name: nothing between \'@\' and \':\'', 'doc-invalid-name');
    if (into.has(name)) throw this.semError(this.cur, `'${name}' is described twice`, `doc-duplicate-${what}`);
    const o = this.cur.offset - this.cur.lineStart + (this.cur.text.indexOf('@') >= 0 ? this.cur.text.indexOf('@') + 1 : 0);
    const arg = new DocArg(name, this.cur, o);
    into.set(name, arg);
    this.target = arg;
  }

  private newSection(tag: string): void {
    const s: DocSection = { tag, text: '', line: this.cur };
    const slot = tag === 'Returns' ? 'returns' : tag === 'Errors' ? 'errors' : tag === 'Since' ? 'since' : undefined;
    if (slot) {
      if (this.doc[slot]) throw this.semError(this.cur, `duplicated '${tag}' section`, 'doc-duplicate-section');
      this.doc[slot] = s;
    }
    this.doc.sections.push(s);
    this.target = s;
  }

  /** Plain text continues the body (or the last plain section), else starts a new plain section. */
  private plainParagraph(): void {
    const last = this.doc.sections[this.doc.sections.length - 1];
    if (this.target === this.bodyTarget || (last && this.target === last && last.tag === '')) {
      this.target.text += '\n';
      return;
    }
    const s: DocSection = { tag: '', text: '', line: this.cur };
    this.doc.sections.push(s);
    this.target = s;
  }

  /** Lines of a plain paragraph, up to a blank line. */
  private paragraph(): string | null {
    for (;;) {
      const line = this.nextLine();
      if (line === null || line === '') return line;
      this.rejectHeading();
      this.append(line);
    }
  }

  /**
   * The indented continuation of a description or tagged section; `headLen` is where
   * the text after `@name:`/`Tag:` starts.
   */
  private indented(headLen: number, hasText: boolean, isArg: boolean): string | null {
    return this.rules.oldDocParser ? this.indentedOld(headLen, hasText, isArg) : this.indentedNew();
  }

  /** 9.2+: the first non-blank continuation line sets the indent; an unindented one ends the section. */
  private indentedNew(): string | null {
    let line = this.nextLine();
    while (line === '') {
      this.append(line);
      line = this.nextLine();
    }
    if (line === null) return line;
    const indent = indentOf(line);
    if (!indent) return line;
    this.append(line);
    // QEMU tolerates a de-indent (ending the section) only after the first continuation line.
    let prevBlank = false;
    for (;;) {
      line = this.nextLine();
      if (line === null || this.atName(line)) return line;
      if (line !== '' && indentOf(line) < indent) {
        if (prevBlank) return line;
        throw this.deindent(indent);
      }
      this.append(line);
      prevBlank = true;
    }
  }

  /**
   * 7.2/8.2: a section runs until the next `@name:`, tag or `Features:` line (a
   * description also ends at an unindented line after a blank one). 7.2 takes the
   * indent from the text after the tag, 8.2 from the first non-blank continuation line.
   */
  private indentedOld(headLen: number, hasText: boolean, isArg: boolean): string | null {
    let indent = this.rules.indentFromArgText && hasText ? headLen : -1;
    let prevBlank = false;
    for (;;) {
      const line = this.nextLine();
      if (line === null || this.atName(line)) return line;
      if (line !== '' && (line === 'Features:' || this.tagOf(line))) return line;
      if (line !== '') {
        const cur = indentOf(line);
        if (isArg && prevBlank && cur === 0) return line;
        if (indent < 0) indent = cur;
        else if (cur < indent) throw this.deindent(indent);
      }
      prevBlank = line === '';
      this.append(line);
    }
  }

  private deindent(indent: number): DocError {
    return this.parseError(`unexpected de-indent (expected at least ${indent} spaces)`, 'doc-unexpected-deindent', undefined, { indent });
  }

  private finish(): void {
    const d = this.doc;
    d.body = trimBreaks(this.bodyTarget.text);
    for (const a of d.args.values()) a.text = trimBreaks(a.text);
    for (const a of d.features.values()) a.text = trimBreaks(a.text);
    for (const s of d.sections) {
      s.text = trimBreaks(s.text);
      if (s.tag && !s.text) throw this.semError(s.line, `text required after '${s.tag}:'`, 'doc-empty-section');
    }
    for (const map of [d.args, d.features]) {
      for (const a of map.values()) {
        if (!a.text) throw this.semError(a.line, `text required after '@${a.name}:'`, 'doc-empty-description');
      }
    }
  }
}
