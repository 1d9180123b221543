// QEMU's JSON dialect (qobject/json-lexer.c): standard JSON plus single-quoted
// strings, where `\'` is also a valid escape. Transcripts add `...` for an elided
// value or member. The parser never throws: it returns the first problem with its
// span so the caller can report it and resume at a sensible place.
import type { JEntry, JValue, Span } from './value';

export interface ParseProblem extends Span { message: string }
export interface ParseResult { value?: JValue; end: number; problem?: ParseProblem }

/** QEMU refuses deeper nesting (json-parser.c MAX_NESTING); it also keeps our recursion bounded. */
const MAX_DEPTH = 1024;

class Fail { constructor(readonly problem: ParseProblem) {} }

export function parseJson(text: string, start: number, allowEllipsis: boolean, limit = text.length): ParseResult {
  let i = start;
  const fail = (message: string, s = i, e = Math.min(limit, s + 1)): never => {
    throw new Fail({ message, start: s, end: Math.max(e, s + 1) });
  };
  const ws = () => {
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const ellipsisAt = (p: number) => allowEllipsis && text.startsWith('...', p);

  function str(): JValue {
    const quote = text.charCodeAt(i);
    const s = i++;
    let out = '';
    let run = i;
    for (;;) {
      if (i >= limit) fail('this string is never closed', s, s + 1);
      const c = text.charCodeAt(i);
      if (c === quote) {
        out += text.slice(run, i++);
        return { kind: 'string', value: out, start: s, end: i };
      }
      if (c === 10 || c === 13) fail('this string is never closed on its line', s, i);
      if (c < 32) fail('control characters must be escaped inside strings', i);
      if (c === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; }
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(`'\\${e ?? ''}' is not a valid escape`, i, i + 2);
        run = i;
        continue;
      }
      i++;
    }
  }

  function num(): JValue {
    const s = i;
    if (text[i] === '-') i++;
    const digits = () => { const d = i; while (i < limit && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++; return i > d; };
    if (!digits()) fail('a number needs digits', s, i + 1);
    let integer = true;
    if (text[i] === '.') { i++; integer = false; if (!digits()) fail('a fraction needs digits after the point', s, i); }
    if (text[i] === 'e' || text[i] === 'E') {
      i++; integer = false;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) fail('an exponent needs digits', s, i);
    }
    const t = text.slice(s, i);
    return { kind: 'number', value: Number(t), text: t, integer, start: s, end: i };
  }

  function value(depth: number): JValue {
    ws();
    if (i >= limit) fail('a value is missing here', Math.max(start, limit - 1), limit);
    const c = text[i];
    if (ellipsisAt(i)) { i += 3; return { kind: 'elided', start: i - 3, end: i }; }
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
      return c === '{' ? object(depth + 1) : array(depth + 1);
    }
    if (c === '"' || c === "'") return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? '')) {
        const s = i; i += word.length;
        return v === null ? { kind: 'null', start: s, end: i } : { kind: 'bool', value: v, start: s, end: i };
      }
    }
    let e = i;
    while (e < limit && /[^\s,:{}[\]"']/.test(text[e]) && e - i < 80) e++;
    return fail(`${JSON.stringify(text.slice(i, Math.max(e, i + 1)))} is not a JSON value`, i, Math.max(e, i + 1));
  }

  function object(depth: number): JValue {
    const s = i++;
    const entries: JEntry[] = [];
    let elided = false;
    ws();
    if (text[i] === '}') { i++; return { kind: 'object', entries, elided, start: s, end: i }; }
    for (;;) {
      ws();
      if (ellipsisAt(i)) { i += 3; elided = true; }
      else {
        if (i >= limit) fail('this object is never closed', s, s + 1);
        if (text[i] !== '"' && text[i] !== "'") fail('expected a member name in quotes', i);
        const k = str() as { value: string; start: number; end: number };
        ws();
        if (text[i] !== ':') fail(`expected ':' after ${JSON.stringify(k.value)}`, i);
        i++;
        entries.push({ key: k.value, keySpan: { start: k.start, end: k.end }, value: value(depth) });
      }
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; return { kind: 'object', entries, elided, start: s, end: i }; }
      if (i >= limit) fail('this object is never closed', s, s + 1);
      fail("expected ',' or '}'", i);
    }
  }

  function array(depth: number): JValue {
    const s = i++;
    const items: JValue[] = [];
    let elided = false;
    ws();
    if (text[i] === ']') { i++; return { kind: 'array', items, elided, start: s, end: i }; }
    for (;;) {
      const v = value(depth);
      if (v.kind === 'elided') elided = true; else items.push(v);
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') { i++; return { kind: 'array', items, elided, start: s, end: i }; }
      if (i >= limit) fail('this array is never closed', s, s + 1);
      fail("expected ',' or ']'", i);
    }
  }

  try {
    const v = value(0);
    return { value: v, end: i };
  } catch (e) {
    if (e instanceof Fail) return { end: i, problem: e.problem };
    throw e;
  }
}
