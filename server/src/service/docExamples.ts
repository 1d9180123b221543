// Stale examples in QAPI doc comments (`.. qmp-example::`, `Example:`) checked as
// QMP and reported beside QEMU's own checks. QEMU's generator does not check
// examples, so these are warnings: they never change the verdict or the first
// error QEMU would report. This is where QAPI and QMP meet, one level above both
// (service/qapi does not import service/qmp).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { checkDocExamples } from './qmp/docExamples';
import type { SchemaCheck } from './qapi/model';

const cache = new WeakMap<SchemaCheck, Map<string, Map<string, Diagnostic[]>>>();

/** The check's diagnostics plus example warnings, for one file (editing) or the whole tree (CLI). */
export function withDocExampleWarnings(check: SchemaCheck, onlyPath?: string): Map<string, Diagnostic[]> {
  let perScope = cache.get(check);
  if (!perScope) cache.set(check, (perScope = new Map()));
  const key = onlyPath ?? '';
  let merged = perScope.get(key);
  if (!merged) {
    merged = new Map(check.diagnostics);
    for (const [path, diags] of checkDocExamples(check, onlyPath)) {
      const warnings = diags.map((d) => ({ ...d, severity: DiagnosticSeverity.Warning }));
      merged.set(path, [...(merged.get(path) ?? []), ...warnings]);
    }
    perScope.set(key, merged);
  }
  return merged;
}
