import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, Position } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';
export function completion(_a: Analysis, _doc: TextDocument, _pos: Position): CompletionList { return { isIncomplete: false, items: [] }; }
