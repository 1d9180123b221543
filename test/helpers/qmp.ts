// Shared set-up of the QMP tests: a language service over memory files (or disk),
// documents with a caret marker, and short ways to validate a script and look at its diagnostics.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position } from 'vscode-languageserver-types';
import { diskFiles, memoryFiles, type FileAccess } from '../../server/src/service/common/files';
import type { Settings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';
import { caret } from './caret';

export const URI = 'file:///work/scripts/test.qmp';

export function settings(over: Partial<Settings> = {}): Settings {
  return { qemuVersion: '10.2', schemaRoot: '', introspectionFile: '', maxItemsComputed: 5000, ...over };
}

export function service(files: FileAccess = memoryFiles({})) {
  return createLanguageService({
    files,
    log: (m) => {
      throw new Error(m);
    },
  });
}

export const disk = () => service(diskFiles);

let version = 0;
export function doc(text: string): TextDocument {
  return TextDocument.create(URI, 'qmp', ++version, text);
}

/** The document and the caret's position for a script written with one `|` (removed). */
export function at(textWithCaret: string): { d: TextDocument; pos: Position } {
  const { text, offset } = caret(textWithCaret);
  const d = doc(text);
  return { d, pos: d.positionAt(offset) };
}

export function validate(text: string, s: Partial<Settings> = {}, svc = service()): Diagnostic[] {
  return [...svc.validate(doc(text), settings(s)).values()].flat();
}

/** "line:code" (1-based line) of each diagnostic, for compact assertions. */
export function codes(diags: Diagnostic[], severity?: number): string[] {
  return diags.filter((d) => severity === undefined || d.severity === severity).map((d) => `${d.range.start.line + 1}:${d.code}`);
}

/** The text a diagnostic's range covers. */
export function covered(text: string, d: Diagnostic): string {
  const t = TextDocument.create(URI, 'qmp', 0, text);
  return t.getText(d.range);
}
