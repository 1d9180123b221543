// Completion inside a definition's doc comment: after `# @`, the members and
// features of the definition that the comment does not document yet; at the start
// of a line, the section tags the QEMU version in force accepts.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import { uriToPath } from '../../common/paths';
import { rulesFor } from '../check/rules';
import type { SchemaCheck } from '../model';
import { contains, schemaIndex } from './schemaIndex';

/** The completion for a doc comment line, or undefined when the cursor is not on one. */
export function docCompletion(check: SchemaCheck, doc: TextDocument, pos: Position): CompletionList | undefined {
  const before = doc.getText({ start: { line: pos.line, character: 0 }, end: pos });
  const entry = /^#\s@([\w-]*)$/.exec(before);
  const tag = /^#\s([A-Za-z]+)$/.exec(before);
  if (!entry && !tag) return undefined;
  const def = (schemaIndex(check).defsByFile.get(uriToPath(doc.uri)) ?? []).find((d) => d.doc && contains(d.doc.span.range, pos));
  if (!def?.doc) return undefined;
  const typedFrom = { line: pos.line, character: pos.character - (entry ?? tag)![1].length };
  const items: CompletionItem[] = [];
  if (entry) {
    const documented = (name: string) => def.doc!.members.has(name) || def.doc!.features.has(name);
    const features = [...def.features, ...def.members.flatMap((m) => m.features)];
    for (const m of def.members) if (!documented(m.name)) items.push({ label: m.name, kind: CompletionItemKind.Field, detail: `undocumented ${m.role}` });
    for (const f of new Set(features.map((x) => x.name)))
      if (!documented(f)) items.push({ label: f, kind: CompletionItemKind.Value, detail: 'undocumented feature' });
    for (const i of items) i.textEditText = `${i.label}: `;
  } else {
    const rules = rulesFor(check.rules);
    const command = def.kind === 'command';
    const hasFeatures = def.features.length > 0 || def.members.some((m) => m.features.length > 0);
    const tags = [
      ...(hasFeatures ? ['Features'] : []),
      ...(command ? ['Returns'] : []),
      ...(command && rules.errorsTag ? ['Errors'] : []),
      'Since',
      'TODO',
      ...(rules.rejectNoteExample ? [] : ['Note', 'Example']),
    ];
    const used = new Set(def.doc.sections.map((s) => s.tag));
    if (def.doc.features.size) used.add('Features');
    for (const t of tags) if (!used.has(t)) items.push({ label: `${t}:`, kind: CompletionItemKind.Keyword, detail: 'section' });
  }
  return { isIncomplete: false, itemDefaults: { editRange: { start: typedFrom, end: pos } }, items };
}
