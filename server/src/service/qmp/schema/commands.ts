// Every QMP command of each supported release with its arguments and their types
// (names and types only), generated from QEMU's QAPI schemas by
// scripts/generate-qmp-commands.ts into commands.json. Without a QEMU tree or an
// introspection reply this is what tells an unknown command or argument (with
// did-you-mean) and the exact integer widths an introspection reply lacks.
//
// commands.json holds the newest release in full and each older one as the difference
// from the next newer one, to keep the extension small.
import { remember } from '../../common/memo';
import { parseVersion } from '../../common/versions';
import data from './commands.json';
import { addArrayType } from './facts';
import { addBuiltins, type QmpSchema, type SCommand, type SMember, type SType } from './types';

/**
 * A type: an enum as ['e', ...values], an alternate as ['a', ...types], an object as
 * { m: { member: type } } (a leading '?' marks an optional member) with, for a union,
 * `tag` and `v` { case: type }.
 */
export type EncodedType = string[] | { m: Record<string, string>; tag?: string; v?: Record<string, string> };
/** Per release: command -> its arguments type ('' for none; a leading '!' for commands that take any member, QAPI `gen: false`). */
export interface EncodedRelease {
  c: Record<string, string>;
  t: Record<string, EncodedType>;
}
export interface CommandsData {
  newest: string;
  full: EncodedRelease;
  /** Older releases: entries that differ from the release `from` (null: absent in this one). */
  deltas: Record<string, { from: string; c: Record<string, string | null>; t: Record<string, EncodedType | null> }>;
}

const DATA = data as unknown as CommandsData;

/** The releases commands.json describes. */
export const COMMAND_RELEASES: string[] = [DATA.newest, ...Object.keys(DATA.deltas)];

export function encodeRelease(schema: QmpSchema, builtins: Set<string>): EncodedRelease {
  const c: Record<string, string> = {};
  for (const [name, cmd] of [...schema.commands].sort(([a], [b]) => a.localeCompare(b))) c[name] = (cmd.openArgs ? '!' : '') + (cmd.args ?? '');
  const t: Record<string, EncodedType> = {};
  for (const [name, ty] of [...schema.types].sort(([a], [b]) => a.localeCompare(b))) {
    if (builtins.has(name)) continue;
    switch (ty.kind) {
      case 'enum':
        t[name] = ['e', ...ty.values.keys()];
        break;
      case 'alternate':
        t[name] = ['a', ...ty.types];
        break;
      case 'object': {
        const m: Record<string, string> = {};
        for (const [k, mem] of ty.members) m[k] = (mem.optional ? '?' : '') + mem.type;
        t[name] = ty.variants ? { m, tag: ty.variants.tag, v: Object.fromEntries(ty.variants.cases) } : { m };
        break;
      }
      default:
        break; // builtins and arrays ([T]) are made again when read
    }
  }
  return { c, t };
}

function release(version: string): EncodedRelease | undefined {
  if (version === DATA.newest) return DATA.full;
  const d = DATA.deltas[version];
  if (!d) return undefined;
  const base = release(d.from);
  if (!base) return undefined;
  const apply = <T>(a: Record<string, T>, delta: Record<string, T | null>) => {
    const out = { ...a };
    for (const [k, v] of Object.entries(delta)) {
      if (v === null) delete out[k];
      else out[k] = v;
    }
    return out;
  };
  return { c: apply(base.c, d.c), t: apply(base.t, d.t) };
}

const cache = new Map<string, QmpSchema | null>();

/** The schema of every command of release X.Y (complete), or null when it is not shipped. */
export function commandsSchema(version: string): QmpSchema | null {
  const v = parseVersion(version);
  const key = v ? `${v.major}.${v.minor}` : '?';
  return remember(
    cache,
    key,
    () => {
      const r = release(key);
      return r ? decode(r, key) : null;
    },
    16,
  );
}

function decode(r: EncodedRelease, version: string): QmpSchema {
  const types = new Map<string, SType>();
  const commands = new Map<string, SCommand>();
  for (const [name, e] of Object.entries(r.t)) {
    if (Array.isArray(e)) {
      if (e[0] === 'e') types.set(name, { kind: 'enum', name, values: new Map(e.slice(1).map((v) => [v, {}])) });
      else types.set(name, { kind: 'alternate', name, types: e.slice(1) });
      continue;
    }
    const members = new Map<string, SMember>();
    for (const [k, ty] of Object.entries(e.m)) {
      const optional = ty.startsWith('?');
      members.set(k, { name: k, type: optional ? ty.slice(1) : ty, optional });
    }
    types.set(name, { kind: 'object', name, members, variants: e.tag && e.v ? { tag: e.tag, cases: new Map(Object.entries(e.v)) } : undefined });
  }
  for (const [name, a] of Object.entries(r.c)) {
    const open = a.startsWith('!');
    const args = open ? a.slice(1) : a;
    commands.set(name, { name, args: args || undefined, openArgs: open || undefined });
  }
  for (const t of [...types.values()]) {
    if (t.kind === 'object') for (const m of t.members.values()) addArrayType(types, m.type);
    if (t.kind === 'alternate') for (const n of t.types) addArrayType(types, n);
  }
  addBuiltins(types);
  return { source: 'facts', detail: `commands and arguments of QEMU ${version} shipped with the extension`, version, commands, types, complete: true };
}
