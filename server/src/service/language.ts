// What each document language (QAPI schemas, QMP scripts) provides. Every method is
// a pure function of the documents and files it is given; none may throw for any
// document content (the facade still guards them).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeActionContext,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  SymbolInformation,
} from 'vscode-languageserver-types';
import type { Cancellation } from './common/cancellation';
import type { Settings } from './common/settings';

export type LanguageId = 'qapi' | 'qmp';

export interface LanguageStatus {
  /** e.g. "QEMU 10.2 rules (VERSION file)" */
  text: string;
  /** Longer explanation for the hover of the status item. */
  detail: string;
}

export interface DocumentLanguage {
  /** Diagnostics by file path: the document's own and those of files it pulls in. */
  validate(doc: TextDocument, settings: Settings, token: Cancellation): Map<string, Diagnostic[]>;
  hover(doc: TextDocument, pos: Position, settings: Settings): Hover | null;
  completion(doc: TextDocument, pos: Position, settings: Settings): CompletionList;
  documentSymbols(doc: TextDocument, settings: Settings): DocumentSymbol[];
  definition(doc: TextDocument, pos: Position, settings: Settings): Location[];
  references(doc: TextDocument, pos: Position, settings: Settings, includeDeclaration: boolean): Location[];
  documentLinks(doc: TextDocument, settings: Settings): DocumentLink[];
  foldingRanges(doc: TextDocument, settings: Settings): FoldingRange[];
  codeActions(doc: TextDocument, range: Range, context: CodeActionContext, settings: Settings): CodeAction[];
  codeLenses(doc: TextDocument, settings: Settings): CodeLens[];
  workspaceSymbols(query: string, settings: Settings): SymbolInformation[];
  status(doc: TextDocument, settings: Settings): LanguageStatus;
  /** Paths whose change must re-validate this document (includes, schema root, introspection file). */
  dependencies(doc: TextDocument, settings: Settings): string[];
}
