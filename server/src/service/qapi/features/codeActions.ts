// Quick fixes where the fix is unambiguous: a misspelled type name becomes the
// defined one the checker suggests; a member (or feature) missing from the doc
// comment gets an `# @name: TODO` line in the right place among the documented ones.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type CodeActionContext, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import { uriToPath } from '../../common/paths';
import type { Definition, SchemaCheck } from '../model';
import { contains, schemaIndex } from './schemaIndex';

const overlaps = (a: Range, b: Range) =>
  !(
    a.end.line < b.start.line ||
    (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line ||
    (b.end.line === a.start.line && b.end.character < a.start.character)
  );

export function codeActions(check: SchemaCheck, doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (!overlaps(d.range, range)) continue;
    // The checker's data: suggestions on unknown-type, missingMember/missingFeature on doc-missing-*.
    const data = (d.data ?? {}) as { suggestions?: unknown; missingMember?: unknown; missingFeature?: unknown };
    if (d.code === 'unknown-type' && Array.isArray(data.suggestions)) {
      out.push(
        ...renameFixes(
          doc,
          d,
          data.suggestions.filter((s) => typeof s === 'string'),
        ),
      );
    }
    const missing = d.code === 'doc-missing-member' ? data.missingMember : d.code === 'doc-missing-feature' ? data.missingFeature : undefined;
    if (typeof missing === 'string') {
      const fix = documentFix(check, doc, d, missing, d.code === 'doc-missing-feature');
      if (fix) out.push(fix);
    }
  }
  return out;
}

function renameFixes(doc: TextDocument, d: Diagnostic, suggestions: string[]): CodeAction[] {
  // The diagnostic covers the type string, possibly inside brackets: keep quotes and brackets.
  const written = doc.getText(d.range);
  const m = /^(\[?\s*')([^']*)('\s*\]?)$/.exec(written);
  return suggestions.map((s) => ({
    title: `Change to '${s}'`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: suggestions.length === 1,
    edit: { changes: { [doc.uri]: [{ range: d.range, newText: m ? m[1] + s + m[3] : s }] } },
  }));
}

function documentFix(check: SchemaCheck, doc: TextDocument, d: Diagnostic, name: string, feature: boolean): CodeAction | undefined {
  const def = definitionAround(check, doc, d.range);
  if (!def?.doc) return undefined;
  const lines = blockLines(doc, def);
  const edit = feature ? insertFeatureDoc(lines, name) : insertMemberDoc(lines, def, name);
  return (
    edit && {
      title: `Document ${feature ? 'feature' : 'member'} '${name}' (adds '# @${name}: TODO')`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [doc.uri]: [edit] } },
    }
  );
}

function definitionAround(check: SchemaCheck, doc: TextDocument, r: Range): Definition | undefined {
  return (schemaIndex(check).defsByFile.get(uriToPath(doc.uri)) ?? []).find(
    (def) => contains(def.span.range, r.start) || (def.doc && contains(def.doc.span.range, r.start)),
  );
}

/** The doc block's lines with the document line number of the first. */
interface Block {
  first: number;
  lines: string[];
}

function blockLines(doc: TextDocument, def: Definition): Block {
  const r = def.doc!.span.range;
  const lines: string[] = [];
  for (let l = r.start.line; l <= r.end.line; l++) {
    lines.push(doc.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }).replace(/\r?\n$/, ''));
  }
  return { first: r.start.line, lines };
}

const SECTION = /^# (Returns|Errors|Since|TODO|Notes?|Examples?):/;

const insertAt = (b: Block, i: number, newText: string): TextEdit => {
  const at = { line: b.first + i, character: 0 };
  return { range: { start: at, end: at }, newText };
};

/** Index of the last line of the `# @name:` entry starting at `i` (its indented continuation lines). */
function entryEnd(b: Block, i: number): number {
  let last = i;
  while (last + 1 < b.lines.length && /^#\s{2,}\S/.test(b.lines[last + 1])) last++;
  return last;
}

/**
 * Members are documented in definition order: the new entry goes after the nearest
 * documented member before it, else before the nearest one after it, else before
 * `Features:` or the first section tag, else before the closing `##`.
 */
function insertMemberDoc(b: Block, def: Definition, member: string): TextEdit | undefined {
  const entry = (name: string) => b.lines.findIndex((t) => t.startsWith(`# @${name}:`));
  const names = def.members.map((m) => m.name);
  const idx = names.includes(member) ? names.indexOf(member) : names.length;
  for (let i = idx - 1; i >= 0; i--) {
    const e = entry(names[i]);
    if (e > 0) return insertAt(b, entryEnd(b, e) + 1, `#\n# @${member}: TODO\n`);
  }
  for (let i = idx + 1; i < names.length; i++) {
    const e = entry(names[i]);
    if (e > 0) return insertAt(b, e, `# @${member}: TODO\n#\n`);
  }
  const next = b.lines.findIndex((t, i) => i > 1 && (t.startsWith('# Features:') || SECTION.test(t)));
  if (next > 0) return insertAt(b, next, `# @${member}: TODO\n#\n`);
  return beforeClose(b, `#\n# @${member}: TODO\n`);
}

/** After the last entry of the `Features:` section, or a new section before the first tag. */
function insertFeatureDoc(b: Block, feature: string): TextEdit | undefined {
  const start = b.lines.findIndex((t) => t.startsWith('# Features:'));
  if (start > 0) {
    let last = start;
    for (let i = start + 1; i < b.lines.length && !SECTION.test(b.lines[i]); i++) {
      if (b.lines[i].startsWith('# @')) last = entryEnd(b, i);
    }
    return insertAt(b, last + 1, `#\n# @${feature}: TODO\n`);
  }
  const next = b.lines.findIndex((t, i) => i > 1 && SECTION.test(t));
  if (next > 0) return insertAt(b, next, `# Features:\n#\n# @${feature}: TODO\n#\n`);
  return beforeClose(b, `#\n# Features:\n#\n# @${feature}: TODO\n`);
}

function beforeClose(b: Block, newText: string): TextEdit | undefined {
  const close = b.lines.length - 1;
  return close > 0 && b.lines[close].trim() === '##' ? insertAt(b, close, newText) : undefined;
}
