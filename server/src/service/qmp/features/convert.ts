// Code actions that rewrite one command between the JSON and the qmp-shell forms.
// qmp-shell cannot say everything JSON can (a string "5" would be read back as an
// integer, null as the string "null"), so the conversion is offered only when the
// shell line reads back as the same command.
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
    title, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [doc.uri]: [{ range: target, newText }] } },
  });
  if (st.format === 'shell') {
    return plain.execute === 'transaction' ? [] : [action('Convert to JSON', JSON.stringify(plain.arguments ? plain : { execute: plain.execute }))];
  }
  const line = toShell(plain.execute, plain.arguments ?? {});
  return line && readsBack(line, plain) ? [action('Convert to qmp-shell', line)] : [];
}

function toShell(command: string, args: Record<string, Plain>): string | undefined {
  const words = [command];
  const walk = (prefix: string, obj: Record<string, Plain>): boolean => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix + k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
        if (!walk(`${key}.`, v)) return false;
        continue;
      }
      const text = typeof v === 'string' ? v : Array.isArray(v) || (v !== null && typeof v === 'object') ? JSON.stringify(v) : String(v);
      words.push(/[\s'"\\]/.test(text) ? `${key}='${text.replace(/'/g, "'\\''")}'` : `${key}=${text}`);
    }
    return true;
  };
  return walk('', args) ? words.join(' ') : undefined;
}

function readsBack(line: string, plain: unknown): boolean {
  const back = parseScript(line).statements[0] as Statement | undefined;
  return !!back && JSON.stringify(toPlain(back.value)) === JSON.stringify(normalized(plain));
}

/** A command without arguments has no "arguments" member in shell form. */
function normalized(plain: unknown): unknown {
  const p = plain as { execute: string; arguments?: Record<string, unknown> };
  return p.arguments && Object.keys(p.arguments).length ? { execute: p.execute, arguments: p.arguments } : { execute: p.execute };
}
