// The value tree every script format is read into. Offsets (UTF-16, into the
// document text) rather than LSP ranges: most nodes never produce a diagnostic,
// and converting only the offending ones keeps a 10,000-command script fast.

export interface Span {
  start: number;
  end: number;
}

export type JValue = JObject | JArray | JString | JNumber | JBool | JNull | JElided;
export interface JObject extends Span {
  kind: 'object';
  entries: JEntry[];
  elided: boolean;
}
export interface JArray extends Span {
  kind: 'array';
  items: JValue[];
  elided: boolean;
}
export interface JString extends Span {
  kind: 'string';
  value: string;
}
/** `text` is kept so integers beyond 2^53 are judged exactly (BigInt). */
export interface JNumber extends Span {
  kind: 'number';
  value: number;
  text: string;
  integer: boolean;
}
export interface JBool extends Span {
  kind: 'bool';
  value: boolean;
}
export interface JNull extends Span {
  kind: 'null';
}
/** `...` of a transcript: some value was left out. */
export interface JElided extends Span {
  kind: 'elided';
}
export interface JEntry {
  key: string;
  keySpan: Span;
  value: JValue;
}

export function member(obj: JObject, key: string): JEntry | undefined {
  for (const e of obj.entries) if (e.key === key) return e;
  return undefined;
}

/** The value as plain JSON (for state tracking, replies and conversions). */
export function toPlain(v: JValue): unknown {
  switch (v.kind) {
    case 'object':
      return Object.fromEntries(v.entries.map((e) => [e.key, toPlain(e.value)]));
    case 'array':
      return v.items.map(toPlain);
    case 'null':
    case 'elided':
      return null;
    default:
      return v.value;
  }
}

export function describeKind(v: JValue): string {
  switch (v.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(v.value.length > 40 ? v.value.slice(0, 40) + '…' : v.value)}`;
    case 'number':
      return v.integer ? `the integer ${v.text}` : `the number ${v.text}`;
    case 'bool':
      return `${v.value}`;
    case 'null':
      return 'null';
    case 'elided':
      return '...';
  }
}
