// Where the cursor is inside a top-level QAPI expression, read from the text itself
// (completion must work while the user is typing something the checker rejects).
import { scanTokens, type Token } from './lexer';

export interface CursorContext {
  /** An object key is being typed, or a value (an object member's value or an array item). */
  slot: 'key' | 'value';
  /**
   * Keys from the top-level object down to the slot. For a key slot: the path of the object
   * holding it. For a value slot: that path plus the key, or '[]' for an array item.
   * `'data': { 'm': { 'type': '|' } }` gives ['data', 'm', 'type'].
   */
  path: string[];
  /** Keys already present in the object holding a key slot (before and after the cursor). */
  siblings: string[];
  /** Keys of the top-level object (the first says what it defines). */
  topKeys: string[];
  /** Scalar string entries of the top-level object (definition kind and name, base, discriminator). */
  top: Map<string, string>;
  /** Scalar entries of an inline `'base': { ... }` object. */
  inlineBase?: Map<string, string>;
  /** Offsets to replace: the string's contents when the cursor is inside a string, else the word at the cursor. */
  replace: { start: number; end: number };
  /** The text in `replace` (what the user has typed of the name so far, and after the cursor). */
  typed: string;
  /** Whether the cursor is inside quotes (else completions bring their own). */
  quoted: boolean;
}

interface Frame {
  type: 'object' | 'array';
  /** Key in the parent object, '[]' in a parent array, '' for the top-level object. */
  parentKey: string;
  state: 'key' | 'colon' | 'value' | 'comma';
  key?: string;
  keys: string[];
  strings: Map<string, string>;
}

/** Offset of the `{` that opens the top-level expression around `offset` (QAPI puts it in column 0). */
function expressionStart(text: string, offset: number): number {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  for (;;) {
    if (text[lineStart] === '{' && lineStart < offset) return lineStart;
    if (lineStart === 0) return -1;
    // The previous line; at lineStart 1 it is the empty line at 0 (lastIndexOf with a
    // negative start would find that same newline again and never move).
    lineStart = lineStart === 1 ? 0 : text.lastIndexOf('\n', lineStart - 2) + 1;
  }
}

export function cursorContext(text: string, offset: number): CursorContext | null {
  const from = expressionStart(text, offset);
  if (from < 0) return null;
  const stack: Frame[] = [];
  let found: CursorContext | null = null;
  // The key string the cursor is in is not a sibling of itself.
  let typedKey = -1;
  let inlineBase: Map<string, string> | undefined;
  let done = false;

  const slotAt = (f: Frame, replace: CursorContext['replace'], quoted: boolean): CursorContext | null => {
    const path = stack.slice(1).map((s) => s.parentKey);
    const base = { siblings: f.keys, topKeys: stack[0].keys, top: stack[0].strings, replace, typed: text.slice(replace.start, replace.end), quoted };
    if (f.type === 'array') return f.state === 'comma' && quoted ? null : { slot: 'value', path: [...path, '[]'], ...base };
    if (f.state === 'key' || f.state === 'comma') return { slot: 'key', path, ...base };
    if (f.state === 'value') return { slot: 'value', path: [...path, f.key ?? ''], ...base };
    return null;
  };

  const startValue = (f: Frame | undefined, t: Token) => {
    if (!f) return;
    if (f.type === 'object') {
      if (f.state === 'key' || f.state === 'comma') {
        if (t.kind !== 'string') return;
        f.key = t.value;
        if (t.start !== typedKey) f.keys.push(t.value);
        f.state = 'colon';
        return;
      }
      if (f.state === 'value' && t.kind === 'string' && f.key !== undefined) f.strings.set(f.key, t.value);
    }
    f.state = 'comma';
  };

  scanTokens(text, from, (t) => {
    const f = stack[stack.length - 1];
    if (!found && stack.length > 0 && offset <= t.start) {
      found = slotAt(f, { start: offset, end: offset }, false);
      if (!found) {
        done = true;
        return false;
      }
    } else if (!found && stack.length > 0 && offset > t.start && offset <= t.end) {
      const inString = t.kind === 'string' && (offset < t.end || !t.closed);
      if (inString) {
        found = slotAt(f, { start: t.start + 1, end: t.closed ? t.end - 1 : t.end }, true);
        typedKey = t.start;
      } else if (t.kind === 'word') {
        found = slotAt(f, { start: t.start, end: t.end }, false);
      }
      if (!found && (inString || t.kind === 'word' || t.kind === 'comment')) {
        done = true;
        return false;
      }
    }
    // A column-0 `{` while still inside an expression: the previous one was never closed.
    if (t.kind === 'punct' && t.value === '{' && stack.length > 0 && t.start > from && text[t.start - 1] === '\n') {
      done = true;
      return false;
    }
    if (t.kind === 'comment') return;
    if (t.kind === 'punct') {
      switch (t.value) {
        case '{':
        case '[': {
          const parentKey = !f ? '' : f.type === 'array' ? '[]' : (f.key ?? '');
          if (f) f.state = 'comma';
          stack.push({ type: t.value === '{' ? 'object' : 'array', parentKey, state: t.value === '{' ? 'key' : 'value', keys: [], strings: new Map() });
          return;
        }
        case '}':
        case ']': {
          const closed = stack.pop();
          if (closed && closed.parentKey === 'base' && stack.length === 1) inlineBase = closed.strings;
          if (stack.length === 0) {
            done = true;
            return false;
          }
          return;
        }
        case ':':
          if (f?.type === 'object' && f.state === 'colon') f.state = 'value';
          return;
        case ',':
          if (f) f.state = f.type === 'object' ? 'key' : 'value';
          return;
      }
    }
    startValue(f, t);
  });
  // End of text inside an expression: the cursor may sit after the last token.
  if (!found && !done && stack.length > 0 && offset >= from) {
    const f = stack[stack.length - 1];
    found = slotAt(f, { start: offset, end: offset }, false);
  }
  const result = found as CursorContext | null;
  return result && inlineBase ? { ...result, inlineBase } : result;
}
