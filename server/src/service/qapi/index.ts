// The QAPI document language: every request answers from the check of the whole
// schema the file belongs to (remembered while its files are unchanged), through
// the per-check indexes in features/.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { Cancellation } from '../common/cancellation';
import type { FileAccess } from '../common/files';
import { uriToPath } from '../common/paths';
import type { Settings } from '../common/settings';
import type { DocumentLanguage } from '../language';
import { CheckCache } from './features/checkCache';
import { codeActions } from './features/codeActions';
import { completion } from './features/completion';
import { documentLinks } from './features/documentLinks';
import { documentSymbols } from './features/documentSymbols';
import { foldingRanges } from './features/foldingRanges';
import { hover } from './features/hover';
import { migrationInputsAt, type ParameterAt } from './features/migrationInputs';
import { definition, references } from './features/navigation';
import { status } from './features/status';
import { workspaceSymbols } from './features/workspaceSymbols';
import type { SchemaCheck } from './model';
import { QapiProject } from './project';

export interface QapiLanguage extends DocumentLanguage {
  readonly project: QapiProject;
  /** Checks the whole schema the file belongs to (from its root). */
  checkSchemaOf(path: string, settings: Settings, token?: Cancellation): SchemaCheck;
  /** The migration parameter under the cursor, as the convergence preview's inputs. */
  migrationInputsAt(doc: TextDocument, pos: Position, settings: Settings): ParameterAt | null;
}

export function createQapiLanguage(files: FileAccess): QapiLanguage {
  const project = new QapiProject(files);
  const cache = new CheckCache(project, files);
  const checkSchemaOf = (path: string, settings: Settings, token?: Cancellation) => cache.check(path, settings, token);
  const withCheck = <T>(doc: TextDocument, settings: Settings, f: (check: SchemaCheck, path: string) => T): T => {
    const path = uriToPath(doc.uri);
    return f(cache.forDocument(path, doc.getText(), settings), path);
  };
  return {
    project,
    checkSchemaOf,
    // QEMU's checks only; languageService adds the doc-example warnings (they need QMP).
    validate: (doc, settings, token) => checkSchemaOf(uriToPath(doc.uri), settings, token).diagnostics,
    hover: (doc, pos, settings) => withCheck(doc, settings, (c, path) => hover(c, path, pos)),
    completion: (doc, pos, settings) => withCheck(doc, settings, (c) => completion(c, doc, pos)),
    documentSymbols: (doc, settings) => withCheck(doc, settings, (c, path) => documentSymbols(c, path, settings.maxItemsComputed)),
    definition: (doc, pos, settings) => withCheck(doc, settings, (c, path) => definition(c, path, pos)),
    references: (doc, pos, settings, decl) => withCheck(doc, settings, (c, path) => references(c, path, pos, decl)),
    documentLinks: (doc, settings) => withCheck(doc, settings, (c, path) => documentLinks(c, path)),
    foldingRanges: (doc, settings) => foldingRanges(doc, settings.maxItemsComputed),
    codeActions: (doc, range, context, settings) => withCheck(doc, settings, (c) => codeActions(c, doc, range, context)),
    codeLenses: () => [],
    workspaceSymbols: (query, settings) => {
      if (settings.schemaRoot) checkSchemaOf(settings.schemaRoot, settings);
      return workspaceSymbols(cache.recent(), query, settings.maxItemsComputed);
    },
    status: (doc, settings) => withCheck(doc, settings, (c) => status(c)),
    dependencies: (doc, settings) => withCheck(doc, settings, (c) => c.model.files),
    migrationInputsAt: (doc, pos, settings) => withCheck(doc, settings, (c, path) => migrationInputsAt(c, path, pos)),
  };
}
