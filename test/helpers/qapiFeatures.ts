// Helpers for the QAPI editor-feature tests: a language over the fixture tree (disk,
// optionally overlaid with edited texts), documents with a caret marker, positions by text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { diskFiles, overlayFiles } from '../../server/src/service/common/files';
import { pathToUri } from '../../server/src/service/common/paths';
import { defaultSettings, type Settings } from '../../server/src/service/common/settings';
import { createQapiLanguage, type QapiLanguage } from '../../server/src/service/qapi/index';
import { caret } from './caret';
import { REPO } from './shared';

export const TREE = join(REPO, 'test', 'fixtures', 'qapi-features', 'tree');
export const MIGRATION = join(TREE, 'sub', 'migration.json');
export const COMMON = join(TREE, 'common.json');
export const settings: Settings = defaultSettings;

export { caret };

export function qapiDoc(path: string, text = readFileSync(path, 'utf8')): TextDocument {
  return TextDocument.create(pathToUri(path), 'qapi', 1, text);
}

/** A language whose files are the disk, with `edited` texts in place of the files they name. */
export function language(edited: Record<string, string> = {}): QapiLanguage {
  return createQapiLanguage(overlayFiles(new Map(Object.entries(edited)), diskFiles));
}

/** Position of the `nth` occurrence of `needle` in the document, moved `delta` characters in. */
export function positionOf(doc: TextDocument, needle: string, delta = 0, nth = 1): Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} (#${nth}) not in ${doc.uri}`);
  }
  return doc.positionAt(at + delta);
}

/** The language, document and caret position for `path` edited to `textWithCaret`. */
export function editedAt(path: string, textWithCaret: string): { lang: QapiLanguage; doc: TextDocument; pos: Position } {
  const { text, offset } = caret(textWithCaret);
  const doc = qapiDoc(path, text);
  return { lang: language({ [path]: text }), doc, pos: doc.positionAt(offset) };
}
