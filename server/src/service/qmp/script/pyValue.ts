// How qmp-shell reads the value of `key=value` (QMPShell._parse_value in
// python/qemu/qmp/qmp_shell.py, the same in 7.2 and 10.2): Python's int(), then
// true/false in any case, then for text starting with { or [ Python's json.loads and,
// failing that, the Python literal it reads with `true`/`false`/`null` allowed
// (FuzzyJSON + ast.literal_eval); anything else is the text itself, quotes included.
// The result is what json.dumps would send; Python values JSON cannot hold (sets,
// bytes, complex numbers, inf/nan) and values that make qmp-shell itself fail are
// problems. Never throws; nesting is bounded as Python bounds it.
import type { JEntry, JValue, Span } from './value';

/**
 * `crash`: qmp-shell itself fails while reading the line (Python TypeError,
 * RecursionError). Otherwise the value is read but cannot reach QEMU: json.dumps
 * refuses it, or QEMU's JSON parser refuses what it sends (Infinity, NaN).
 */
export type ShellValue = { value: JValue } | { problem: string; crash?: true };

/** Python 3.11's int() refuses more digits than this (sys.get_int_max_str_digits()). */
const MAX_INT_DIGITS = 4300;

export function readShellValue(text: string, start: number, end: number): ShellValue {
  const raw = text.slice(start, end);
  const span = { start, end };
  const int = pythonInt(raw);
  if (int !== undefined) return { value: { kind: 'number', value: Number(int), text: int, integer: true, ...span } };
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false') return { value: { kind: 'bool', value: lower === 'true', ...span } };
  if (raw.startsWith('{') || raw.startsWith('[')) {
    const j = pyJson(text, start, end);
    if (j) return j;
    const l = pyLiteral(text, start, end);
    if (l) return l;
  }
  return { value: { kind: 'string', value: raw, ...span } };
}

/** Python int(text) in base 10, as decimal digits, or undefined where it raises ValueError. */
export function pythonInt(raw: string): string | undefined {
  const m = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u.exec(raw);
  if (!m) return undefined;
  let digits = '';
  for (const ch of m[2]) if (ch !== '_') digits += String(digitValue(ch));
  if (digits.length > MAX_INT_DIGITS) return undefined;
  const n = BigInt(digits);
  return (m[1] === '-' && n !== 0n ? '-' : '') + n.toString();
}

/** A decimal digit's value: Unicode puts the digits 0-9 of each script in runs of ten. */
function digitValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  let cp = ch.codePointAt(0)!;
  let back = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) {
    cp--;
    back++;
  }
  return back % 10;
}

class Fail {
  constructor(
    readonly problem?: string,
    readonly crash?: true,
  ) {}
}

// ---- json.loads (Python's json module: standard JSON plus NaN, Infinity, -Infinity) ----

function pyJson(text: string, start: number, end: number): ShellValue | null {
  let i = start;
  let depth = 0;
  const ws = () => {
    while (i < end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (): never => {
    throw new Fail();
  };
  const str = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= end) fail();
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c < ' ') fail();
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) && i + 6 <= end) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        fail();
      }
      out += c;
      i++;
    }
  };
  const value = (): JValue => {
    ws();
    const s = i;
    const c = text[i];
    if (c === '{' || c === '[') {
      // Python's json recurses per level; past its recursion limit qmp-shell dies of RecursionError.
      if (++depth > 990) throw new Fail('qmp-shell fails on this value (Python RecursionError: nested too deeply)', true);
      i++;
      ws();
      if (c === '[') {
        const items: JValue[] = [];
        if (text[i] === ']') {
          i++;
          depth--;
          return { kind: 'array', items, elided: false, start: s, end: i };
        }
        for (;;) {
          items.push(value());
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            depth--;
            return { kind: 'array', items, elided: false, start: s, end: i };
          }
          fail();
        }
      }
      const entries: JEntry[] = [];
      if (text[i] === '}') {
        i++;
        depth--;
        return { kind: 'object', entries, elided: false, start: s, end: i };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const ks = i;
        const key = str();
        const keySpan = { start: ks, end: i };
        ws();
        if (text[i] !== ':') fail();
        i++;
        setKey(entries, key, keySpan, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          depth--;
          return { kind: 'object', entries, elided: false, start: s, end: i };
        }
        fail();
      }
    }
    if (c === '"') {
      const v = str();
      return { kind: 'string', value: v, start: s, end: i };
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
    ] as const) {
      if (text.startsWith(word, i) && i + word.length <= end) {
        i += word.length;
        return { kind: 'bool', value: v, start: s, end: i };
      }
    }
    if (text.startsWith('null', i) && i + 4 <= end) {
      i += 4;
      return { kind: 'null', start: s, end: i };
    }
    for (const word of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(word, i) && i + word.length <= end) throw new Fail(`qmp-shell reads ${word} and sends it, but QEMU's JSON has no ${word}`);
    }
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i, end));
    if (!m) fail();
    i += m![0].length;
    return number(m![0], !m![1] && !m![2], s, i);
  };
  try {
    const v = value();
    ws();
    return i === end ? { value: v } : null;
  } catch (e) {
    if (e instanceof Fail) return e.problem ? { problem: e.problem, ...(e.crash ? { crash: true as const } : {}) } : null;
    throw e;
  }
}

function number(lexeme: string, integer: boolean, start: number, end: number): JValue {
  if (integer) {
    const t = BigInt(lexeme).toString();
    return { kind: 'number', value: Number(t), text: t, integer: true, start, end };
  }
  const v = Number(lexeme.replace(/_/g, ''));
  if (!Number.isFinite(v)) throw new Fail(`qmp-shell reads ${lexeme} as infinity and sends it as Infinity, which QEMU's JSON refuses`);
  return { kind: 'number', value: v, text: lexeme, integer: false, start, end };
}

/** A Python dict keeps the first key and the last value. */
function setKey(entries: JEntry[], key: string, keySpan: Span, value: JValue): void {
  const old = entries.findIndex((e) => e.key === key);
  if (old >= 0) entries[old] = { ...entries[old], value };
  else entries.push({ key, keySpan, value });
}

// ---- ast.literal_eval of the FuzzyJSON-transformed Python expression ----

/** A Python value as literal_eval builds it (before json.dumps). */
type Py =
  | { t: 'json'; v: JValue; signed?: true }
  | { t: 'tuple'; items: Py[]; start: number; end: number }
  | { t: 'other'; what: string; start: number; end: number; signed?: true }
  | { t: 'list'; items: Py[]; start: number; end: number }
  | { t: 'dict'; entries: [Py, Py][]; start: number; end: number };

/** The tokenizer refuses deeper bracket nesting ("too many nested parentheses"). */
const PY_MAX_NESTING = 200;

function pyLiteral(text: string, start: number, end: number): ShellValue | null {
  let i = start;
  let depth = 0;
  const fail = (problem?: string): never => {
    throw new Fail(problem, problem ? true : undefined);
  };
  const ws = () => {
    for (;;) {
      while (i < end && /[ \t\f]/.test(text[i])) i++;
      if (text[i] === '\\' && (text[i + 1] === '\n' || i + 1 === end)) fail();
      if (text[i] === '#') {
        i = end;
        return;
      }
      return;
    }
  };
  const isIdStart = (c: string | undefined) => !!c && /[\p{L}\p{Nl}_]/u.test(c);
  const isId = (c: string | undefined) => !!c && /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]/u.test(c);

  const stringLit = (): Py | null => {
    const m = /^([rRuUbBfF]{0,2})('''|"""|'|")/.exec(text.slice(i, Math.min(end, i + 5)));
    if (!m) return null;
    const prefix = m[1].toLowerCase();
    if (!['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf'].includes(prefix)) return null;
    const s = i;
    let out = '';
    let kind: 'str' | 'bytes' | 'fstr' = 'str';
    // Adjacent literals concatenate ('a' "b").
    for (let first = true; ; first = false) {
      const mm = /^([rRuUbBfF]{0,2})('''|"""|'|")/.exec(text.slice(i, Math.min(end, i + 5)));
      if (!mm || !['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf'].includes(mm[1].toLowerCase())) break;
      const p = mm[1].toLowerCase();
      const k = p.includes('b') ? 'bytes' : p.includes('f') ? 'fstr' : 'str';
      if (!first && (k === 'bytes') !== (kind === 'bytes')) fail();
      if (k !== 'str') kind = k;
      const raw = p.includes('r');
      const q = mm[2];
      i += mm[0].length;
      for (;;) {
        if (i >= end) fail();
        if (text.startsWith(q, i)) {
          i += q.length;
          break;
        }
        const c = text[i];
        if (c === '\n' && q.length === 1) fail();
        if (c === '\\') {
          if (i + 1 >= end) fail();
          const e = text[i + 1];
          if (raw) {
            out += c + e;
            i += 2;
            continue;
          }
          const simple: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
          if (e in simple) {
            out += simple[e];
            i += 2;
            continue;
          }
          const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1, Math.min(end, i + 4)));
          if (oct) {
            out += String.fromCharCode(parseInt(oct[0], 8));
            i += 1 + oct[0].length;
            continue;
          }
          const hexLen = e === 'x' ? 2 : e === 'u' && k !== 'bytes' ? 4 : e === 'U' && k !== 'bytes' ? 8 : 0;
          if (hexLen) {
            const h = text.slice(i + 2, i + 2 + hexLen);
            if (h.length !== hexLen || !/^[0-9a-fA-F]+$/.test(h) || i + 2 + hexLen > end) fail();
            const cp = parseInt(h, 16);
            if (cp > 0x10ffff) fail();
            out += String.fromCodePoint(cp);
            i += 2 + hexLen;
            continue;
          }
          if (e === 'N' && k !== 'bytes') fail(); // \N{name}: names are not known here; read as not a literal
          out += c + e;
          i += 2;
          continue;
        }
        out += c;
        i++;
      }
      ws();
    }
    if (kind === 'fstr') fail(); // an f-string is no literal (ValueError)
    if (kind === 'bytes') return { t: 'other', what: 'bytes', start: s, end: i };
    return { t: 'json', v: { kind: 'string', value: out, start: s, end: i } };
  };

  const num = (): Py | null => {
    const rest = text.slice(i, end);
    const m =
      /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][-+]?[0-9](?:_?[0-9])*)?[jJ]?)/.exec(
        rest,
      );
    if (!m) return null;
    const lex = m[0];
    if (isId(text[i + lex.length]) || text[i + lex.length] === '.') fail();
    const s = i;
    i += lex.length;
    if (/[jJ]$/.test(lex)) return { t: 'other', what: 'complex number', start: s, end: i };
    const clean = lex.replace(/_/g, '');
    if (/^0[xXoObB]/.test(clean)) return { t: 'json', v: number(BigInt(clean).toString(), true, s, i) };
    if (/^[0-9]+$/.test(clean)) {
      if (/^0+[1-9]/.test(clean)) fail(); // leading zeros in a decimal literal
      return { t: 'json', v: number(clean, true, s, i) };
    }
    return { t: 'json', v: number(clean, false, s, i) };
  };

  const container = (open: string, close: string): Py => {
    const s = i;
    if (++depth > PY_MAX_NESTING) fail();
    i++;
    ws();
    const items: Py[] = [];
    const entries: [Py, Py][] = [];
    let isDict = false;
    let isSet = false;
    let sawComma = false;
    while (text[i] !== close) {
      const k = expr();
      ws();
      if (open === '{' && (text[i] === ':' || isDict)) {
        if (text[i] !== ':' || isSet) fail();
        isDict = true;
        i++;
        const v = expr();
        ws();
        entries.push([k, v]);
      } else {
        if (open === '{') isSet = true;
        items.push(k);
      }
      if (text[i] === ',') {
        i++;
        sawComma = true;
        ws();
        continue;
      }
      if (text[i] !== close) fail();
    }
    i++;
    depth--;
    const e = i;
    if (open === '(') return items.length === 1 && !sawComma ? items[0] : { t: 'tuple', items, start: s, end: e };
    if (open === '[') return { t: 'list', items, start: s, end: e };
    if (isSet) {
      for (const k of items) if (!hashable(k)) fail('qmp-shell fails on this value (Python TypeError: unhashable type in a set)');
      return { t: 'other', what: 'set', start: s, end: e };
    }
    for (const [k] of entries) if (!hashable(k)) fail('qmp-shell fails on this value (Python TypeError: unhashable dict key)');
    return { t: 'dict', entries, start: s, end: e };
  };

  const atom = (): Py => {
    ws();
    const c = text[i];
    if (c === '[') return container('[', ']');
    if (c === '(') return container('(', ')');
    if (c === '{') return container('{', '}');
    const str = stringLit();
    if (str) return str;
    const n = num();
    if (n) return n;
    if (isIdStart(c)) {
      const s = i;
      while (i < end && isId(text[i])) i++;
      const name = text.slice(s, i).normalize('NFKC');
      const consts: Record<string, JValue['kind'] | undefined> = { True: 'bool', False: 'bool', None: 'null', true: 'bool', false: 'bool', null: 'null' };
      if (name === 'set') {
        // set() is the one call literal_eval allows.
        ws();
        if (text[i] === '(') {
          i++;
          ws();
          if (text[i] === ')') {
            i++;
            return { t: 'other', what: 'set', start: s, end: i };
          }
        }
        fail();
      }
      const k = consts[name];
      if (!k) fail();
      const v: JValue = k === 'null' ? { kind: 'null', start: s, end: i } : { kind: 'bool', value: name === 'True' || name === 'true', start: s, end: i };
      return { t: 'json', v };
    }
    return fail();
  };

  const expr = (): Py => {
    ws();
    const s = i;
    if (text[i] === '-' || text[i] === '+') {
      const neg = text[i] === '-';
      i++;
      const operand = atom();
      // literal_eval allows a sign only on a number constant (not on True, not twice).
      if (operand.t === 'other' && operand.what === 'complex number' && !operand.signed) return { ...operand, start: s, signed: true };
      const v = operand.t === 'json' && operand.v.kind === 'number' && !operand.signed ? operand.v : fail();
      const value: JValue = neg
        ? { ...v, start: s, value: -v.value, text: v.integer ? (BigInt(v.text) === 0n ? '0' : (-BigInt(v.text)).toString()) : `-${v.text}` }
        : { ...v, start: s };
      return binary({ t: 'json', v: value, signed: true }, s);
    }
    return binary(atom(), s);
  };

  /** num + imaginary (a complex number) is the one operator literal_eval allows. */
  const binary = (left: Py, s: number): Py => {
    ws();
    if (text[i] !== '+' && text[i] !== '-') return left;
    i++;
    const right = atom();
    const num = (left.t === 'json' && left.v.kind === 'number') || (left.t === 'other' && left.what === 'complex number');
    if (num && right.t === 'other' && right.what === 'complex number' && !right.signed) return { t: 'other', what: 'complex number', start: s, end: i };
    return fail();
  };

  try {
    const v = expr();
    ws();
    if (i !== end) return null;
    return toJson(v);
  } catch (e) {
    if (e instanceof Fail) return e.problem ? { problem: e.problem, ...(e.crash ? { crash: true as const } : {}) } : null;
    throw e;
  }
}

function hashable(p: Py): boolean {
  if (p.t === 'list' || p.t === 'dict') return false;
  if (p.t === 'tuple') return p.items.every(hashable);
  return true;
}

/** What json.dumps makes of the value: tuples become arrays; dict keys become strings. */
function toJson(p: Py): ShellValue {
  try {
    return { value: convert(p) };
  } catch (e) {
    if (e instanceof Fail) return { problem: e.problem! };
    throw e;
  }
}

function convert(p: Py): JValue {
  switch (p.t) {
    case 'json':
      return p.v;
    case 'other':
      throw new Fail(`qmp-shell cannot send a Python ${p.what} (json.dumps refuses it)`);
    case 'tuple':
    case 'list':
      return { kind: 'array', items: p.items.map(convert), elided: false, start: p.start, end: p.end };
    case 'dict': {
      const entries: JEntry[] = [];
      // Keys equal in Python (1, 1.0 and True) are one key: the first spelling, the last value.
      const ids: string[] = [];
      for (const [k, v] of p.entries) {
        const id = keyId(k);
        const value = convert(v);
        const at = ids.indexOf(id);
        if (at >= 0) {
          entries[at] = { ...entries[at], value };
          continue;
        }
        ids.push(id);
        entries.push({ key: keyText(k), keySpan: spanOf(k), value });
      }
      return { kind: 'object', entries, elided: false, start: p.start, end: p.end };
    }
  }
}

const spanOf = (p: Py): Span => (p.t === 'json' ? { start: p.v.start, end: p.v.end } : { start: p.start, end: p.end });

function keyId(k: Py): string {
  if (k.t === 'json') {
    const v = k.v;
    if (v.kind === 'string') return `s${v.value}`;
    if (v.kind === 'null') return 'n';
    if (v.kind === 'bool') return `#${v.value ? 1 : 0}`;
    if (v.kind === 'number') return v.integer ? `#${v.text}` : Number.isInteger(v.value) ? `#${BigInt(v.value)}` : `#${v.value}`;
  }
  if (k.t === 'tuple') return `t(${k.items.map(keyId).join(',')})`;
  return `o${spanOf(k).start}`;
}

/** json.dumps turns str, int, float, bool and None keys into strings and refuses the rest. */
function keyText(k: Py): string {
  if (k.t === 'json') {
    const v = k.v;
    switch (v.kind) {
      case 'string':
        return v.value;
      case 'null':
        return 'null';
      case 'bool':
        return String(v.value);
      case 'number':
        return v.integer ? v.text : pythonFloatRepr(v.value);
    }
  }
  throw new Fail(
    `qmp-shell cannot send a dict key that is a Python ${k.t === 'tuple' ? 'tuple' : k.t === 'other' ? k.what : 'value of this kind'} (json.dumps refuses it)`,
  );
}

/** Python's repr() of a float: the shortest digits, fixed between 1e-4 and 1e16. */
export function pythonFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mant, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('-', '').replace('.', '');
  const sign = v < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}
