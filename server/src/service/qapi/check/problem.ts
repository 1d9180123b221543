// One problem found by the checker, before it becomes an LSP diagnostic. It keeps
// two locations: `range` (what the editor underlines: the offending token when we
// know it) and QEMU's own (1-based line, column only for lexical/doc errors), which
// is what QEMU prints and what FirstError must match.
import type { Range } from 'vscode-languageserver-types';

export interface Problem {
  path: string;
  range: Range;
  code: string;
  message: string;
  /** 1-based line QEMU reports. */
  line: number;
  /** 1-based column QEMU reports (tabs to multiples of 8); only for errors QEMU gives a column. */
  column?: number;
  data?: Record<string, unknown>;
  related?: { path: string; range: Range; message: string }[];
}

/** Where a problem is: a node, a member's key (an entry), or a range. Ranges of nodes and keys are made only when a problem is reported. */
export type Where = { readonly range: Range } | { readonly keyRange: Range } | Range;

export function rangeOf(at: Where): Range {
  return 'start' in at ? at : 'keyRange' in at ? at.keyRange : at.range;
}

export function rangeAt(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** QEMU's column: 1-based, counting code points, a tab moves to the next multiple of 8. */
export function qemuColumn(text: string, lineStart: number, pos: number): number {
  let col = 1;
  for (let i = lineStart; i < pos; i++) {
    const c = text.charCodeAt(i);
    if (c === 9) col = ((col + 7) % 8) + 1;
    else if (c >= 0xdc00 && c <= 0xdfff && i > lineStart)
      continue; // low surrogate: same code point
    else col++;
  }
  return col;
}
