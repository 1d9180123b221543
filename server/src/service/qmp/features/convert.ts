// Code actions that rewrite one command between the JSON and the qmp-shell forms.
// qmp-shell cannot say everything JSON can (a string "5" would be read back as an
// integer, null as the string "null", a string with a space keeps its quotes), so the
// conversion is offered only when the shell line reads back as the same command.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver-types';
import type { Statement } from '../script/parse';
import { parseScript, scriptOf } from '../script/parse';
import { toPlain } from '../script/value';
import { statementAt } from './locate';

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

export function conversions(doc: TextDocument, range: Range): CodeAction[] {
  const script = scriptOf(doc);
  const st = statementAt(script, doc.offsetAt(range.start));
  if (!st || st.direction !== 'client' || st.format === 'hmp' || st.value.kind !== 'object') return [];
  const plain = toPlain(st.value) as { execute?: unknown; arguments?: Record<string, Plain> };
  if (typeof plain.execute !== 'string' || Object.keys(plain).some((k) => k !== 'execute' && k !== 'arguments')) return [];
  const target = { start: doc.positionAt(st.span.start), end: doc.positionAt(st.span.end) };
  const action = (title: string, newText: string): CodeAction => ({
    title,
    kind: CodeActionKind.RefactorRewrite,
    edit: { changes: { [doc.uri]: [{ range: target, newText }] } },
  });
  if (st.format === 'shell') {
    return plain.execute === 'transaction' ? [] : [action('Convert to JSON', JSON.stringify(plain.arguments ? plain : { execute: plain.execute }))];
  }
  const line = toShell(plain.execute, plain.arguments ?? {});
  return line && readsBack(line, plain) ? [action('Convert to qmp-shell', line)] : [];
}

/**
 * The qmp-shell line for a command. qmp-shell keeps quotes in values (a string with a
 * space has no spelling) and, after a dotted key, puts the next keys into that nested
 * object: so scalars come first, nested objects as compact JSON, and only the last one
 * as dotted keys (its first word carries the path, the rest follow without it).
 */
function toShell(command: string, args: Record<string, Plain>): string | undefined {
  const words = [command];
  const isObject = (v: Plain): v is { [k: string]: Plain } => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0;
  const emit = (obj: Record<string, Plain>, prefix: string) => {
    let pending = prefix;
    const word = (k: string, text: string) => {
      words.push(`${pending}${k}=${text}`);
      pending = '';
    };
    const entries = Object.entries(obj);
    const nested = entries.filter(([, v]) => isObject(v));
    for (const [k, v] of entries) if (!isObject(v)) word(k, typeof v === 'string' ? v : JSON.stringify(v));
    nested.slice(0, -1).forEach(([k, v]) => word(k, JSON.stringify(v)));
    const last = nested[nested.length - 1];
    if (last) emit(last[1] as Record<string, Plain>, `${pending}${last[0]}.`);
  };
  emit(args, '');
  return words.join(' ');
}

function readsBack(line: string, plain: unknown): boolean {
  const back = parseScript(line).statements[0] as Statement | undefined;
  return !!back && canonical(toPlain(back.value)) === canonical(normalized(plain));
}

/** JSON with keys sorted: QEMU does not care in which order members come. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** A command without arguments has no "arguments" member in shell form. */
function normalized(plain: unknown): unknown {
  const p = plain as { execute: string; arguments?: Record<string, unknown> };
  return p.arguments && Object.keys(p.arguments).length ? { execute: p.execute, arguments: p.arguments } : { execute: p.execute };
}
