// Caret markers: a test writes the text with one `|` where the cursor is.
// Shared by the QAPI and the QMP feature tests.

/** `text` with one `|` marking the caret: the text without it and the caret's offset. */
export function caret(text: string): { text: string; offset: number } {
  const offset = text.indexOf('|');
  if (offset < 0 || text.indexOf('|', offset + 1) >= 0) throw new Error('exactly one | caret expected');
  return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}
