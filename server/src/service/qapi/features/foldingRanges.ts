// Folding of `##` doc blocks and of multi-line objects and arrays, read from the
// text (so it works while the file does not parse). At most `maxItems` ranges.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import { scanTokens } from './lexer';

export function foldingRanges(doc: TextDocument, maxItems: number): FoldingRange[] {
  const text = doc.getText();
  const out: FoldingRange[] = [];
  const open: number[] = [];
  let docStart = -1;
  let lastCommentLine = -1;
  const closeDoc = (endLine: number) => {
    if (docStart >= 0 && endLine > docStart) out.push({ startLine: docStart, endLine, kind: FoldingRangeKind.Comment });
    docStart = -1;
  };
  scanTokens(text, 0, (t) => {
    if (out.length >= maxItems) return false;
    const line = doc.positionAt(t.start).line;
    if (t.kind === 'comment') {
      const lineStart = text.lastIndexOf('\n', t.start - 1) + 1;
      const isMarker = t.value.trimEnd() === '##' && /^[ \t]*$/.test(text.slice(lineStart, t.start));
      if (docStart >= 0 && line !== lastCommentLine + 1) closeDoc(lastCommentLine);
      if (isMarker) {
        if (docStart >= 0) closeDoc(line);
        else docStart = line;
      }
      lastCommentLine = line;
      return;
    }
    if (docStart >= 0) closeDoc(lastCommentLine);
    if (t.kind !== 'punct') return;
    if (t.value === '{' || t.value === '[') open.push(line);
    else if ((t.value === '}' || t.value === ']') && open.length) {
      const start = open.pop()!;
      if (line > start) out.push({ startLine: start, endLine: line, kind: FoldingRangeKind.Region });
    }
  });
  if (docStart >= 0 && out.length < maxItems) closeDoc(lastCommentLine);
  return out.slice(0, maxItems);
}
