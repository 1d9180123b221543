// Outline (one symbol per command, capped by maxItemsComputed) and folding of
// commands that span lines.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';

export function documentSymbols(a: Analysis, doc: TextDocument, max: number): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const st of a.script.statements) {
    if (out.length >= max) break;
    if (st.direction !== 'client' || st.value.kind !== 'object') continue;
    const exec = st.value.entries.find((e) => e.key === 'execute' || e.key === 'exec-oob');
    if (exec?.value.kind !== 'string') continue;
    const range = { start: doc.positionAt(st.span.start), end: doc.positionAt(st.span.end) };
    const name = st.nameSpan ?? exec.value;
    out.push({
      name: exec.value.value,
      detail: st.hmp ? `HMP ${st.hmp.command}` : st.format,
      kind: SymbolKind.Function,
      range,
      selectionRange: { start: doc.positionAt(name.start), end: doc.positionAt(name.end) },
    });
  }
  return out;
}

export function foldingRanges(a: Analysis, doc: TextDocument, max: number): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const st of a.script.statements) {
    if (out.length >= max) break;
    const end = doc.positionAt(st.span.end).line;
    if (end > st.line) out.push({ startLine: st.line, endLine: end });
  }
  return out;
}
