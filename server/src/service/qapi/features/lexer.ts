// A forgiving tokenizer of QAPI text for editor features that must work on text the
// checker may reject (a half-typed string, a missing brace): completion context and
// folding. It never fails; unterminated strings end at the end of their line.

type TokenKind = 'string' | 'punct' | 'word' | 'comment';

export interface Token {
  kind: TokenKind;
  /** Offsets in the text; `end` is exclusive. */
  start: number;
  end: number;
  /** String contents without quotes (escapes resolved), the punctuation character, or the word. */
  value: string;
  /** For strings: whether the closing quote was found. */
  closed?: boolean;
}

const PUNCT = new Set(['{', '}', '[', ']', ':', ',']);

/** Calls `visit` for each token from `from`; stop early by returning false. */
export function scanTokens(text: string, from: number, visit: (t: Token) => boolean | void): void {
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    let t: Token;
    if (c === '#') {
      let j = i;
      while (j < n && text[j] !== '\n') j++;
      t = { kind: 'comment', start: i, end: j, value: text.slice(i, j) };
    } else if (c === "'" || c === '"') {
      // Double quotes are not QAPI, but treating them as strings keeps the structure intact.
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < n) {
        const d = text[j];
        if (d === c) {
          closed = true;
          j++;
          break;
        }
        if (d === '\n' || d === '\r') break;
        if (d === '\\' && j + 1 < n && text[j + 1] !== '\n') {
          value += text[j + 1];
          j += 2;
          continue;
        }
        value += d;
        j++;
      }
      t = { kind: 'string', start: i, end: j, value, closed };
    } else if (PUNCT.has(c)) {
      t = { kind: 'punct', start: i, end: i + 1, value: c };
    } else {
      let j = i + 1;
      while (j < n && !/[\s'"#{}[\]:,]/.test(text[j])) j++;
      t = { kind: 'word', start: i, end: j, value: text.slice(i, j) };
    }
    if (visit(t) === false) return;
    i = t.end;
  }
}
