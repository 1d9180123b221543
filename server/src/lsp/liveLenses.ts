// "▶ Send" code lenses above each command of a QMP script, only while a QEMU is connected
// (the live session lives in the LSP layer; the language service stays free of it). Each
// lens runs the client's QEMU: Run QMP Script on that one line, so the confirmations are
// the same: anything but query-* asks first, a command the checker refuses needs an insist.
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseScript } from '../service/qmp/script/parse';
import type { LiveSession } from './liveRequests';

export const SEND_COMMAND = 'qapi.runScript';

export function liveLenses(doc: TextDocument, live: LiveSession): CodeLens[] {
  if (!live.conn || live.conn.closed || doc.languageId !== 'qmp') return [];
  const lenses: CodeLens[] = [];
  for (const st of parseScript(doc.getText()).statements) {
    // `<-` lines are expected replies: nothing to send.
    if (st.direction !== 'client') continue;
    const range = { start: { line: st.line, character: 0 }, end: { line: st.line, character: 0 } };
    lenses.push({
      range,
      command: { title: '▶ Send', tooltip: `Send this command to ${live.conn.label}`, command: SEND_COMMAND, arguments: [doc.uri, st.line] },
    });
  }
  return lenses;
}
