// The language service facade: one entry for the LSP server, the CLI and the tests.
// It picks the document language and turns any exception into an empty answer plus
// a logged error, so no document content can take the server down.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  SymbolInformation,
} from 'vscode-languageserver-types';
import { neverCancelled, type Cancellation } from './common/cancellation';
import type { FileAccess } from './common/files';
import { uriToPath } from './common/paths';
import type { Settings } from './common/settings';
import type { DocumentLanguage, LanguageId, LanguageStatus } from './language';
import { createQapiLanguage, type QapiLanguage } from './qapi/index';
import { createQmpLanguage, type QmpLanguage } from './qmp/index';
import type { MigrationInputs } from './qmp/inputs';
import { withDocExampleWarnings } from './docExamples';
import { createCSource, type CSource, type CSourceOptions } from './csource/index';
import { treeAccess, type TreeAccess } from './csource/qemuTree';
import type { SchemaCheck } from './qapi/model';

export interface LanguageServiceOptions {
  files: FileAccess;
  /** Where unexpected internal errors go (the server's log, stderr for the CLI). */
  log?: (message: string) => void;
  /** Folder listing for the C side (default: the disk). */
  list?: TreeAccess['list'];
  /** How the C index is built (the server: in slices off the request path). */
  cSource?: CSourceOptions;
}

/** The per-language features, dispatched by the document's language, plus what spans both. */
export interface LanguageService extends Omit<DocumentLanguage, 'validate' | 'status'> {
  readonly qapi: QapiLanguage;
  readonly qmp: QmpLanguage;
  /** The QAPI/C edge in QEMU trees (also answers `c` documents). */
  readonly cSource: CSource;
  /** A schema check's diagnostics plus the C wiring warnings where the schema is in a QEMU tree with C sources. */
  withWiring(check: SchemaCheck, path: string, diagnostics: Map<string, Diagnostic[]>): Map<string, Diagnostic[]>;
  /**
   * `docExamples: false` leaves out the doc-example warnings of a QAPI file: the server's
   * first publish for a newly opened file does not wait for them (they follow at once).
   */
  validate(doc: TextDocument, settings: Settings, token?: Cancellation, options?: { docExamples?: boolean }): Map<string, Diagnostic[]>;
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
  const access = treeAccess(options.files);
  const cSource = createCSource(qapi, options.list ? { ...access, list: options.list } : access, options.cSource);

  const pick = (doc: TextDocument): DocumentLanguage | undefined => (doc.languageId === 'qapi' ? qapi : doc.languageId === 'qmp' ? qmp : undefined);

  function guard<T>(what: string, doc: TextDocument | undefined, fallback: T, f: () => T): T {
    try {
      return f();
    } catch (e) {
      log(`internal error in ${what}${doc ? ` for ${doc.uri}` : ''}: ${(e as Error)?.stack ?? e}`);
      return fallback;
    }
  }
  const per =
    <T>(what: string, fallback: T, f: (l: DocumentLanguage) => T) =>
    (doc: TextDocument): T => {
      const l = pick(doc);
      return l ? guard(what, doc, fallback, () => f(l)) : fallback;
    };

  // ---- the QAPI/C edge: schema answers extended with C, and `c` documents in QEMU trees ----
  const wiring = (check: SchemaCheck, path: string) => guard('wiring check', undefined, null, () => cSource.wiring(check, path));
  function withWiring(check: SchemaCheck, path: string, diagnostics: Map<string, Diagnostic[]>) {
    const w = wiring(check, path);
    if (!w || !w.diagnostics.size) return diagnostics;
    const merged = new Map(diagnostics);
    for (const [p, d] of w.diagnostics) merged.set(p, [...(merged.get(p) ?? []), ...d]);
    return merged;
  }
  const qapiCheck = (doc: TextDocument, s: Settings) => qapi.checkSchemaOf(uriToPath(doc.uri), s);
  const edge = <T>(what: string, doc: TextDocument, fallback: T, f: () => T): T =>
    doc.languageId === 'qapi' || doc.languageId === 'c' ? guard(what, doc, fallback, f) : fallback;
  function hover(doc: TextDocument, pos: Position, s: Settings): Hover | null {
    if (doc.languageId === 'c') return edge('hover', doc, null, () => cSource.hover(doc, pos, s));
    const h = per<Hover | null>('hover', null, (l) => l.hover(doc, pos, s))(doc);
    const extra = edge('hover', doc, undefined, () => cSource.qapiHover(qapiCheck(doc, s), uriToPath(doc.uri), pos));
    if (!h || !extra || typeof h.contents !== 'object' || !('kind' in h.contents)) return h;
    return { ...h, contents: { kind: 'markdown', value: `${h.contents.value}\n\n${extra}` } };
  }

  return {
    qapi,
    qmp,
    cSource,
    withWiring,
    validate: (doc, s, token = neverCancelled, options = {}) => {
      const v = per('validate', new Map<string, Diagnostic[]>(), (l) => l.validate(doc, s, token))(doc);
      if (doc.languageId !== 'qapi' || token.isCancellationRequested) return v;
      // QAPI: QEMU's checks plus doc examples checked as QMP (composed here, above both languages), plus the C wiring.
      const check = qapiCheck(doc, s);
      const path = uriToPath(doc.uri);
      return withWiring(check, path, options.docExamples === false ? v : guard('docExamples', doc, v, () => withDocExampleWarnings(check, path)));
    },
    hover,
    completion: (doc, pos, s) => per('completion', emptyCompletion, (l) => l.completion(doc, pos, s))(doc),
    documentSymbols: (doc, s) => per<DocumentSymbol[]>('documentSymbols', [], (l) => l.documentSymbols(doc, s))(doc),
    definition: (doc, pos, s) =>
      doc.languageId === 'c'
        ? edge<Location[]>('definition', doc, [], () => cSource.definition(doc, pos, s))
        : [
            ...per<Location[]>('definition', [], (l) => l.definition(doc, pos, s))(doc),
            ...edge<Location[]>('definition', doc, [], () => cSource.qapiDefinition(qapiCheck(doc, s), uriToPath(doc.uri), pos)),
          ],
    references: (doc, pos, s, decl) => [
      ...per<Location[]>('references', [], (l) => l.references(doc, pos, s, decl))(doc),
      ...edge<Location[]>('references', doc, [], () => (doc.languageId === 'qapi' ? cSource.qapiReferences(qapiCheck(doc, s), uriToPath(doc.uri), pos) : [])),
    ],
    documentLinks: (doc, s) => per<DocumentLink[]>('documentLinks', [], (l) => l.documentLinks(doc, s))(doc),
    foldingRanges: (doc, s) => per<FoldingRange[]>('foldingRanges', [], (l) => l.foldingRanges(doc, s))(doc),
    codeActions: (doc, range, ctx, s) => per<CodeAction[]>('codeActions', [], (l) => l.codeActions(doc, range, ctx, s))(doc),
    codeLenses: (doc, s) => per<CodeLens[]>('codeLenses', [], (l) => l.codeLenses(doc, s))(doc),
    workspaceSymbols: (query, s) => guard<SymbolInformation[]>('workspaceSymbols', undefined, [], () => qapi.workspaceSymbols(query, s)),
    status: (doc, s) => per<LanguageStatus | null>('status', null, (l) => l.status(doc, s))(doc),
    dependencies: (doc, s) =>
      doc.languageId === 'c'
        ? edge<string[]>('dependencies', doc, [], () => cSource.dependencies(doc, s))
        : [
            ...per<string[]>('dependencies', [], (l) => l.dependencies(doc, s))(doc),
            ...(doc.languageId === 'qapi' ? (wiring(qapiCheck(doc, s), uriToPath(doc.uri))?.files ?? []) : []),
          ],
    migrationInputsAt: (doc, pos, s) =>
      guard<MigrationInputs | null>('migrationInputsAt', doc, null, () =>
        doc.languageId === 'qmp' ? qmp.migrationInputsAt(doc, pos, s) : doc.languageId === 'qapi' ? qapi.migrationInputsAt(doc, pos, s) : null,
      ),
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
