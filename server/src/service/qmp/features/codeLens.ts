import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';
export function codeLenses(_a: Analysis, _doc: TextDocument): CodeLens[] { return []; }
