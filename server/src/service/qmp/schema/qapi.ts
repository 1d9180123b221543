// The schema read from QAPI sources (the checked model of qapi/qapi-schema.json):
// readable type names, exact integer widths, docs and Since: lines.
import type { Definition, Member, SchemaModel, TypeRef } from '../../qapi/model';
import { addArrayType } from './facts';
import { addBuiltins, type MemberInfo, type QmpSchema, type SCommand, type SMember, type SType } from './types';

const refName = (t: TypeRef | undefined) => (t ? (t.array ? `[${t.name}]` : t.name) : 'any');

function sinceOf(text: string | undefined): string | undefined {
  return text ? /\(since:?\s*(\d+\.\d+)/i.exec(text)?.[1] : undefined;
}

function memberInfo(def: Definition, m: Member): MemberInfo {
  const doc = def.doc?.members.get(m.name)?.replace(/\s+/g, ' ').trim();
  const fs = m.features.map((f) => f.name);
  return {
    doc,
    since: sinceOf(doc),
    deprecated: fs.includes('deprecated') || undefined,
    unstable: fs.includes('unstable') || undefined,
  };
}

const cache = new WeakMap<SchemaModel, Map<string, QmpSchema | null>>();

export function qapiSchema(model: SchemaModel, version: string): QmpSchema | null {
  let byVersion = cache.get(model);
  if (!byVersion) cache.set(model, (byVersion = new Map()));
  if (!byVersion.has(version)) byVersion.set(version, buildQapiSchema(model, version));
  return byVersion.get(version)!;
}

function buildQapiSchema(model: SchemaModel, version: string): QmpSchema | null {
  if (model.definitions.length === 0) return null;
  const types = new Map<string, SType>();
  const commands = new Map<string, SCommand>();
  const collect = (def: Definition, seen = new Set<string>()): Map<string, SMember> => {
    const out = new Map<string, SMember>();
    if (seen.has(def.name)) return out;
    seen.add(def.name);
    const base = def.base ? model.byName.get(def.base.name) : undefined;
    if (base) for (const [k, v] of collect(base, seen)) out.set(k, v);
    for (const m of def.members) {
      if (m.role !== 'member') continue;
      const type = refName(m.type);
      addArrayType(types, type);
      out.set(m.name, { name: m.name, type, optional: m.optional, ...memberInfo(def, m) });
    }
    return out;
  };
  for (const def of model.definitions) {
    const fs = def.features.map((f) => f.name);
    const flags: MemberInfo = {
      doc: def.doc?.body.replace(/\s+/g, ' ').trim() || undefined,
      since: def.doc?.since,
      deprecated: fs.includes('deprecated') || undefined,
      unstable: fs.includes('unstable') || undefined,
    };
    switch (def.kind) {
      case 'enum':
        types.set(def.name, {
          kind: 'enum',
          name: def.name,
          values: new Map(def.members.filter((m) => m.role === 'value').map((m) => [m.name, memberInfo(def, m)])),
        });
        break;
      case 'struct':
        types.set(def.name, { kind: 'object', name: def.name, members: collect(def) });
        break;
      case 'union': {
        const cases = new Map(def.members.filter((m) => m.role === 'branch').map((m) => [m.name, refName(m.type)]));
        types.set(def.name, {
          kind: 'object',
          name: def.name,
          members: collect(def),
          variants: def.discriminator ? { tag: def.discriminator.name, cases } : undefined,
        });
        break;
      }
      case 'alternate':
        types.set(def.name, { kind: 'alternate', name: def.name, types: def.members.filter((m) => m.role === 'branch').map((m) => refName(m.type)) });
        break;
      case 'command': {
        let args: string | undefined;
        if (def.argsType) args = refName(def.argsType);
        else if (def.members.some((m) => m.role === 'member')) {
          args = `${def.name}-arguments`;
          types.set(args, { kind: 'object', name: args, members: collect(def) });
        }
        commands.set(def.name, { name: def.name, args, allowOob: def.flags['allow-oob'] === true, openArgs: def.flags.gen === false || undefined, ...flags });
        break;
      }
    }
  }
  for (const t of [...types.values()]) if (t.kind === 'alternate') t.types.forEach((n) => addArrayType(types, n));
  addBuiltins(types);
  return { source: 'qapi', detail: `QAPI sources ${model.root}`, version, commands, types, complete: true };
}
