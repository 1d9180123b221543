// Interprets a raw `##` block as QEMU's doc-comment parser does: free-form text, or a
// definition doc (`# @Name:`) with member/feature descriptions and tagged sections.
// Like QEMU, interpretation stops at the first error in a block (its later lines
// would only produce follow-on noise).
import type { RawDocBlock, RawDocLine } from './parser';
import { qemuColumn, rangeAt } from './problem';
import { DocArg, DocError, type DocSection, type ParsedDoc } from './docTypes';
import type { QapiRules } from './rules';
import { parseDocOld } from './docsOld';

const AT_NAME = /^@([^:]*): */;
const LITERAL_START = /^(\.\. +qmp-example)? *::$/;
const URL_LINE = /^ *(https?|ftp):\/\/[^ ]*$/;
const SENTENCE = /(\be\.g\.|^ *\d\.|([.!?])) [A-Z0-9(]/g;
/** 9.1+ do not take `Tag::` (an rST literal block) as a tag; 9.0 does. */
const TAG = /^(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): */;
const TAG_90 = /^(Returns|Errors|Since|Notes?|Examples?|TODO): */;

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

/** Thrown when the reader runs off an unterminated block. */
const UNTERMINATED = new Error('unterminated doc block');

export function parseDoc(path: string, text: string, block: RawDocBlock, rules: QapiRules): ParsedDoc {
  const doc: ParsedDoc = {
    block,
    path,
    body: '',
    args: new Map(),
    features: NO_FEATURES,
    sections: [],
    problems: [],
  };
  try {
    if (rules.oldDocParser) parseDocOld(path, text, block, rules, doc);
    else new DocReader(path, text, block, rules, doc).read();
  } catch (e) {
    if (e === UNTERMINATED) return doc;
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
      path: this.path,
      code,
      message,
      line: l.line + 1,
      column: qemuColumn(this.text, l.lineStart, pos),
      range: rangeAt(l.line, l.offset - l.lineStart, l.offset - l.lineStart + l.text.length),
      data,
    });
  }

  /** An error QEMU reports with a line only. */
  private semError(l: RawDocLine, message: string, code: string): DocError {
    return new DocError({
      path: this.path,
      code,
      message,
      line: l.line + 1,
      range: rangeAt(l.line, l.offset - l.lineStart, l.offset - l.lineStart + l.text.length),
    });
  }

  private atName(line: string): RegExpExecArray | null {
    // Most lines don't start with '@': skip the regex for them.
    if (line.charCodeAt(0) !== 64) return null;
    return AT_NAME.exec(line);
  }

  // ---- lines ----

  /** The next line's text without `# `, '' for a bare `#`, null at the end of the block. */
  private nextLine(): string | null {
    this.i++;
    if (this.i >= this.block.lineCount) {
      // QEMU fails reading the line after an unterminated block (the parser reports it): nothing more to say here.
      if (!this.block.close) throw UNTERMINATED;
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
      throw this.parseError('use two spaces between sentences (one space after a full stop reads as an abbreviation)', 'doc-sentence-spacing', at);
    }
  }

  private append(line: string): void {
    this.target.text += line + '\n';
  }

  // ---- structure ----

  read(): void {
    const line = this.nextLine();
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
          line = this.indented();
        }
        if (!this.doc.features.size) throw this.parseError("feature descriptions expected after 'Features:'", 'doc-features-expected');
        noMoreArgs = true;
      } else if ((m = this.atName(line))) {
        if (noMoreArgs) {
          throw this.parseError(`description of '@${m[1]}:' follows a section; member descriptions must come first`, 'doc-member-after-section');
        }
        while (line !== null && (m = this.atName(line))) {
          this.newDescription(m[1], this.doc.args, 'member');
          const rest = line.slice(m[0].length);
          if (rest) this.append(rest);
          line = this.indented();
        }
        noMoreArgs = true;
      } else {
        const tag = this.tagOf(line);
        if (tag) {
          this.newSection(tag.name);
          if (tag.rest) this.append(tag.rest);
          line = this.indented();
          noMoreArgs = true;
        } else if (this.rules.headings === 'first' && line.startsWith('=')) {
          throw this.parseError("'=' markup is not allowed in definition documentation", 'doc-heading-in-definition');
        } else {
          this.plainParagraph();
          this.append(line);
          line = this.paragraph();
        }
      }
    }
  }

  private tagOf(line: string): { name: string; rest: string } | undefined {
    const m = (this.rules.rejectNoteExample ? TAG : TAG_90).exec(line);
    if (!m) return undefined;
    const name = m[1];
    const rest = line.slice(m[0].length);
    if (this.rules.rejectNoteExample && /^(Notes?|Examples?)$/.test(name)) {
      const instead = name.startsWith('Note') ? "rST's '.. note::' or '.. admonition:: notes'" : "the '.. qmp-example::' directive";
      throw this.parseError(`the '${name}' section is no longer supported; use ${instead} instead`, 'doc-obsolete-section');
    }
    return { name, rest };
  }

  private newDescription(name: string, into: Map<string, DocArg>, what: 'member' | 'feature'): void {
    if (!name) throw this.semError(this.cur, "invalid parameter name: nothing between '@' and ':'", 'doc-invalid-name');
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
      this.append(line);
    }
  }

  /** The indented continuation of a description or tagged section: its first non-blank line sets the indent; an unindented one ends it. */
  private indented(): string | null {
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

  private deindent(indent: number): DocError {
    return this.parseError(`unexpected de-indent (expected at least ${indent} spaces)`, 'doc-unexpected-deindent', undefined, { indent });
  }

  private finish(): void {
    const d = this.doc;
    d.body = trimBreaks(this.bodyTarget.text);
    // QEMU checks every section for text in the order they appear; the first empty one is the error.
    let empty: { line: RawDocLine; message: string; code: string } | undefined;
    const note = (line: RawDocLine, message: string, code: string) => {
      if (!empty || line.line < empty.line.line) empty = { line, message, code };
    };
    for (const map of [d.args, d.features]) {
      for (const a of map.values()) {
        a.text = trimBreaks(a.text);
        if (!a.text) note(a.line, `text required after '@${a.name}:'`, 'doc-empty-description');
      }
    }
    for (const s of d.sections) {
      s.text = trimBreaks(s.text);
      if (s.tag && !s.text) note(s.line, `text required after '${s.tag}:'`, 'doc-empty-section');
    }
    // An unterminated block fails on its last line, before QEMU's checks of the whole doc.
    if (empty && this.block.close) throw this.semError(empty.line, empty.message, empty.code);
  }
}

export { DocArg, type DocSection, type ParsedDoc } from './docTypes';
