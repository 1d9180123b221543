// QEMU 7.2-8.2's doc-comment parser (replaced in 9.0): a state machine fed one
// comment line at a time. The body, then `@name:` descriptions, `Features:` and
// tagged sections; a section runs until the next `@name:`/tag (or, for a
// description, an unindented line after a blank one). Its errors differ from
// 9.0's: an empty section is refused when the next one starts (or at the closing
// `##`), `Features:` may stay empty, a duplicated section is a parse error with a
// column, and `=` markup is refused anywhere in a definition's doc. 7.2/8.0 take a
// tag or `@name:` as the whole first word and fix a description's indent by the
// text after its tag; 8.1/8.2 match patterns and take the first continuation line.
import type { RawDocBlock, RawDocLine } from './parser';
import { qemuColumn, rangeAt } from './problem';
import type { QapiRules } from './rules';
import { DocArg, DocError, type DocSection, type ParsedDoc } from './docTypes';

const AT_NAME = /^@([^:]*): */;
const TAG = /^(Returns|Since|Notes?|Examples?|TODO): */;
const WORD_TAGS = new Set(['Returns:', 'Since:', 'Note:', 'Notes:', 'Example:', 'Examples:', 'TODO:']);
const FREEFORM_AT = /^(@\S+:)/;

/** A section being filled: the body, a description, or a (tagged or plain) section. */
interface OldSection {
  /** Tag name, description name, or undefined for the body and plain sections. */
  name?: string;
  text: string;
  /** Indentation to strip; null: set by the next non-blank line (8.1+). */
  indent: number | null;
  arg?: DocArg;
  section?: DocSection;
}

type Mode = 'body' | 'args' | 'features' | 'various';

function leadingSpace(s: string): number {
  const m = /^\s*/.exec(s);
  return m ? m[0].length : 0;
}

export function parseDocOld(path: string, text: string, block: RawDocBlock, rules: QapiRules, doc: ParsedDoc): void {
  new OldDocReader(path, text, block, rules, doc).read();
}

class OldDocReader {
  private cur: RawDocLine;
  private mode: Mode = 'body';
  private readonly body: OldSection = { text: '', indent: 0 };
  private section: OldSection = this.body;
  private features?: Map<string, DocArg>;

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly block: RawDocBlock,
    private readonly rules: QapiRules,
    private readonly doc: ParsedDoc,
  ) {
    this.cur = block.open;
  }

  /** QEMU's QAPIParseError: the current line, with the column of its `#`. */
  private error(message: string, code: string, data?: Record<string, unknown>): DocError {
    const l = this.cur;
    return new DocError({
      path: this.path,
      code,
      message,
      line: l.line + 1,
      column: qemuColumn(this.text, l.lineStart, l.offset),
      range: rangeAt(l.line, l.offset - l.lineStart, l.offset - l.lineStart + l.text.length),
      data,
    });
  }

  read(): void {
    for (let i = 0; i < this.block.lineCount; i++) {
      this.cur = this.block.line(i);
      const val = this.cur.text;
      if (val.startsWith('# =') && this.doc.symbol) {
        throw this.error("'=' markup is not allowed in definition documentation", 'doc-heading-in-definition');
      }
      // A heading after text starts a new free-form doc in QEMU; nothing a check sees depends on the split.
      this.appendRaw(val);
    }
    // An unterminated block fails before QEMU ends its last section.
    if (!this.block.close) return;
    this.cur = this.block.close;
    this.switchSection(undefined);
    const d = this.doc;
    d.body = this.body.text;
  }

  private appendRaw(val: string): void {
    let line = val.slice(1);
    if (!line) return this.freeform(line);
    if (line.charCodeAt(0) !== 32) throw this.error('missing space after #', 'doc-missing-space');
    line = line.slice(1);
    switch (this.mode) {
      case 'body':
        return this.bodyLine(line);
      case 'args':
        return this.argsLine(line);
      case 'features':
        return this.featuresLine(line);
      default:
        return this.variousLine(line);
    }
  }

  // ---- what a line is ----

  /** `@name:` at the start: its name and where the text after it starts, else undefined. */
  private atName(line: string): { name: string; end: number; word: string } | undefined {
    if (line.charCodeAt(0) !== 64) return undefined;
    if (this.rules.tagsByWord) {
      const word = line.split(' ', 1)[0];
      if (!word.endsWith(':')) return undefined;
      const end = /^@\S*:\s*/.exec(line)![0].length;
      return { name: word.slice(1, -1), end, word };
    }
    const m = AT_NAME.exec(line);
    return m ? { name: m[1], end: m[0].length, word: `@${m[1]}:` } : undefined;
  }

  private tag(line: string): { name: string; end: number } | undefined {
    if (this.rules.tagsByWord) {
      const word = line.split(' ', 1)[0];
      if (!WORD_TAGS.has(word)) return undefined;
      return { name: word.slice(0, -1), end: /^\S*:\s*/.exec(line)![0].length };
    }
    const m = TAG.exec(line);
    return m ? { name: m[1], end: m[0].length } : undefined;
  }

  /** 7.2/8.0: the text after a tag keeps its column (the tag becomes spaces) and fixes the indent. */
  private headed(line: string, end: number): { line: string; indent: number | null } {
    const rest = line.slice(end);
    if (this.rules.indentFromArgText) return rest ? { line: ' '.repeat(end) + rest, indent: end } : { line: rest, indent: 0 };
    return { line: rest, indent: null };
  }

  // ---- modes ----

  private bodyLine(line: string): void {
    if (!this.doc.symbol && !this.body.text && line.startsWith('@')) {
      if (!line.endsWith(':')) throw this.error("line should end with ':'", 'doc-symbol-colon');
      const symbol = line.slice(1, -1);
      if (!symbol) throw this.error("name required after '@'", 'doc-empty-symbol');
      this.doc.symbol = symbol;
      const o = this.cur.offset - this.cur.lineStart + 3;
      this.doc.symbolRange = rangeAt(this.cur.line, o, o + symbol.length);
    } else if (this.doc.symbol) {
      if (this.atName(line)) {
        this.mode = 'args';
        this.argsLine(line);
      } else if (line === 'Features:') {
        this.mode = 'features';
        this.features ??= new Map();
        this.doc.features = this.features;
      } else if (this.tag(line)) {
        this.mode = 'various';
        this.variousLine(line);
      } else {
        this.freeform(line);
      }
    } else {
      this.freeform(line);
    }
  }

  private argsLine(line: string): void {
    const at = this.atName(line);
    if (at) {
      const h = this.headed(line, at.end);
      this.startDescription(this.doc.args, at.name, h.indent, 'member');
      return this.freeform(h.line);
    }
    if (this.tag(line)) {
      this.mode = 'various';
      return this.variousLine(line);
    }
    if (this.section.text.endsWith('\n\n') && line && !/^\s/.test(line)) {
      if (line === 'Features:') {
        this.mode = 'features';
        this.features ??= new Map();
        this.doc.features = this.features;
      } else {
        this.startSection(undefined, 0);
        this.mode = 'various';
        this.variousLine(line);
      }
      return;
    }
    this.freeform(line);
  }

  private featuresLine(line: string): void {
    const at = this.atName(line);
    if (at) {
      const h = this.headed(line, at.end);
      this.startDescription(this.features!, at.name, h.indent, 'feature');
      return this.freeform(h.line);
    }
    if (this.tag(line)) {
      this.mode = 'various';
      return this.variousLine(line);
    }
    if (this.section.text.endsWith('\n\n') && line && !/^\s/.test(line)) {
      this.startSection(undefined, 0);
      this.mode = 'various';
      return this.variousLine(line);
    }
    this.freeform(line);
  }

  private variousLine(line: string): void {
    const at = this.atName(line);
    if (at) {
      throw this.error(`description of '${at.word}' follows a section; member descriptions must come first`, 'doc-member-after-section');
    }
    const t = this.tag(line);
    if (t) {
      const h = this.headed(line, t.end);
      this.startSection(t.name, h.indent);
      line = h.line;
    }
    this.freeform(line);
  }

  // ---- sections ----

  private startDescription(into: Map<string, DocArg>, name: string, indent: number | null, what: 'member' | 'feature'): void {
    if (!name) throw this.error("invalid parameter name: nothing between '@' and ':'", 'doc-invalid-name');
    if (into.has(name)) throw this.error(`'${name}' is described twice`, `doc-duplicate-${what}`);
    const o = this.cur.offset - this.cur.lineStart + this.cur.text.indexOf('@') + 1;
    const arg = new DocArg(name, this.cur, o);
    this.switchSection({ name, text: '', indent, arg });
    into.set(name, arg);
  }

  private startSection(tag: string | undefined, indent: number | null): void {
    if ((tag === 'Returns' || tag === 'Since') && this.doc.sections.some((s) => s.tag === tag)) {
      throw this.error(`duplicated '${tag}' section`, 'doc-duplicate-section');
    }
    const section: DocSection = { tag: tag ?? '', text: '', line: this.cur };
    // A plain section has no name, so its indent is 0; a tagged one's is set later (8.1+) or by its tag (7.2).
    this.switchSection({ name: tag, text: '', indent: tag === undefined ? 0 : indent, section });
    this.doc.sections.push(section);
    if (tag === 'Returns') this.doc.returns ??= section;
    else if (tag === 'Since') this.doc.since ??= section;
  }

  /** Ends the current section (refused when it is empty and not the body) and makes `next` current. */
  private switchSection(next: OldSection | undefined): void {
    const s = this.section;
    const text = this.rules.indentFromArgText ? s.text.trim() : trimBreaks(s.text);
    s.text = text;
    if (s.arg) s.arg.text = text;
    if (s.section) s.section.text = text;
    if (s !== this.body && !text) {
      throw this.error(`empty doc section '${s.name}'`, 'doc-empty-section');
    }
    if (next) this.section = next;
  }

  private freeform(line: string): void {
    const m = FREEFORM_AT.exec(line);
    if (m) throw this.error(`'${m[1]}' is not allowed in free-form documentation`, 'doc-member-in-free-form');
    this.appendToSection(line);
  }

  private appendToSection(line: string): void {
    const s = this.section;
    if (this.rules.indentFromArgText) {
      if (line) {
        const indent = leadingSpace(line);
        if (indent < s.indent!) throw this.deindent(s.indent!);
        line = line.slice(s.indent!);
      }
      s.text += line.trimEnd() + '\n';
      return;
    }
    line = line.trimEnd();
    if (line) {
      const indent = leadingSpace(line);
      if (s.indent === null) {
        if (s.text !== '') s.indent = indent;
      } else if (indent < s.indent) {
        throw this.deindent(s.indent);
      }
      if (s.indent !== null) line = line.slice(s.indent);
    }
    s.text += line + '\n';
  }

  private deindent(indent: number): DocError {
    return this.error(`unexpected de-indent (expected at least ${indent} spaces)`, 'doc-unexpected-deindent', { indent });
  }
}

function trimBreaks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 10) a++;
  while (b > a && s.charCodeAt(b - 1) === 10) b--;
  return s.slice(a, b);
}
