// Completion: the keys valid where the cursor is (by definition kind and nesting),
// type names (built-in and defined anywhere in the include tree), feature names,
// enum values for a union's branch keys, `if` macros used in the schema, booleans.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind, CompletionItemTag, type CompletionItem, type CompletionList, type Position, type Range,
} from 'vscode-languageserver-types';
import { rulesFor } from '../check/rules';
import { BUILTIN_TYPES, type DefKind, type Definition, type SchemaCheck } from '../model';
import { cursorContext, type CursorContext } from './cursorContext';
import { describeBuiltin, describeDefinition } from './describe';
import { allMembers, schemaIndex } from './schemaIndex';

const DEFINITION_KEYS = ['enum', 'struct', 'union', 'alternate', 'command', 'event', 'include', 'pragma'];

const KEYS_OF: Record<DefKind, string[]> = {
  enum: ['data', 'prefix', 'if', 'features'],
  struct: ['data', 'base', 'if', 'features'],
  union: ['base', 'discriminator', 'data', 'if', 'features'],
  alternate: ['data', 'if', 'features'],
  command: ['data', 'returns', 'boxed', 'gen', 'success-response', 'allow-oob', 'allow-preconfig', 'coroutine', 'if', 'features'],
  event: ['data', 'boxed', 'if', 'features'],
};

/** Keys whose only sensible value is a boolean literal (gen and success-response may only be false). */
const BOOLEAN_KEYS: Record<string, string[]> = {
  boxed: ['true'], 'allow-oob': ['true'], 'allow-preconfig': ['true'], coroutine: ['true'],
  gen: ['false'], 'success-response': ['false'], 'doc-required': ['true', 'false'],
};

const TYPE_KIND: Record<string, CompletionItemKind> = {
  struct: CompletionItemKind.Struct, enum: CompletionItemKind.Enum,
  union: CompletionItemKind.Class, alternate: CompletionItemKind.Interface,
};

interface TypeItem { item: CompletionItem; kind: DefKind | 'builtin' }
const typeCache = new WeakMap<SchemaCheck, TypeItem[]>();

/** Completion items of every type name, built once per check. */
function typeItems(check: SchemaCheck): TypeItem[] {
  let items = typeCache.get(check);
  if (items) return items;
  items = BUILTIN_TYPES.map((name) => ({
    kind: 'builtin' as const,
    item: { label: name, kind: CompletionItemKind.TypeParameter, detail: 'built-in type', documentation: { kind: 'markdown' as const, value: describeBuiltin(name) } },
  }));
  for (const def of check.model.definitions) {
    if (!(def.kind in TYPE_KIND) || def.name.endsWith('List')) continue;
    items.push({
      kind: def.kind,
      item: {
        label: def.name, kind: TYPE_KIND[def.kind], detail: def.kind + (def.doc?.since ? ` (since ${def.doc.since})` : ''),
        documentation: { kind: 'markdown', value: describeDefinition(def) },
        tags: def.features.some((f) => f.name === 'deprecated') ? [CompletionItemTag.Deprecated] : undefined,
      },
    });
  }
  typeCache.set(check, items);
  return items;
}

const plain = (labels: Iterable<string>, kind: CompletionItemKind, detail?: string): CompletionItem[] =>
  [...labels].map((label) => ({ label, kind, detail }));

/** Index in `path` of an `if` whose condition holds the slot (`all`/`any`/`not` nest inside). */
function inCondition(path: string[]): boolean {
  const i = path.lastIndexOf('if');
  return i >= 0 && path.slice(i + 1).every((s) => s === 'all' || s === 'any' || s === 'not' || s === '[]');
}

function keyItems(check: SchemaCheck, ctx: CursorContext, kind: DefKind | undefined): CompletionItem[] {
  const p = ctx.path;
  const keys = (names: string[]) => plain(names.filter((k) => !ctx.siblings.includes(k)), CompletionItemKind.Property);
  if (inCondition(p)) return keys(['all', 'any', 'not']);
  if (p.length === 0) {
    if (!kind) return plain(DEFINITION_KEYS, CompletionItemKind.Keyword, 'starts a definition');
    return keys(KEYS_OF[kind] ?? []);
  }
  if (p.length === 1 && p[0] === 'pragma') {
    const names = ['doc-required', 'command-name-exceptions', 'command-returns-exceptions', 'member-name-exceptions'];
    if (rulesFor(check.rules).documentationExceptions) names.push('documentation-exceptions');
    return keys(names);
  }
  if (p[p.length - 2] === 'features' && p[p.length - 1] === '[]') return keys(['name', 'if']);
  if (p.length === 1 && p[0] === 'data' && kind === 'union') {
    return plain(branchNames(check, ctx).filter((b) => !ctx.siblings.includes(b)), CompletionItemKind.EnumMember, 'discriminator value');
  }
  if (p.length === 2 && p[0] === 'data') {
    if (kind === 'enum' && p[1] === '[]') return keys(['name', 'if', 'features']);
    if (kind === 'union' || kind === 'alternate') return keys(['type', 'if']);
    if (kind) return keys(['type', 'if', 'features']);
  }
  return [];
}

function valueItems(check: SchemaCheck, ctx: CursorContext, kind: DefKind | undefined): CompletionItem[] {
  const p = ctx.path;
  const last = p[p.length - 1];
  const types = (keep: (k: TypeItem['kind'], name: string) => boolean) =>
    typeItems(check).filter((t) => keep(t.kind, t.item.label)).map((t) => t.item);
  if (inCondition(p)) return plain(schemaIndex(check).macros, CompletionItemKind.Constant, 'used in this schema');
  if (BOOLEAN_KEYS[last] && (p.length === 1 || p[0] === 'pragma')) return plain(BOOLEAN_KEYS[last], CompletionItemKind.Value);
  const isFeatureSlot = (last === '[]' && p[p.length - 2] === 'features') || (last === 'name' && p[p.length - 3] === 'features');
  if (isFeatureSlot) {
    const names = new Set(check.model.featureNames);
    // deprecated and unstable are rejected on types (members and enum values may have them).
    const onType = p[0] === 'features' && kind !== 'command' && kind !== 'event';
    if (!onType) names.add('deprecated').add('unstable');
    else { names.delete('deprecated'); names.delete('unstable'); }
    return plain(names, CompletionItemKind.Value, 'feature');
  }
  if (p.length === 1 && p[0] === 'base') return types((k) => k === 'struct');
  if (p[0] === 'returns' && p.length <= 2) return types(() => true);
  if (p.length === 1 && p[0] === 'data' && (kind === 'command' || kind === 'event')) return types((k) => k === 'struct' || k === 'union');
  if (p.length === 1 && p[0] === 'discriminator') return plain(discriminatorCandidates(check, ctx), CompletionItemKind.Field, 'member of the base');
  // Member and branch types: 'data': { 'm': 'T' }, ['T'], { 'type': 'T' }, { 'type': ['T'] }.
  const rest = p.slice(2);
  const typeSlot = p[0] === 'data' && p.length >= 2 && p[1] !== '[]'
    && (rest.length === 0 || (rest.length === 1 && (rest[0] === '[]' || rest[0] === 'type')) || (rest.length === 2 && rest[0] === 'type' && rest[1] === '[]'));
  if (typeSlot && kind && kind !== 'enum') {
    if (kind === 'union') return types((k) => k === 'struct');
    if (kind === 'alternate') return types((_, name) => name !== 'any');
    return types(() => true);
  }
  return [];
}

/** Members of the union's base that can discriminate (present, and named without `*`). */
function discriminatorCandidates(check: SchemaCheck, ctx: CursorContext): string[] {
  if (ctx.inlineBase) return [...ctx.inlineBase.keys()].filter((k) => !k.startsWith('*'));
  const base = check.model.byName.get(ctx.top.get('base') ?? '');
  return base ? allMembers(check, base).filter((m) => !m.optional).map((m) => m.name) : [];
}

/** The values of the enum that types the union's discriminator: its branch names. */
function branchNames(check: SchemaCheck, ctx: CursorContext): string[] {
  const disc = ctx.top.get('discriminator');
  if (!disc) return [];
  let typeName: string | undefined;
  if (ctx.inlineBase) typeName = ctx.inlineBase.get(disc);
  else {
    const base = check.model.byName.get(ctx.top.get('base') ?? '');
    typeName = base && allMembers(check, base).find((m) => m.name === disc)?.type?.name;
  }
  const e: Definition | undefined = typeName ? check.model.byName.get(typeName) : undefined;
  return e?.kind === 'enum' ? e.members.filter((m) => m.role === 'value').map((m) => m.name) : [];
}

export function completion(check: SchemaCheck, doc: TextDocument, pos: Position): CompletionList {
  const ctx = cursorContext(doc.getText(), doc.offsetAt(pos));
  if (!ctx) return { isIncomplete: false, items: [] };
  const kind = ctx.topKeys.find((k) => k in KEYS_OF) as DefKind | undefined;
  // The text being typed is in the checked model too: do not offer it back as a known name.
  const typed = doc.getText().slice(ctx.replace.start, ctx.replace.end);
  const items = (ctx.slot === 'key' ? keyItems(check, ctx, kind) : valueItems(check, ctx, kind))
    .filter((i) => i.label !== typed || i.kind !== CompletionItemKind.Constant && i.kind !== CompletionItemKind.Value);
  const range: Range = { start: doc.positionAt(ctx.replace.start), end: doc.positionAt(ctx.replace.end) };
  const literal = (label: string) => label === 'true' || label === 'false';
  return {
    isIncomplete: false,
    items: items.map((item) => ({
      ...item,
      filterText: ctx.quoted || literal(item.label) ? item.label : `'${item.label}'`,
      textEdit: {
        range,
        newText: ctx.quoted || literal(item.label) ? item.label : ctx.slot === 'key' ? `'${item.label}': ` : `'${item.label}'`,
      },
    })),
  };
}
