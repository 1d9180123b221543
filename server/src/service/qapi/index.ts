// PLACEHOLDER (replaced by the QAPI editor-features work): the QAPI document language.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { Cancellation } from '../common/cancellation';
import type { FileAccess } from '../common/files';
import { uriToPath } from '../common/paths';
import type { Settings } from '../common/settings';
import type { DocumentLanguage } from '../language';
import type { MigrationInputs } from '../qmp/inputs';
import type { SchemaCheck } from './model';
import { QapiProject } from './project';

export interface QapiLanguage extends DocumentLanguage {
  readonly project: QapiProject;
  /** Checks the whole schema the file belongs to (from its root). */
  checkSchemaOf(path: string, settings: Settings, token?: Cancellation): SchemaCheck;
  migrationInputsAt(doc: TextDocument, pos: Position, settings: Settings): MigrationInputs | null;
}

export function createQapiLanguage(files: FileAccess): QapiLanguage {
  const project = new QapiProject(files);
  const checkSchemaOf = (path: string, settings: Settings, token?: Cancellation) =>
    project.check(project.rootFor(path, settings), settings, token);
  return {
    project,
    checkSchemaOf,
    validate: (doc, settings, token) => checkSchemaOf(uriToPath(doc.uri), settings, token).diagnostics,
    hover: () => null,
    completion: () => ({ isIncomplete: false, items: [] }),
    documentSymbols: () => [],
    definition: () => [],
    references: () => [],
    documentLinks: () => [],
    foldingRanges: () => [],
    codeActions: () => [],
    codeLenses: () => [],
    workspaceSymbols: () => [],
    status: (doc, settings) => {
      const c = checkSchemaOf(uriToPath(doc.uri), settings);
      return { text: `QEMU ${c.rules} rules`, detail: `rules chosen by ${c.version.source}` };
    },
    dependencies: (doc, settings) => checkSchemaOf(uriToPath(doc.uri), settings).model.files,
    migrationInputsAt: () => null,
  };
}
