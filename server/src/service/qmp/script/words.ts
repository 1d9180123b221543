// Splits a qmp-shell or HMP line into words the way a POSIX shell (Python's shlex)
// would: whitespace separates, quotes group, backslash escapes outside single quotes.
import type { Span } from './value';

export interface Word extends Span {
  text: string;
  /** True when the word was written without quotes or escapes (offsets inside it map 1:1). */
  plain: boolean;
}

export function splitWords(text: string, from: number, to: number): { words: Word[]; problem?: Span & { message: string } } {
  const words: Word[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    // Fast path: a word without quotes or escapes is one slice.
    while (i < to) {
      const ch = text.charCodeAt(i);
      if (ch === 32 || ch === 9 || ch === 13 || ch === 34 || ch === 39 || ch === 92) break;
      i++;
    }
    const ch = text.charCodeAt(i);
    if (i >= to || ch === 32 || ch === 9 || ch === 13) {
      words.push({ text: text.slice(start, i), start, end: i, plain: true });
      continue;
    }
    let out = text.slice(start, i);
    let plain = true;
    while (i < to) {
      const ch = text[i];
      if (ch === ' ' || ch === '\t' || ch === '\r') break;
      if (ch === "'" || ch === '"') {
        plain = false;
        const close = text.indexOf(ch, i + 1);
        if (close < 0 || close >= to)
          return { words, problem: { start: i, end: i + 1, message: `this ${ch === '"' ? 'double' : 'single'} quote is never closed` } };
        out += ch === '"' ? text.slice(i + 1, close).replace(/\\(["\\$`])/g, '$1') : text.slice(i + 1, close);
        i = close + 1;
      } else if (ch === '\\' && i + 1 < to) {
        plain = false;
        out += text[i + 1];
        i += 2;
      } else {
        out += ch;
        i++;
      }
    }
    words.push({ text: out, start, end: i, plain });
  }
  return { words };
}

/** Python's str.isspace() characters (what `\s` matches in qmp-shell's regular expression). */
const PY_SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * Words of a qmp-shell line exactly as qmp_shell.py finds them:
 * re.findall(r'''(?:[^\s"']|"(?:\\.|[^"])*"|'(?:\\.|[^'])*')+''', line).
 * Quotes stay in the word. A quote opens a quoted part when a matching quote follows:
 * the first one not escaped by a backslash, else (the regular expression backtracks)
 * the last escaped one on the line; a quote with no partner belongs to no word. Linear,
 * unlike the backtracking it mirrors.
 */
export function qmpShellWords(text: string, from: number, to: number): Word[] {
  const words: Word[] = [];
  /** End (exclusive) of the quoted part opened at `i`, or -1. */
  const quoted = (i: number): number => {
    const q = text[i];
    let j = i + 1;
    let lastEscaped = -1;
    while (j < to) {
      const c = text[j];
      if (c === '\\' && j + 1 < to && text[j + 1] !== '\n') {
        if (text[j + 1] === q) lastEscaped = j + 1;
        j += 2;
      } else if (c === q) return j + 1;
      else j++;
    }
    return lastEscaped < 0 ? -1 : lastEscaped + 1;
  };
  let i = from;
  while (i < to) {
    const start = i;
    for (;;) {
      if (i >= to) break;
      const c = text[i];
      if (c === '"' || c === "'") {
        const e = quoted(i);
        if (e < 0) break;
        i = e;
      } else if (PY_SPACE.test(c)) break;
      else i++;
    }
    if (i > start) words.push({ text: text.slice(start, i), start, end: i, plain: true });
    else i++; // whitespace, or a quote without a partner
  }
  return words;
}

/**
 * Words of an HMP line as the monitor's get_str() reads each string argument: a
 * double-quoted word may hold spaces and the escapes \n \r \\ \' \" (single quotes are
 * plain characters); any other word runs to the next space.
 */
export function hmpWords(text: string, from: number, to: number): { words: Word[]; problem?: Span & { message: string } } {
  const words: Word[] = [];
  const ESC: Record<string, string> = { n: '\n', r: '\r', '\\': '\\', "'": "'", '"': '"' };
  let i = from;
  for (;;) {
    while (i < to && /\s/.test(text[i])) i++;
    if (i >= to) return { words };
    const start = i;
    if (text[i] !== '"') {
      while (i < to && !/\s/.test(text[i])) i++;
      words.push({ text: text.slice(start, i), start, end: i, plain: true });
      continue;
    }
    let out = '';
    i++;
    while (i < to && text[i] !== '"') {
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (!(e in ESC))
          return {
            words,
            problem: { start: i, end: Math.min(to, i + 2), message: `HMP does not know the escape \\${e ?? ''} (it knows \\n \\r \\\\ \\' \\")` },
          };
        out += ESC[e];
        i += 2;
      } else out += text[i++];
    }
    if (i >= to) return { words, problem: { start, end: start + 1, message: 'this HMP string is never closed with "' } };
    i++;
    words.push({ text: out, start, end: i, plain: false });
  }
}
