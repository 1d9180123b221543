// Our checker's verdict on each line of a one-command-per-line QMP script, in the terms
// QEMU answers in (ok, or the error class), and the comparison with QEMU's answers.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { diskFiles } from '../../server/src/service/common/files';
import { pathToUri, uriToPath } from '../../server/src/service/common/paths';
import type { Settings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';
import { qemuErrorClass, type QmpCode } from '../../server/src/service/qmp/codes';
import type { CorpusEntry } from './corpus72';
import type { QmpReply } from './qmpProcess';

export interface LineVerdict {
  /** Classes of the error diagnostics on the line ('ok' alone when there are none). */
  classes: string[];
  hasWarning: boolean;
  /** The diagnostics' codes and messages, for the report. */
  said: string[];
}

/** Validates `script` (saved nowhere: an in-memory document at `path`) and groups diagnostics by line. */
export function checkerVerdicts(script: string, path: string, settings: Settings): { lines: LineVerdict[]; internalErrors: string[]; schemaSource: string } {
  const internalErrors: string[] = [];
  const ls = createLanguageService({ files: diskFiles, log: (m) => internalErrors.push(m) });
  const uri = pathToUri(path);
  const doc = TextDocument.create(uri, 'qmp', 1, script);
  const diags = ls.validate(doc, settings).get(uriToPath(uri)) ?? [];
  const lineCount = script.split('\n').length;
  const lines: LineVerdict[] = Array.from({ length: lineCount }, () => ({ classes: [], hasWarning: false, said: [] }));
  for (const d of diags) {
    const v = lines[Math.min(d.range.start.line, lineCount - 1)];
    v.said.push(`${d.code ?? '(no code)'}: ${d.message}`);
    if (d.severity === DiagnosticSeverity.Error) v.classes.push(errorClass(d));
    else if (d.severity === DiagnosticSeverity.Warning) v.hasWarning = true;
  }
  for (const v of lines) if (v.classes.length === 0) v.classes.push('ok');
  // The status line names the schema the checker really used (it falls back when one cannot be read).
  return { lines, internalErrors, schemaSource: ls.status(doc, settings)?.text ?? '' };
}

/** An error diagnostic in QEMU's terms: its error class, or `error without a QEMU class (code)`. */
function errorClass(d: Diagnostic): string {
  return qemuErrorClass(String(d.code) as QmpCode) ?? `error without a QEMU class (${d.code})`;
}

/**
 * Where we and QEMU disagree, one readable entry per command: QEMU's answer must be the
 * class of one of our errors on that line (ok: no error at all), and commands marked
 * `ours: 'warning'` need a warning there.
 */
export function disagreements(corpus: CorpusEntry[], lines: string[], answers: QmpReply[], ours: LineVerdict[]): string[] {
  const out: string[] = [];
  corpus.forEach((e, i) => {
    const a = answers[i];
    const qemu = a.kind === 'return' ? 'ok' : a.class;
    const v = ours[i];
    const agree = qemu === 'ok' ? v.classes[0] === 'ok' : v.classes.includes(qemu);
    const warned = e.ours !== 'warning' || v.hasWarning;
    if (agree && warned) return;
    const qemuText = a.kind === 'return' ? 'return' : `${a.class}: ${a.desc}`;
    const ourText = v.said.length ? v.said.join(' | ') : 'nothing';
    const why = agree ? 'QEMU accepts it but misbehaves, so we should warn' : e.note;
    out.push(`line ${i + 1}: ${lines[i]}\n    QEMU: ${qemuText}\n    ours: ${ourText}\n    (${why})`);
  });
  return out;
}
