// The schema read from a saved `query-qmp-schema` reply: exact for the build it came
// from (backports included), but type names are numbers, integers are all `int`
// and there are no docs; select.ts fills those in from the other sources.
import type { FileAccess } from '../../common/files';
import { addBuiltins, type BuiltinName, type MemberInfo, type QmpSchema, type SCommand, type SMember, type SType } from './types';

export type Loaded = { schema: QmpSchema } | { error: string };

interface RawEntry {
  name?: unknown;
  'meta-type'?: unknown;
  members?: unknown;
  values?: unknown;
  features?: unknown;
  'arg-type'?: unknown;
  'element-type'?: unknown;
  tag?: unknown;
  variants?: unknown;
  'allow-oob'?: unknown;
  'json-type'?: unknown;
}

const cache = new Map<string, { text: string; result: Loaded }>();

/** Commands with hand-written argument handling (QAPI `gen: false`); introspection cannot tell. */
const OPEN_ARGS = new Set(['device_add']);

export function loadIntrospection(files: FileAccess, path: string, version: string): Loaded {
  const r = files.read(path);
  if ('error' in r) return { error: `cannot read the introspection file ${path}: ${r.error}` };
  const hit = cache.get(path + '\0' + version);
  if (hit && hit.text === r.text) return hit.result;
  const result = parseIntrospection(r.text, path, version);
  if (cache.size >= 16) cache.clear(); // the version comes from a script header: bound the keys
  cache.set(path + '\0' + version, { text: r.text, result });
  return result;
}

const flags = (features: unknown): MemberInfo => {
  const f = Array.isArray(features) ? features : [];
  return { deprecated: f.includes('deprecated') || undefined, unstable: f.includes('unstable') || undefined };
};

export function parseIntrospection(text: string, path: string, version: string): Loaded {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `the introspection file ${path} is not JSON (${(e as Error).message})` };
  }
  // Accept the bare array and the whole reply object ({"return": [...]}).
  const list = Array.isArray(raw) ? raw : (raw as { return?: unknown } | null)?.return;
  if (!Array.isArray(list)) return { error: `the introspection file ${path} holds no query-qmp-schema reply (expected an array of schema entries)` };
  const types = new Map<string, SType>();
  const commands = new Map<string, SCommand>();
  for (const e of list as RawEntry[]) {
    if (!e || typeof e.name !== 'string') continue;
    const name = e.name;
    switch (e['meta-type']) {
      case 'command':
        commands.set(name, {
          name,
          args: typeof e['arg-type'] === 'string' ? e['arg-type'] : undefined,
          allowOob: e['allow-oob'] === true,
          openArgs: OPEN_ARGS.has(name) || undefined,
          ...flags(e.features),
        });
        break;
      case 'builtin':
        types.set(name, { kind: 'builtin', name, builtin: builtinOf(name, e['json-type']) });
        break;
      case 'enum': {
        const values = new Map<string, MemberInfo>();
        const members = Array.isArray(e.members) ? (e.members as { name?: unknown; features?: unknown }[]) : [];
        if (members.length)
          for (const m of members) {
            if (typeof m?.name === 'string') values.set(m.name, flags(m.features));
          }
        else if (Array.isArray(e.values)) for (const v of e.values) if (typeof v === 'string') values.set(v, {});
        types.set(name, { kind: 'enum', name, values });
        break;
      }
      case 'array':
        types.set(name, { kind: 'array', name, element: String(e['element-type']) });
        break;
      case 'alternate':
        types.set(name, { kind: 'alternate', name, types: (Array.isArray(e.members) ? e.members : []).map((m: { type?: unknown }) => String(m?.type)) });
        break;
      case 'object': {
        const members = new Map<string, SMember>();
        for (const m of (Array.isArray(e.members) ? e.members : []) as { name?: unknown; type?: unknown; default?: unknown; features?: unknown }[]) {
          if (typeof m?.name !== 'string') continue;
          members.set(m.name, { name: m.name, type: String(m.type), optional: 'default' in m, ...flags(m.features) });
        }
        const variants =
          typeof e.tag === 'string' && Array.isArray(e.variants)
            ? { tag: e.tag, cases: new Map((e.variants as { case?: unknown; type?: unknown }[]).map((c) => [String(c?.case), String(c?.type)])) }
            : undefined;
        types.set(name, { kind: 'object', name, members, variants });
        break;
      }
    }
  }
  if (commands.size === 0) return { error: `the introspection file ${path} lists no commands` };
  addBuiltins(types);
  return { schema: { source: 'introspection', detail: `introspection reply ${path}`, version, commands, types, complete: true } };
}

function builtinOf(name: string, jsonType: unknown): BuiltinName {
  const known: Record<string, BuiltinName> = { str: 'str', int: 'int', number: 'number', bool: 'bool', null: 'null', any: 'any' };
  if (name in known) return known[name];
  return jsonType === 'string'
    ? 'str'
    : jsonType === 'int'
      ? 'int'
      : jsonType === 'boolean'
        ? 'bool'
        : jsonType === 'number'
          ? 'number'
          : jsonType === 'null'
            ? 'null'
            : 'any';
}
