import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';
export function hover(_a: Analysis, _doc: TextDocument, _pos: Position): Hover | null { return null; }
