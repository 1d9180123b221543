// "Preview convergence" above each command that changes what the simulator models.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';

const PREVIEWED = new Set(['migrate-set-parameters', 'migrate']);

export function codeLenses(a: Analysis, doc: TextDocument): CodeLens[] {
  const out: CodeLens[] = [];
  for (const st of a.script.statements) {
    if (st.direction !== 'client' || st.value.kind !== 'object') continue;
    const exec = st.value.entries.find((e) => e.key === 'execute');
    if (exec?.value.kind !== 'string' || !PREVIEWED.has(exec.value.value)) continue;
    const position = doc.positionAt(st.span.start);
    out.push({
      range: { start: position, end: position },
      command: { title: 'Preview convergence', command: 'qapi.openConvergencePreview', arguments: [doc.uri, position] },
    });
  }
  return out;
}
