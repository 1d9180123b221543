// Completion: the keys valid where the cursor is (by definition kind and nesting),
// type names (built-in and defined anywhere in the include tree), feature names,
// enum values for a union's branch keys, `if` macros used in the schema, booleans.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, CompletionItemTag, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import { META_KEYS } from '../check/definitions';
import { DEFINITION_KEYS } from '../check/exprs';
import { rulesFor } from '../check/rules';
import { BUILTIN_TYPES, type DefKind, type Definition, type SchemaCheck } from '../model';
import { cursorContext, type CursorContext } from './cursorContext';
import { describeBuiltin, describeDefinition } from './describe';
import { docCompletion } from './docCompletion';
import { allMembers, schemaIndex } from './schemaIndex';

const TOP_KEYS = [...META_KEYS, 'include', 'pragma'];

/** Keys each definition kind accepts besides its own, from the checker's table. */
const KEYS_OF = Object.fromEntries(META_KEYS.map((kind) => [kind, [...DEFINITION_KEYS[kind][0].slice(1), ...DEFINITION_KEYS[kind][1]]])) as Record<
  DefKind,
  string[]
>;

/** Keys whose only sensible value is a boolean literal (gen and success-response may only be false). */
const BOOLEAN_KEYS: Record<string, string[]> = {
  boxed: ['true'],
  'allow-oob': ['true'],
  'allow-preconfig': ['true'],
  coroutine: ['true'],
  gen: ['false'],
  'success-response': ['false'],
  'doc-required': ['true', 'false'],
};

const TYPE_KIND: Record<string, CompletionItemKind> = {
  struct: CompletionItemKind.Struct,
  enum: CompletionItemKind.Enum,
  union: CompletionItemKind.Class,
  alternate: CompletionItemKind.Interface,
};

/** How an item is inserted: inside quotes as is; outside, quoted (keys with a colon after). */
type Variant = 'quoted' | 'key' | 'value';

/** Sets what is typed over the list's edit range, for the variant (booleans are never quoted). */
function dress(item: CompletionItem, variant: Variant): CompletionItem {
  if (variant === 'quoted' || item.label === 'true' || item.label === 'false') return item;
  item.filterText = `'${item.label}'`;
  item.textEditText = variant === 'key' ? `'${item.label}': ` : `'${item.label}'`;
  return item;
}

/** Which types a slot takes: any, a struct (bases, union branches), a struct or union (command/event data), all but any (alternates). */
type TypeSlot = 'any' | 'struct' | 'object' | 'alternative';

const TYPE_SLOT_KEEPS: Record<TypeSlot, (kind: DefKind | 'builtin', name: string) => boolean> = {
  any: () => true,
  struct: (k) => k === 'struct',
  object: (k) => k === 'struct' || k === 'union',
  alternative: (_, name) => name !== 'any',
};

const typeCache = new WeakMap<SchemaCheck, Map<string, CompletionItem[]>>();

/**
 * Completion items of the type names a slot takes, built once per check, slot and
 * variant: requests share them (the list's itemDefaults carries the edit range), so
 * a keystroke allocates nothing per type.
 */
function typeItems(check: SchemaCheck, slot: TypeSlot, variant: Variant): CompletionItem[] {
  let bySlot = typeCache.get(check);
  if (!bySlot) typeCache.set(check, (bySlot = new Map()));
  const key = `${slot}/${variant}`;
  let items = bySlot.get(key);
  if (items) return items;
  const keep = TYPE_SLOT_KEEPS[slot];
  items = BUILTIN_TYPES.filter((name) => keep('builtin', name)).map((name) =>
    dress(
      {
        label: name,
        kind: CompletionItemKind.TypeParameter,
        detail: 'built-in type',
        documentation: { kind: 'markdown', value: describeBuiltin(name) },
      },
      variant,
    ),
  );
  for (const def of check.model.definitions) {
    if (!(def.kind in TYPE_KIND) || def.name.endsWith('List') || !keep(def.kind, def.name)) continue;
    items.push(
      dress(
        {
          label: def.name,
          kind: TYPE_KIND[def.kind],
          detail: def.kind + (def.doc?.since ? ` (since ${def.doc.since})` : ''),
          documentation: { kind: 'markdown', value: describeDefinition(def) },
          tags: def.features.some((f) => f.name === 'deprecated') ? [CompletionItemTag.Deprecated] : undefined,
        },
        variant,
      ),
    );
  }
  bySlot.set(key, items);
  return items;
}

const without = (names: Iterable<string>, typed: string) => [...names].filter((n) => n !== typed);

const plain = (variant: Variant, labels: Iterable<string>, kind: CompletionItemKind, detail?: string): CompletionItem[] =>
  [...labels].map((label) => dress({ label, kind, detail }, variant));

/** Whether the slot is inside an `if` condition (`all`/`any`/`not` nest inside it). */
function inCondition(path: string[]): boolean {
  const i = path.lastIndexOf('if');
  return i >= 0 && path.slice(i + 1).every((s) => s === 'all' || s === 'any' || s === 'not' || s === '[]');
}

function keyItems(check: SchemaCheck, ctx: CursorContext, kind: DefKind | undefined, variant: Variant): CompletionItem[] {
  const p = ctx.path;
  const keys = (names: string[]) =>
    plain(
      variant,
      names.filter((k) => !ctx.siblings.includes(k)),
      CompletionItemKind.Property,
    );
  if (inCondition(p)) return keys(['all', 'any', 'not']);
  if (p.length === 0) {
    if (!kind) return plain(variant, TOP_KEYS, CompletionItemKind.Keyword, 'starts a definition');
    return keys(KEYS_OF[kind]);
  }
  if (p.length === 1 && p[0] === 'pragma') {
    const names = ['doc-required', 'command-name-exceptions', 'command-returns-exceptions', 'member-name-exceptions'];
    if (rulesFor(check.rules).documentationExceptions) names.push('documentation-exceptions');
    return keys(names);
  }
  if (p[p.length - 2] === 'features' && p[p.length - 1] === '[]') return keys(['name', 'if']);
  if (p.length === 1 && p[0] === 'data' && kind === 'union') {
    return plain(
      variant,
      branchNames(check, ctx).filter((b) => !ctx.siblings.includes(b)),
      CompletionItemKind.EnumMember,
      'discriminator value',
    );
  }
  if (p.length === 2 && p[0] === 'data') {
    if (kind === 'enum' && p[1] === '[]') return keys(['name', 'if', 'features']);
    if (kind === 'union' || kind === 'alternate') return keys(['type', 'if']);
    if (kind) return keys(['type', 'if', 'features']);
  }
  return [];
}

function valueItems(check: SchemaCheck, ctx: CursorContext, kind: DefKind | undefined, variant: Variant): CompletionItem[] {
  const p = ctx.path;
  const last = p[p.length - 1];
  const types = (slot: TypeSlot) => typeItems(check, slot, variant);
  // Macros and features are collected from the checked model, which holds the text being typed: skip that one.
  if (inCondition(p)) return plain(variant, without(schemaIndex(check).macros, ctx.typed), CompletionItemKind.Constant, 'used in this schema');
  if (BOOLEAN_KEYS[last] && (p.length === 1 || p[0] === 'pragma')) return plain(variant, BOOLEAN_KEYS[last], CompletionItemKind.Value);
  const isFeatureSlot = (last === '[]' && p[p.length - 2] === 'features') || (last === 'name' && p[p.length - 3] === 'features');
  if (isFeatureSlot) {
    const names = new Set(check.model.featureNames);
    // deprecated and unstable are rejected on types (members and enum values may have them).
    const onType = p[0] === 'features' && kind !== 'command' && kind !== 'event';
    if (!onType) names.add('deprecated').add('unstable');
    else {
      names.delete('deprecated');
      names.delete('unstable');
    }
    return plain(variant, without(names, ctx.typed), CompletionItemKind.Value, 'feature');
  }
  if (p.length === 1 && p[0] === 'base') return types('struct');
  if (p[0] === 'returns' && p.length <= 2) return types('any');
  if (p.length === 1 && p[0] === 'data' && (kind === 'command' || kind === 'event')) return types('object');
  if (p.length === 1 && p[0] === 'discriminator') return plain(variant, discriminatorCandidates(check, ctx), CompletionItemKind.Field, 'member of the base');
  // Member and branch types: 'data': { 'm': 'T' }, ['T'], { 'type': 'T' }, { 'type': ['T'] }.
  const rest = p.slice(2);
  const typeSlot =
    p[0] === 'data' &&
    p.length >= 2 &&
    p[1] !== '[]' &&
    (rest.length === 0 || (rest.length === 1 && (rest[0] === '[]' || rest[0] === 'type')) || (rest.length === 2 && rest[0] === 'type' && rest[1] === '[]'));
  if (typeSlot && kind && kind !== 'enum') {
    return types(kind === 'union' ? 'struct' : kind === 'alternate' ? 'alternative' : 'any');
  }
  return [];
}

/** Members of the union's base that can discriminate (present, and named without `*`). */
function discriminatorCandidates(check: SchemaCheck, ctx: CursorContext): string[] {
  if (ctx.inlineBase) return [...ctx.inlineBase.keys()].filter((k) => !k.startsWith('*'));
  const base = check.model.byName.get(ctx.top.get('base') ?? '');
  return base
    ? allMembers(check, base)
        .filter((m) => !m.optional)
        .map((m) => m.name)
    : [];
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
  const inDoc = docCompletion(check, doc, pos);
  if (inDoc) return inDoc;
  const ctx = cursorContext(doc.getText(), doc.offsetAt(pos));
  if (!ctx) return { isIncomplete: false, items: [] };
  const kind = ctx.topKeys.find((k) => k in KEYS_OF) as DefKind | undefined;
  // Inside an include or a pragma only the pragma's own keys make sense.
  if (!kind && ctx.topKeys.includes('include')) return { isIncomplete: false, items: [] };
  if (!kind && ctx.path.length === 0 && ctx.topKeys.includes('pragma')) return { isIncomplete: false, items: [] };
  const variant: Variant = ctx.quoted ? 'quoted' : ctx.slot;
  const items = ctx.slot === 'key' ? keyItems(check, ctx, kind, variant) : valueItems(check, ctx, kind, variant);
  return {
    isIncomplete: false,
    itemDefaults: { editRange: { start: doc.positionAt(ctx.replace.start), end: doc.positionAt(ctx.replace.end) } },
    items,
  };
}
