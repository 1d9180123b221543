// The schema built from the facts the extension ships (migration/facts.ts), for
// one target version: everything that exists in that version, with its
// deprecation and range information. Also answers "in which versions does this
// name exist" for the version-gate diagnostics.
import { remember } from '../../common/memo';
import { compareVersions, parseVersion, type QemuVersion } from '../../common/versions';
import { type Fact, MIGRATION_CAPABILITIES, MIGRATION_COMMANDS, MIGRATION_ENUMS, MIGRATION_PARAMETERS } from '../../../migration/facts';
import { addBuiltins, type MemberInfo, type QmpSchema, type SMember, type SType } from './types';

const parsed = new Map<string, QemuVersion | undefined>();
/** parseVersion, remembered: the same few version strings are compared for every message. */
export function version(text: string): QemuVersion | undefined {
  return remember(parsed, text, () => parseVersion(text));
}

/** a >= b, both X.Y strings. */
export function atLeast(a: string, b: string): boolean {
  const va = version(a);
  const vb = version(b);
  return !!va && !!vb && compareVersions(va, vb) >= 0;
}

export function existsIn(f: Fact, target: string): boolean {
  if (!version(target)) return true;
  return atLeast(target, f.since) && (!f.removed || !atLeast(target, f.removed));
}

export function deprecatedIn(f: Fact, target: string): boolean {
  return !!f.deprecatedSince && atLeast(target, f.deprecatedSince);
}

function info(f: Fact, version: string): MemberInfo {
  return { since: f.since, deprecated: deprecatedIn(f, version), unstable: f.unstable, doc: f.description };
}

const cache = new Map<string, QmpSchema>();

export function factsSchema(version: string): QmpSchema {
  // The schema depends only on major.minor (or on none, for an unreadable version);
  // the string itself comes from a script header, so the key is normalised and bounded.
  const v = parseVersion(version);
  return remember(cache, v ? `${v.major}.${v.minor}` : '?', () => buildFactsSchema(version), 16);
}

function buildFactsSchema(version: string): QmpSchema {
  const types = new Map<string, SType>();
  addBuiltins(types);
  const enumOf = (name: string, facts: Fact[]) =>
    types.set(name, { kind: 'enum', name, values: new Map(facts.filter((f) => existsIn(f, version)).map((f) => [f.name, info(f, version)])) });
  for (const e of MIGRATION_ENUMS) enumOf(e.name, e.values);
  enumOf('MigrationCapability', MIGRATION_CAPABILITIES);
  types.set('StrOrNull', { kind: 'alternate', name: 'StrOrNull', types: ['str', 'null'] });
  types.set('MigrationCapabilityStatus', {
    kind: 'object',
    name: 'MigrationCapabilityStatus',
    members: new Map([
      ['capability', { name: 'capability', type: 'MigrationCapability', optional: false, doc: 'The capability to change.' }],
      ['state', { name: 'state', type: 'bool', optional: false, doc: 'On or off.' }],
    ]),
  });
  types.set('BitmapMigrationNodeAlias', { kind: 'builtin', name: 'BitmapMigrationNodeAlias', builtin: 'any' });
  const params = new Map<string, SMember>();
  for (const p of MIGRATION_PARAMETERS) {
    if (!existsIn(p, version)) continue;
    params.set(p.name, {
      name: p.name,
      type: p.type,
      optional: true,
      ...info(p, version),
      unit: p.unit,
      default: p.default,
      min: p.min,
      max: p.max,
    });
  }
  types.set('MigrateSetParameters', { kind: 'object', name: 'MigrateSetParameters', members: params });
  const commands = new Map();
  for (const c of MIGRATION_COMMANDS) {
    if (!existsIn(c, version)) continue;
    let args: string | undefined;
    if (c.name === 'migrate-set-parameters') args = 'MigrateSetParameters';
    else if (c.args.length) {
      args = `${c.name}-arguments`;
      const members = new Map<string, SMember>();
      for (const a of c.args) if (existsIn(a, version)) members.set(a.name, { name: a.name, type: a.type, optional: a.optional, ...info(a, version) });
      types.set(args, { kind: 'object', name: args, members });
    }
    commands.set(c.name, { name: c.name, args, ...info(c, version) });
  }
  for (const t of [...types.values()]) {
    if (t.kind === 'object') for (const m of t.members.values()) addArrayType(types, m.type);
  }
  return { source: 'facts', detail: `facts shipped with the extension for QEMU ${version}`, version, commands, types, complete: false };
}

/** `[T]` member types name an array type; make sure it exists. */
export function addArrayType(types: Map<string, SType>, name: string): void {
  if (name.startsWith('[') && !types.has(name)) types.set(name, { kind: 'array', name, element: name.slice(1, -1) });
}

/** The fact with that name, for "appeared in X" / "removed in Y" messages. */
export function factFor(kind: 'command' | 'parameter' | 'argument', name: string, command?: string): Fact | undefined {
  switch (kind) {
    case 'command':
      return MIGRATION_COMMANDS.find((c) => c.name === name);
    case 'parameter':
      return MIGRATION_PARAMETERS.find((p) => p.name === name);
    case 'argument':
      return MIGRATION_COMMANDS.find((c) => c.name === command)?.args.find((a) => a.name === name);
  }
}
