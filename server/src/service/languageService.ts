// The language service facade: one entry for the LSP server, the CLI and the tests.
// It picks the document language and turns any exception into an empty answer plus
// a logged error, so no document content can take the server down.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction, CodeLens, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover,
  Location, Position, SymbolInformation,
} from 'vscode-languageserver-types';
import { neverCancelled, type Cancellation } from './common/cancellation';
import type { FileAccess } from './common/files';
import type { Settings } from './common/settings';
import type { DocumentLanguage, LanguageId, LanguageStatus } from './language';
import { createQapiLanguage, type QapiLanguage } from './qapi/index';
import { createQmpLanguage, type QmpLanguage } from './qmp/index';
import type { MigrationInputs } from './qmp/inputs';
import { withDocExampleWarnings } from './docExamples';
import { uriToPath } from './common/paths';

export interface LanguageServiceOptions {
  files: FileAccess;
  /** Where unexpected internal errors go (the server's log, stderr for the CLI). */
  log?: (message: string) => void;
}

/** The per-language features, dispatched by the document's language, plus what spans both. */
export interface LanguageService extends Omit<DocumentLanguage, 'validate' | 'status'> {
  readonly qapi: QapiLanguage;
  readonly qmp: QmpLanguage;
  validate(doc: TextDocument, settings: Settings, token?: Cancellation): Map<string, Diagnostic[]>;
  /** null for a document of neither language. */
  status(doc: TextDocument, settings: Settings): LanguageStatus | null;
  /** Migration parameters, capabilities and workload in force at a position (convergence preview). */
  migrationInputsAt(doc: TextDocument, pos: Position, settings: Settings): MigrationInputs | null;
}

const emptyCompletion: CompletionList = { isIncomplete: false, items: [] };

export function createLanguageService(options: LanguageServiceOptions): LanguageService {
  const log = options.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const qapi = createQapiLanguage(options.files);
  const qmp = createQmpLanguage(options.files, qapi);

  const pick = (doc: TextDocument): DocumentLanguage | undefined =>
    doc.languageId === 'qapi' ? qapi : doc.languageId === 'qmp' ? qmp : undefined;

  function guard<T>(what: string, doc: TextDocument | undefined, fallback: T, f: () => T): T {
    try {
      return f();
    } catch (e) {
      log(`internal error in ${what}${doc ? ` for ${doc.uri}` : ''}: ${(e as Error)?.stack ?? e}`);
      return fallback;
    }
  }
  const per = <T>(what: string, fallback: T, f: (l: DocumentLanguage) => T) =>
    (doc: TextDocument): T => {
      const l = pick(doc);
      return l ? guard(what, doc, fallback, () => f(l)) : fallback;
    };

  return {
    qapi,
    qmp,
    validate: (doc, s, token = neverCancelled) => per('validate', new Map<string, Diagnostic[]>(), (l) => {
      if (l !== qapi) return l.validate(doc, s, token);
      // QAPI: QEMU's checks plus doc examples checked as QMP (composed here, above both languages).
      const check = qapi.checkSchemaOf(uriToPath(doc.uri), s, token);
      return token.isCancellationRequested ? check.diagnostics : withDocExampleWarnings(check, uriToPath(doc.uri));
    })(doc),
    hover: (doc, pos, s) => per<Hover | null>('hover', null, (l) => l.hover(doc, pos, s))(doc),
    completion: (doc, pos, s) => per('completion', emptyCompletion, (l) => l.completion(doc, pos, s))(doc),
    documentSymbols: (doc, s) => per<DocumentSymbol[]>('documentSymbols', [], (l) => l.documentSymbols(doc, s))(doc),
    definition: (doc, pos, s) => per<Location[]>('definition', [], (l) => l.definition(doc, pos, s))(doc),
    references: (doc, pos, s, decl) => per<Location[]>('references', [], (l) => l.references(doc, pos, s, decl))(doc),
    documentLinks: (doc, s) => per<DocumentLink[]>('documentLinks', [], (l) => l.documentLinks(doc, s))(doc),
    foldingRanges: (doc, s) => per<FoldingRange[]>('foldingRanges', [], (l) => l.foldingRanges(doc, s))(doc),
    codeActions: (doc, range, ctx, s) => per<CodeAction[]>('codeActions', [], (l) => l.codeActions(doc, range, ctx, s))(doc),
    codeLenses: (doc, s) => per<CodeLens[]>('codeLenses', [], (l) => l.codeLenses(doc, s))(doc),
    workspaceSymbols: (query, s) => guard<SymbolInformation[]>('workspaceSymbols', undefined, [], () => qapi.workspaceSymbols(query, s)),
    status: (doc, s) => per<LanguageStatus | null>('status', null, (l) => l.status(doc, s))(doc),
    dependencies: (doc, s) => per<string[]>('dependencies', [], (l) => l.dependencies(doc, s))(doc),
    migrationInputsAt: (doc, pos, s) =>
      guard<MigrationInputs | null>('migrationInputsAt', doc, null, () =>
        doc.languageId === 'qmp' ? qmp.migrationInputsAt(doc, pos, s)
        : doc.languageId === 'qapi' ? qapi.migrationInputsAt(doc, pos, s) : null),
  };
}

/** Which language a file is, for the CLI (the editor decides by languageId). */
export function languageOfPath(path: string, firstLine: string): LanguageId | undefined {
  if (path.endsWith('.qmp')) return 'qmp';
  if (!path.endsWith('.json')) return undefined;
  if (/^# -\*- Mode: Python -\*-/.test(firstLine)) return 'qapi';
  if (/(^|[\\/])qapi[\\/]|qapi-schema[^\\/]*\.json$|tests[\\/]qapi-schema[\\/]/.test(path)) return 'qapi';
  return undefined;
}
