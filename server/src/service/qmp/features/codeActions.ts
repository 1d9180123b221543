import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Range } from 'vscode-languageserver-types';
export function codeActions(_doc: TextDocument, _r: Range, _c: CodeActionContext): CodeAction[] { return []; }
