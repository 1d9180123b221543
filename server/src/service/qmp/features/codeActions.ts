// Quick fixes (and the JSON / qmp-shell conversions of convert.ts) from the data the checks attach to their diagnostics: did-you-mean
// (which also covers underscore-for-hyphen), size strings to numbers, and removal
// of members QEMU refuses.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type CodeActionContext, type Range } from 'vscode-languageserver-types';
import type { FixData } from '../check/report';
import { conversions } from './convert';

export function codeActions(doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of context.diagnostics) {
    const data = d.data as FixData | undefined;
    if (d.source !== 'qmp' || !data || typeof data !== 'object') continue;
    const edit = (range: Range, newText: string, title: string, preferred: boolean): CodeAction => ({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: preferred,
      edit: { changes: { [doc.uri]: [{ range, newText }] } },
    });
    if (data.kind === 'replace') out.push(edit(d.range, data.text, data.title, true));
    else if (data.kind === 'suggest') {
      data.names.forEach((n, i) => out.push(edit(d.range, requote(doc.getText(d.range), n), `Change to '${n}'`, i === 0)));
    } else if (data.kind === 'remove') {
      const r = removalRange(doc, data.span);
      out.push(edit(r, '', data.title, false));
    }
  }
  return [...out, ...conversions(doc, range)];
}

/** Keeps the quotes the original name was written with (JSON) or none (qmp-shell, HMP). */
function requote(original: string, name: string): string {
  const q = original[0];
  return q === '"' || q === "'" ? `${q}${name}${q}` : name;
}

/** A member together with the comma that separates it, so the rest stays valid JSON. */
function removalRange(doc: TextDocument, span: { start: number; end: number }): Range {
  const text = doc.getText();
  let { start, end } = span;
  let j = end;
  while (j < text.length && /[ \t]/.test(text[j])) j++;
  if (text[j] === ',') {
    end = j + 1;
    while (end < text.length && /[ \t]/.test(text[end])) end++;
  } else {
    let k = start - 1;
    while (k >= 0 && /[ \t\r\n]/.test(text[k])) k--;
    if (text[k] === ',') start = k;
    else while (start > 0 && /[ \t]/.test(text[start - 1])) start--;
  }
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}
