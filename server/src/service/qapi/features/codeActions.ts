// Quick fixes where the fix is unambiguous: a misspelled type name becomes the
// defined one the checker suggests, and a member missing from the doc comment gets
// an `# @name: TODO` line in the right place among the documented members.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind, type CodeAction, type CodeActionContext, type Diagnostic, type Range, type TextEdit,
} from 'vscode-languageserver-types';
import { uriToPath } from '../../common/paths';
import type { Definition, SchemaCheck } from '../model';
import { contains, schemaIndex } from './schemaIndex';

/** Checker codes of "member not documented" diagnostics (the member's name is in data.member). */
const UNDOCUMENTED = new Set(['doc-member-undocumented', 'undocumented-member']);

const overlaps = (a: Range, b: Range) =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character)
    || b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

export function codeActions(check: SchemaCheck, doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (!overlaps(d.range, range)) continue;
    const data = (d.data ?? {}) as { suggestions?: unknown; member?: unknown };
    if (Array.isArray(data.suggestions)) out.push(...renameFixes(doc, d, data.suggestions.filter((s) => typeof s === 'string')));
    if (typeof d.code === 'string' && UNDOCUMENTED.has(d.code) && typeof data.member === 'string') {
      const fix = documentMemberFix(check, doc, d, data.member);
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

function documentMemberFix(check: SchemaCheck, doc: TextDocument, d: Diagnostic, member: string): CodeAction | undefined {
  const def = definitionAround(check, doc, d.range);
  if (!def?.doc) return undefined;
  const edit = insertMemberDoc(doc, def, member);
  return edit && {
    title: `Document '${member}' (adds '# @${member}: TODO')`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    edit: { changes: { [doc.uri]: [edit] } },
  };
}

function definitionAround(check: SchemaCheck, doc: TextDocument, r: Range): Definition | undefined {
  return (schemaIndex(check).defsByFile.get(uriToPath(doc.uri)) ?? []).find((def) =>
    contains(def.span.range, r.start) || (def.doc && contains(def.doc.span.range, r.start)));
}

/**
 * Where `# @member: TODO` goes: after the text of the nearest documented member before it
 * (members are documented in definition order), else before the nearest documented one
 * after it, else before the first section tag or the closing `##`.
 */
function insertMemberDoc(doc: TextDocument, def: Definition, member: string): TextEdit | undefined {
  const block = def.doc!.span.range;
  const lines: string[] = [];
  for (let l = block.start.line; l <= block.end.line; l++) {
    lines.push(doc.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }).replace(/\r?\n$/, ''));
  }
  const entryLine = (name: string) => lines.findIndex((t) => t.startsWith(`# @${name}:`));
  const names = def.members.map((m) => m.name);
  const at = (i: number) => ({ line: block.start.line + i, character: 0 });
  const idx = names.indexOf(member);
  for (let i = idx - 1; i >= 0; i--) {
    const e = entryLine(names[i]);
    if (e <= 0) continue;
    let last = e;
    while (last + 1 < lines.length && /^#\s{2,}\S/.test(lines[last + 1])) last++;
    return { range: { start: at(last + 1), end: at(last + 1) }, newText: `#\n# @${member}: TODO\n` };
  }
  for (let i = idx + 1; i < names.length; i++) {
    const e = entryLine(names[i]);
    if (e > 0) return { range: { start: at(e), end: at(e) }, newText: `# @${member}: TODO\n#\n` };
  }
  const section = lines.findIndex((t, i) => i > 1 && /^# (Features|Returns|Errors|Since|TODO|Notes?|Examples?):/.test(t));
  if (section > 0) return { range: { start: at(section), end: at(section) }, newText: `# @${member}: TODO\n#\n` };
  const close = lines.length - 1;
  if (close <= 0 || lines[close].trim() !== '##') return undefined;
  return { range: { start: at(close), end: at(close) }, newText: `#\n# @${member}: TODO\n` };
}
