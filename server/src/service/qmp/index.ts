// The QMP script language: JSON streams, transcripts, qmp-shell and HMP lines,
// checked against the schema of the QEMU the script targets (see schema/select.ts).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type Position } from 'vscode-languageserver-types';
import type { FileAccess } from '../common/files';
import { uriToPath } from '../common/paths';
import type { Settings } from '../common/settings';
import type { DocumentLanguage } from '../language';
import type { QapiLanguage } from '../qapi/index';
import { createAnalyzer } from './analysis';
import { toDiagnostics } from './check/report';
import { QmpCode } from './codes';
import { codeActions } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completion } from './features/completion';
import { hover } from './features/hover';
import { migrationInputsAt } from './features/inputs';
import { documentSymbols, foldingRanges } from './features/outline';
import type { MigrationInputs } from './inputs';

export interface QmpLanguage extends DocumentLanguage {
  migrationInputsAt(doc: TextDocument, pos: Position, settings: Settings): MigrationInputs | null;
}

const SOURCE_NAMES = { introspection: 'introspection reply', qapi: 'QAPI sources', facts: 'shipped facts' };

export function createQmpLanguage(files: FileAccess, qapi: QapiLanguage): QmpLanguage {
  const analyze = createAnalyzer(files, qapi);
  return {
    validate(doc, settings) {
      const a = analyze(doc, settings, true);
      const at = (o: number) => doc.positionAt(o);
      const diags: Diagnostic[] = toDiagnostics(a.check.report.findings, at);
      for (const p of a.script.header.problems) {
        diags.push({
          range: { start: at(p.start), end: at(p.end) },
          severity: DiagnosticSeverity.Warning,
          code: QmpCode.header,
          source: 'qmp',
          message: p.message,
        });
      }
      for (const p of a.choice.problems) {
        diags.push({ range: { start: at(0), end: at(0) }, severity: DiagnosticSeverity.Warning, code: QmpCode.schemaSource, source: 'qmp', message: p });
      }
      return new Map([[uriToPath(doc.uri), diags]]);
    },
    hover: (doc, pos, settings) => hover(analyze(doc, settings), doc, pos),
    completion: (doc, pos, settings) => completion(analyze(doc, settings), doc, pos),
    documentSymbols: (doc, settings) => documentSymbols(analyze(doc, settings), doc, settings.maxItemsComputed),
    definition: () => [],
    references: () => [],
    documentLinks: () => [],
    foldingRanges: (doc, settings) => foldingRanges(analyze(doc, settings), doc, settings.maxItemsComputed),
    codeActions: (doc, range, context) => codeActions(doc, range, context),
    codeLenses: (doc, settings) => codeLenses(analyze(doc, settings), doc),
    workspaceSymbols: () => [],
    status(doc, settings) {
      const { choice } = analyze(doc, settings, true);
      return {
        text: `QMP: QEMU ${choice.version}, ${SOURCE_NAMES[choice.schema.source]}`,
        detail: `Schema: ${choice.schema.detail}. Target version from ${choice.versionSource}.${choice.problems.length ? ' ' + choice.problems.join('. ') : ''}`,
      };
    },
    dependencies: (doc, settings) => analyze(doc, settings, true).choice.dependencies,
    migrationInputsAt: (doc, pos, settings) => migrationInputsAt(analyze(doc, settings), doc, pos),
  };
}
