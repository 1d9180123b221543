// Completion from the text before the cursor (the statement being typed is often
// not valid yet): command names, the arguments of that command not given yet,
// enum and capability values, booleans, and snippets for common migration sequences.
// The text is read with the checker's own readers: the statement from the script's
// parse, its JSON by the checker's parser run up to the cursor, shell and HMP lines
// by the checker's word splitter.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import { HMP_COMMANDS } from '../../../migration/facts';
import type { Analysis } from '../analysis';
import { objectMembers, type QmpSchema } from '../schema/types';
import { Parser } from '../script/json';
import { scriptOf } from '../script/parse';
import type { JString, JValue } from '../script/value';
import { splitWords } from '../script/words';
import { memberAt, statementAt } from './locate';

const SNIPPETS: { label: string; detail: string; body: string }[] = [
  {
    label: 'migrate sequence (JSON)',
    detail: 'capabilities, parameters, migrate, query-migrate',
    body: [
      '{"execute": "qmp_capabilities"}',
      '{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "${1:auto-converge}", "state": true}]}}',
      '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": ${2:300}, "max-bandwidth": ${3:1250000000}}}',
      '{"execute": "migrate", "arguments": {"uri": "${4:tcp:192.0.2.2:4444}"}}',
      '{"execute": "query-migrate"}',
    ].join('\n'),
  },
  {
    label: 'switchover bandwidth (JSON)',
    detail: 'tell QEMU the real link speed for the switchover decision (8.2+)',
    body: '{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": ${1:1250000000}, "downtime-limit": ${2:300}}}',
  },
  {
    label: 'postcopy sequence (JSON)',
    detail: 'postcopy-ram before migrate, then switch',
    body: [
      '{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "postcopy-ram", "state": true}]}}',
      '{"execute": "migrate", "arguments": {"uri": "${1:tcp:192.0.2.2:4444}"}}',
      '{"execute": "migrate-start-postcopy"}',
    ].join('\n'),
  },
  {
    label: 'migrate sequence (HMP)',
    detail: 'HMP lines',
    body: [
      'migrate_set_capability ${1:auto-converge} on',
      'migrate_set_parameter downtime-limit ${2:300}',
      'migrate_set_parameter max-bandwidth ${3:1G}',
      'migrate -d ${4:tcp:192.0.2.2:4444}',
      'info migrate',
    ].join('\n'),
  },
];

export function completion(a: Analysis, doc: TextDocument, pos: Position): CompletionList {
  const offset = doc.offsetAt(pos);
  const text = doc.getText();
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, offset);
  const schema = a.choice.schema;
  const items: CompletionItem[] = [];
  const range = (from: number): Range => ({ start: doc.positionAt(from), end: pos });
  if (/^\s*#/.test(line)) return { isIncomplete: false, items };
  // A whole statement around the cursor (editing inside one) as the checker read it; else the one being typed.
  const st = statementAt(scriptOf(doc), offset);
  const start = st && st.format !== 'shell' && st.format !== 'hmp' ? st.value.start : statementStart(text, offset);
  const json = /^\s*(->\s*)?[{[]/.exec(text.slice(start, offset));
  if (json) jsonItems(schema, text, start + json[0].length - 1, offset, range, items);
  else wordItems(schema, text, lineStart, offset, range, items);
  return { isIncomplete: false, items };
}

/** Where the statement being typed starts: the last unindented line that opens a JSON message or a command. */
function statementStart(text: string, offset: number): number {
  let ls = text.lastIndexOf('\n', offset - 1) + 1;
  for (let n = 0; n < 200 && ls > 0; n++) {
    if (/^(\{|\[|->|<-|[A-Za-z#])/.test(text.slice(ls, ls + 2)) || text[ls] === undefined) return ls;
    ls = text.lastIndexOf('\n', ls - 2) + 1;
  }
  return ls;
}

function commandItems(schema: QmpSchema, quoted: string, r: Range): CompletionItem[] {
  return [...schema.commands.values()].map((c) => ({
    label: c.name,
    kind: CompletionItemKind.Function,
    detail: c.deprecated ? 'deprecated' : c.since ? `since ${c.since}` : undefined,
    documentation: c.doc,
    tags: c.deprecated ? [1] : undefined,
    textEdit: { range: r, newText: `${quoted}${c.name}${quoted}` },
  }));
}

function valueItems(schema: QmpSchema, typeName: string, quote: string, r: Range, bools: string[]): CompletionItem[] {
  let t = schema.types.get(typeName);
  while (t?.kind === 'array') t = schema.types.get(t.element);
  if (t?.kind === 'enum') {
    return [...t.values].map(([v, info]) => ({
      label: v,
      kind: CompletionItemKind.EnumMember,
      documentation: info.doc,
      textEdit: { range: r, newText: `${quote}${v}${quote}` },
    }));
  }
  if (t?.kind === 'builtin' && t.builtin === 'bool') {
    return bools.map((b) => ({ label: b, kind: CompletionItemKind.Value, textEdit: { range: r, newText: b } }));
  }
  return [];
}

function memberItems(schema: QmpSchema, typeName: string | undefined, given: Set<string>, r: Range, make: (name: string) => string): CompletionItem[] {
  const t = schema.types.get(typeName ?? '');
  if (t?.kind !== 'object') return [];
  return [...objectMembers(schema, t).values()]
    .filter((m) => !given.has(m.name))
    .map((m) => ({
      label: m.name,
      kind: CompletionItemKind.Property,
      detail: `${m.type}${m.unit ? ` (${m.unit})` : ''}${m.optional ? '' : ' · required'}`,
      documentation: m.doc,
      tags: m.deprecated ? [1] : undefined,
      textEdit: { range: r, newText: make(m.name) },
    }));
}

interface Frame {
  kind: 'obj' | 'arr';
  /** The member being read (objects): its key once read. */
  key?: string;
  keys: Set<string>;
  /** String values read so far, by key (the command name is the root's `execute`). */
  strings: Map<string, string>;
  expect: 'key' | 'value';
}

/**
 * The checker's JSON parser, stopped at the cursor: where it stops, the containers still
 * open are the cursor's context (keys given, the member being written, a string left open).
 */
class CursorParser extends Parser {
  readonly stack: Frame[] = [];
  openString?: { start: number; quote: string };

  override object(depth: number): JValue {
    this.stack.push({ kind: 'obj', keys: new Set(), strings: new Map(), expect: 'key' });
    const v = super.object(depth);
    this.stack.pop();
    return v;
  }

  override array(depth: number): JValue {
    this.stack.push({ kind: 'arr', keys: new Set(), strings: new Map(), expect: 'value' });
    const v = super.array(depth);
    this.stack.pop();
    return v;
  }

  override value(depth: number): JValue {
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'obj') top.expect = 'value';
    const v = super.value(depth);
    if (top?.kind === 'obj') top.expect = 'key';
    return v;
  }

  override str(): JString {
    this.openString = { start: this.i, quote: this.text[this.i] };
    const v = super.str();
    this.openString = undefined;
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'obj' && top.expect === 'key') {
      top.key = v.value;
      top.keys.add(v.value);
    } else if (top?.kind === 'obj' && top.key !== undefined) top.strings.set(top.key, v.value);
    return v;
  }
}

/** Items for the JSON message opening at `open`, read up to the cursor at `offset`. */
function jsonItems(schema: QmpSchema, text: string, open: number, offset: number, range: (from: number) => Range, items: CompletionItem[]): void {
  const p = new CursorParser(text, open, true, offset);
  try {
    p.value(0);
  } catch (e) {
    if (e instanceof Error) throw e;
  } // the parser's own stop at the cursor is expected
  const stack = p.stack;
  if (!stack.length) return;
  const top = stack[stack.length - 1];
  const openString = p.openString;
  const before = /\S?(?=\s*$)/.exec(text.slice(open, offset))?.[0] ?? '';
  // In an open string the parser knows which side of the ':' it is; else the last mark decides.
  const atKey = openString ? top.kind === 'obj' && top.expect === 'key' : top.kind === 'obj' && (before === '{' || before === ',');
  const from = openString ? openString.start : offset - (/[\w-]*$/.exec(text.slice(open, offset))?.[0].length ?? 0);
  const q = openString?.quote ?? '"';
  const r = range(from);
  const objs = stack.filter((f) => f.kind === 'obj');
  const command = stack[0].strings.get('execute');
  if (objs.length === 1 && top.kind === 'obj') {
    if (atKey) {
      for (const k of ['execute', 'arguments', 'id'].filter((k) => !top.keys.has(k)))
        items.push({ label: k, kind: CompletionItemKind.Property, textEdit: { range: r, newText: `${q}${k}${q}` } });
    } else if (top.key === 'execute') items.push(...commandItems(schema, q, r));
    return;
  }
  if (!command || stack[0].key !== 'arguments') return;
  // Path of member names below "arguments" (array levels carry no name).
  const path = stack
    .slice(1)
    .filter((f) => f.kind === 'obj')
    .map((f) => f.key ?? '');
  if (atKey) {
    const innerPath = path.slice(0, -1);
    const typeName = innerPath.length ? memberAt(schema, command, innerPath)?.type : schema.commands.get(command)?.args;
    let t = typeName;
    for (let x = schema.types.get(t ?? ''); x?.kind === 'array'; x = schema.types.get(t ?? '')) t = x.element;
    items.push(...memberItems(schema, t, top.keys, r, (n) => `${q}${n}${q}`));
  } else {
    const m = memberAt(schema, command, path);
    if (m) items.push(...valueItems(schema, m.type, q, r, ['true', 'false']));
  }
}

/** Items for a qmp-shell or HMP line, split into words as the checker splits them. */
function wordItems(schema: QmpSchema, text: string, lineStart: number, offset: number, range: (from: number) => Range, items: CompletionItem[]): void {
  const split = splitWords(text, lineStart, offset);
  if (split.problem) return; // inside an open quote
  const typed = split.words;
  // The word at the cursor: the last one if the cursor touches it, else a new empty one.
  const last = typed[typed.length - 1];
  const currentWord = last && last.end === offset ? last : { text: '', start: offset, end: offset, plain: true };
  const words = [...(last && last.end === offset ? typed.slice(0, -1) : typed).map((w) => w.text), currentWord.text];
  const current = currentWord.text;
  const r = range(currentWord.start);
  if (words.length === 1) {
    items.push(...commandItems(schema, '', r));
    for (const h of Object.keys(HMP_COMMANDS))
      if (!h.includes(' ')) items.push({ label: h, kind: CompletionItemKind.Function, detail: `HMP → ${HMP_COMMANDS[h]}`, textEdit: { range: r, newText: h } });
    items.push({
      label: 'info',
      kind: CompletionItemKind.Function,
      detail: 'HMP info migrate / migrate_parameters / migrate_capabilities',
      textEdit: { range: r, newText: 'info' },
    });
    for (const s of SNIPPETS)
      items.push({
        label: s.label,
        kind: CompletionItemKind.Snippet,
        detail: s.detail,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: r, newText: s.body },
      });
    return;
  }
  const cmd = words[0];
  const params = schema.commands.get('migrate-set-parameters')?.args;
  if (cmd === 'info' && words.length === 2) {
    for (const w of ['migrate', 'migrate_parameters', 'migrate_capabilities'])
      items.push({ label: w, kind: CompletionItemKind.Function, textEdit: { range: r, newText: w } });
  } else if (cmd === 'migrate_set_parameter') {
    if (words.length === 2) items.push(...memberItems(schema, params, new Set(), r, (n) => n));
    else if (words.length === 3) {
      const m = memberAt(schema, 'migrate-set-parameters', [words[1]]);
      if (m) items.push(...valueItems(schema, m.type, '', r, ['on', 'off']));
    }
  } else if (cmd === 'migrate_set_capability') {
    if (words.length === 2)
      items.push(...valueItems(schema, memberAt(schema, 'migrate-set-capabilities', ['capabilities', 'capability'])?.type ?? '', '', r, []));
    else if (words.length === 3) items.push(...['on', 'off'].map((b) => ({ label: b, kind: CompletionItemKind.Value, textEdit: { range: r, newText: b } })));
  } else if (schema.commands.has(cmd)) {
    const eq = current.indexOf('=');
    if (eq < 0) {
      const given = new Set(words.slice(1, -1).map((w) => w.split('=')[0]));
      items.push(...memberItems(schema, schema.commands.get(cmd)?.args, given, r, (n) => `${n}=`));
    } else {
      const m = memberAt(schema, cmd, current.slice(0, eq).split('.'));
      if (m) items.push(...valueItems(schema, m.type, '', range(currentWord.start + eq + 1), ['true', 'false']));
    }
  }
}
