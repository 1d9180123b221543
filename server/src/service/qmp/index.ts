// PLACEHOLDER (replaced by the QMP scripts work): the QMP script language.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { FileAccess } from '../common/files';
import { uriToPath } from '../common/paths';
import type { Settings } from '../common/settings';
import type { DocumentLanguage } from '../language';
import type { QapiLanguage } from '../qapi/index';
import type { MigrationInputs } from './inputs';

export interface QmpLanguage extends DocumentLanguage {
  migrationInputsAt(doc: TextDocument, pos: Position, settings: Settings): MigrationInputs | null;
}

export function createQmpLanguage(_files: FileAccess, _qapi: QapiLanguage): QmpLanguage {
  return {
    validate: (doc) => new Map([[uriToPath(doc.uri), []]]),
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
    status: () => ({ text: 'QMP', detail: 'schema: shipped facts' }),
    dependencies: () => [],
    migrationInputsAt: () => null,
  };
}
