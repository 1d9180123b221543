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
    if (c === 32 || c === 9 || c === 13) { i++; continue; }
    const start = i;
    // Fast path: a word without quotes or escapes is one slice.
    while (i < to) {
      const ch = text.charCodeAt(i);
      if (ch === 32 || ch === 9 || ch === 13 || ch === 34 || ch === 39 || ch === 92) break;
      i++;
    }
    const ch = text.charCodeAt(i);
    if (i >= to || ch === 32 || ch === 9 || ch === 13) { words.push({ text: text.slice(start, i), start, end: i, plain: true }); continue; }
    let out = text.slice(start, i);
    let plain = true;
    while (i < to) {
      const ch = text[i];
      if (ch === ' ' || ch === '\t' || ch === '\r') break;
      if (ch === "'" || ch === '"') {
        plain = false;
        const close = text.indexOf(ch, i + 1);
        if (close < 0 || close >= to) return { words, problem: { start: i, end: i + 1, message: `this ${ch === '"' ? 'double' : 'single'} quote is never closed` } };
        out += ch === '"' ? text.slice(i + 1, close).replace(/\\(["\\$`])/g, '$1') : text.slice(i + 1, close);
        i = close + 1;
      } else if (ch === '\\' && i + 1 < to) {
        plain = false;
        out += text[i + 1];
        i += 2;
      } else { out += ch; i++; }
    }
    words.push({ text: out, start, end: i, plain });
  }
  return { words };
}
