// Just enough C for finding things by name: comments and literals blanked out (same
// offsets), top-level functions and initialised arrays found by their names, the
// identifier at an offset, offsets turned into LSP positions. No preprocessor, no types.
import type { Position, Range } from 'vscode-languageserver-types';
import { lineAt, lineStartsOf } from '../common/lines';

const memo = new WeakMap<object, CText>();

export class CText {
  /** The text with comments, string and character literals replaced by spaces (newlines kept); made on first use. */
  get code(): string {
    return (this.blanked ??= blankCommentsAndLiterals(this.text));
  }
  private blanked?: string;
  private lineStarts?: number[];
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  positionAt(offset: number): Position {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    const line = lineAt(starts, offset);
    return { line, character: offset - starts[line] };
  }

  offsetAt(p: Position): number {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    return Math.min(this.text.length, (starts[p.line] ?? this.text.length) + p.character);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /**
   * A definition `name(...) {` or initialised array `name[] = {` at file level, with
   * its body's span; undefined when the file has none.
   */
  findBlock(name: string): CBlock | undefined {
    return (this.blocks ??= topLevelBlocks(this.code)).get(name);
  }
  private blocks?: Map<string, CBlock>;

  /** What a block's body mentions, by the forms the wiring check looks for (memoised per block). */
  blockWords(name: string): BlockWords | undefined {
    if (this.words.has(name)) return this.words.get(name);
    const b = this.findBlock(name);
    let w: BlockWords | undefined;
    if (b) {
      const body = this.code.slice(b.bodyStart, b.bodyEnd);
      const collect = (re: RegExp, set: Set<string>, strip = false) => {
        for (const m of body.matchAll(re)) {
          set.add(m[1]);
          if (strip && m[1].startsWith('has_')) set.add(m[1].slice(4));
        }
        return set;
      };
      w = {
        field: collect(/(?:->|\.)\s*([A-Za-z_]\w*)/g, new Set(), true),
        property: collect(/\bparameters\s*\.\s*(\w+)/g, new Set()),
        case: collect(/\bcase\s+(\w+)/g, new Set()),
        constant: collect(/\b([A-Z][A-Z0-9_]*)\b/g, new Set()),
      };
    }
    this.words.set(name, w);
    return w;
  }
  private readonly words = new Map<string, BlockWords | undefined>();

  /** Offsets of the first occurrence of each identifier starting with `prefix` (in code, not comments). */
  identifiersStarting(prefix: string): Map<string, number> {
    let m = this.byPrefix.get(prefix);
    if (!m) {
      m = new Map();
      // Over the raw text, stepping over comments and literals in the same pass (no blanked copy needed).
      const re = new RegExp(`\\/\\*[\\s\\S]*?(?:\\*\\/|$)|\\/\\/[^\\n]*|"(?:[^"\\\\\\n]|\\\\.)*"|\\b${prefix}\\w*`, 'g');
      for (let x; (x = re.exec(this.text)); ) if (x[0].startsWith(prefix) && !m.has(x[0])) m.set(x[0], x.index);
      this.byPrefix.set(prefix, m);
    }
    return m;
  }
  private readonly byPrefix = new Map<string, Map<string, number>>();

  /** The C identifier around an offset (or just before it), with its span. */
  identifierAt(offset: number): { name: string; start: number; end: number } | undefined {
    const isId = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    let s = offset,
      e = offset;
    while (s > 0 && isId(this.text.charCodeAt(s - 1))) s--;
    while (e < this.text.length && isId(this.text.charCodeAt(e))) e++;
    if (s === e || /^[0-9]/.test(this.text[s])) return undefined;
    return { name: this.text.slice(s, e), start: s, end: e };
  }

  static of(path: string, text: string): CText {
    // Memoised per text string object identity through a boxed key (strings cannot be WeakMap keys).
    const key = textKey(path, text);
    let c = memo.get(key);
    if (!c) memo.set(key, (c = new CText(path, text)));
    return c;
  }
}

export interface BlockWords {
  field: Set<string>;
  property: Set<string>;
  case: Set<string>;
  constant: Set<string>;
}

export interface CBlock {
  name: string;
  nameStart: number;
  nameEnd: number;
  bodyStart: number;
  bodyEnd: number;
}

// One key object per (path, text) while the text is the latest for the path.
const keys = new Map<string, { text: string; key: object }>();
function textKey(path: string, text: string): object {
  const k = keys.get(path);
  if (k && k.text === text) return k.key;
  const key = {};
  keys.set(path, { text, key });
  return key;
}

/** Every file-level `{ … }` block named by the function or array before it, in one pass. */
function topLevelBlocks(code: string): Map<string, CBlock> {
  const out = new Map<string, CBlock>();
  let depth = 0,
    boundary = 0,
    open = -1;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 123) {
      if (depth++ === 0) open = i;
    } else if (c === 125) {
      if (depth > 0 && --depth === 0) {
        const at = headerName(code, boundary, open);
        if (at) {
          const name = code.slice(at[0], at[1]);
          if (!out.has(name)) out.set(name, { name, nameStart: at[0], nameEnd: at[1], bodyStart: open + 1, bodyEnd: i });
        }
        boundary = i + 1;
      }
    } else if (c === 59 && depth === 0) boundary = i + 1;
  }
  return out;
}

const isIdChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** The name before a block's `{`: `name(…) {` or `name[…] = {`, read backwards; undefined otherwise. */
function headerName(code: string, from: number, open: number): [number, number] | undefined {
  let i = open - 1;
  const skipWs = () => {
    while (i >= from && code.charCodeAt(i) <= 32) i--;
  };
  const back = (close: number, openCh: number) => {
    let d = 0;
    for (; i >= from; i--) {
      const c = code.charCodeAt(i);
      if (c === close) d++;
      else if (c === openCh && --d === 0) {
        i--;
        return true;
      } else if (c === 59 || c === 123 || c === 125) return false;
    }
    return false;
  };
  skipWs();
  if (code[i] === '=') {
    i--;
    skipWs();
    if (code[i] !== ']' || !back(93, 91)) return undefined;
  } else if (code[i] === ')') {
    if (!back(41, 40)) return undefined;
  } else return undefined;
  skipWs();
  const end = i + 1;
  while (i >= from && isIdChar(code.charCodeAt(i))) i--;
  return end > i + 1 ? [i + 1, end] : undefined;
}

/** Comments and string/char literals become spaces; line structure and offsets are kept. */
export function blankCommentsAndLiterals(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  const n = text.length;
  const blank = (from: number, to: number) => {
    const seg = text.slice(from, to);
    parts.push(text.slice(copied, from), seg.includes('\n') ? seg.replace(/[^\n]+/g, (m) => ' '.repeat(m.length)) : ' '.repeat(seg.length));
    copied = to;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 47) {
      // '/'
      const d = text.charCodeAt(i + 1);
      if (d === 42) {
        const e = text.indexOf('*/', i + 2);
        const stop = e < 0 ? n : e + 2;
        blank(i, stop);
        i = stop - 1;
      } else if (d === 47) {
        const e = text.indexOf('\n', i);
        const stop = e < 0 ? n : e;
        blank(i, stop);
        i = stop - 1;
      }
    } else if (c === 34 || c === 39) {
      // '"' or "'"
      let j = i + 1;
      for (; j < n; j++) {
        const x = text.charCodeAt(j);
        if (x === 92) j++;
        else if (x === c || x === 10) break;
      }
      blank(i + 1, Math.min(j, n));
      i = j;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}
