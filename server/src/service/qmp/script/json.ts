// QEMU's JSON dialect (qobject/json-lexer.c): standard JSON plus single-quoted
// strings, where `\'` is also a valid escape. Transcripts add `...` for an elided
// value or member. The parser never throws: it returns the first problem with its
// span so the caller can report it and resume at a sensible place.
import type { JEntry, JString, JValue, Span } from './value';

export interface ParseProblem extends Span {
  message: string;
}
export interface ParseResult {
  value?: JValue;
  end: number;
  problem?: ParseProblem;
}

/** QEMU refuses deeper nesting (json-parser.c MAX_NESTING); it also keeps our recursion bounded. */
const MAX_DEPTH = 1024;

class Fail {
  constructor(readonly problem: ParseProblem) {}
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const WORD_CHAR = /[A-Za-z0-9_]/;
const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const;

/** One parse; a class rather than closures so a 10,000-message script allocates little (completion extends it). */
export class Parser {
  i: number;
  constructor(
    readonly text: string,
    readonly start: number,
    readonly allowEllipsis: boolean,
    readonly limit: number,
  ) {
    this.i = start;
  }

  fail(message: string, s = this.i, e = Math.min(this.limit, s + 1)): never {
    throw new Fail({ message, start: s, end: Math.max(e, s + 1) });
  }

  ws(): void {
    const { text, limit } = this;
    let i = this.i;
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
    this.i = i;
  }

  ellipsisAt(p: number): boolean {
    return this.allowEllipsis && this.text.startsWith('...', p);
  }

  str(): JString {
    const { text, limit } = this;
    const quote = text.charCodeAt(this.i);
    const s = this.i++;
    let out = '';
    let run = this.i;
    for (;;) {
      const i = this.i;
      if (i >= limit) this.fail('this string is never closed', s, s + 1);
      const c = text.charCodeAt(i);
      if (c === quote) {
        out += text.slice(run, i);
        this.i = i + 1;
        return { kind: 'string', value: out, start: s, end: this.i };
      }
      if (c === 10 || c === 13) this.fail('this string is never closed on its line', s, i);
      if (c < 32) this.fail('control characters must be escaped inside strings', i);
      if (c === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        if (e !== undefined && e in ESCAPES) {
          out += ESCAPES[e];
          this.i = i + 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          this.i = i + 6;
        } else this.fail(`'\\${e ?? ''}' is not a valid escape`, i, i + 2);
        run = this.i;
        continue;
      }
      this.i = i + 1;
    }
  }

  digits(): boolean {
    const d = this.i;
    while (this.i < this.limit) {
      const c = this.text.charCodeAt(this.i);
      if (c < 48 || c > 57) break;
      this.i++;
    }
    return this.i > d;
  }

  num(): JValue {
    const { text } = this;
    const s = this.i;
    if (text[this.i] === '-') this.i++;
    if (!this.digits()) this.fail('a number needs digits', s, this.i + 1);
    let integer = true;
    if (text[this.i] === '.') {
      this.i++;
      integer = false;
      if (!this.digits()) this.fail('a fraction needs digits after the point', s, this.i);
    }
    if (text[this.i] === 'e' || text[this.i] === 'E') {
      this.i++;
      integer = false;
      if (text[this.i] === '+' || text[this.i] === '-') this.i++;
      if (!this.digits()) this.fail('an exponent needs digits', s, this.i);
    }
    const t = text.slice(s, this.i);
    return { kind: 'number', value: Number(t), text: t, integer, start: s, end: this.i };
  }

  value(depth: number): JValue {
    this.ws();
    const { text, limit } = this;
    const i = this.i;
    if (i >= limit) this.fail('a value is missing here', Math.max(this.start, limit - 1), limit);
    const c = text[i];
    if (this.ellipsisAt(i)) {
      this.i += 3;
      return { kind: 'elided', start: i, end: i + 3 };
    }
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"' || c === "'") return this.str();
    if (c === '-' || (c >= '0' && c <= '9')) return this.num();
    for (const [word, v] of LITERALS) {
      if (text.startsWith(word, i) && !WORD_CHAR.test(text[i + word.length] ?? '')) {
        this.i = i + word.length;
        return v === null ? { kind: 'null', start: i, end: this.i } : { kind: 'bool', value: v, start: i, end: this.i };
      }
    }
    let e = i;
    while (e < limit && /[^\s,:{}[\]"']/.test(text[e]) && e - i < 80) e++;
    return this.fail(`${JSON.stringify(text.slice(i, Math.max(e, i + 1)))} is not a JSON value`, i, Math.max(e, i + 1));
  }

  object(depth: number): JValue {
    const { text, limit } = this;
    const s = this.i++;
    const entries: JEntry[] = [];
    let elided = false;
    this.ws();
    if (text[this.i] === '}') {
      this.i++;
      return { kind: 'object', entries, elided, start: s, end: this.i };
    }
    for (;;) {
      this.ws();
      if (this.ellipsisAt(this.i)) {
        this.i += 3;
        elided = true;
      } else {
        if (this.i >= limit) this.fail('this object is never closed', s, s + 1);
        if (text[this.i] !== '"' && text[this.i] !== "'") this.fail('expected a member name in quotes');
        const k = this.str();
        this.ws();
        if (text[this.i] !== ':') this.fail(`expected ':' after ${JSON.stringify(k.value)}`);
        this.i++;
        entries.push({ key: k.value, keySpan: k, value: this.value(depth) });
      }
      this.ws();
      if (text[this.i] === ',') {
        this.i++;
        continue;
      }
      if (text[this.i] === '}') {
        this.i++;
        return { kind: 'object', entries, elided, start: s, end: this.i };
      }
      if (this.i >= limit) this.fail('this object is never closed', s, s + 1);
      this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): JValue {
    const { text, limit } = this;
    const s = this.i++;
    const items: JValue[] = [];
    let elided = false;
    this.ws();
    if (text[this.i] === ']') {
      this.i++;
      return { kind: 'array', items, elided, start: s, end: this.i };
    }
    for (;;) {
      const v = this.value(depth);
      if (v.kind === 'elided') elided = true;
      else items.push(v);
      this.ws();
      if (text[this.i] === ',') {
        this.i++;
        continue;
      }
      if (text[this.i] === ']') {
        this.i++;
        return { kind: 'array', items, elided, start: s, end: this.i };
      }
      if (this.i >= limit) this.fail('this array is never closed', s, s + 1);
      this.fail("expected ',' or ']'");
    }
  }
}

export function parseJson(text: string, start: number, allowEllipsis: boolean, limit = text.length): ParseResult {
  const p = new Parser(text, start, allowEllipsis, limit);
  try {
    const value = p.value(0);
    return { value, end: p.i };
  } catch (e) {
    if (e instanceof Fail) return { end: p.i, problem: e.problem };
    throw e;
  }
}
