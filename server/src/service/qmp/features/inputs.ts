import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';
import type { MigrationInputs } from '../inputs';
export function migrationInputsAt(_a: Analysis, _doc: TextDocument, _pos: Position): MigrationInputs | null { return null; }
