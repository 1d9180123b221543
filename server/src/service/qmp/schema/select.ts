// Which schema a script is checked against, in precedence order: the configured
// introspection reply, then QAPI sources (the setting, or the QEMU tree around the
// script), then the facts the extension ships. A source higher in the list is
// completed from the next one: introspection has no readable names, widths or docs;
// QAPI sources have no ranges or units.
import { dirname, join } from 'node:path';
import type { FileAccess } from '../../common/files';
import type { Settings } from '../../common/settings';
import { parseVersion, resolveVersion } from '../../common/versions';
import type { QapiLanguage } from '../../qapi/index';
import { commandsSchema } from './commands';
import { addArrayType, factsSchema } from './facts';
import { loadIntrospection } from './introspection';
import { qapiSchema } from './qapi';
import type { MemberInfo, QmpSchema, SMember } from './types';

export interface SchemaChoice {
  schema: QmpSchema;
  /** Target version (X.Y) and why. */
  version: string;
  versionSource: string;
  /** Sources that were configured but could not be used. */
  problems: string[];
  /** Files whose change must re-check the script. */
  dependencies: string[];
}

export function chooseSchema(files: FileAccess, qapi: QapiLanguage, path: string, settings: Settings, headerVersion?: string): SchemaChoice {
  const problems: string[] = [];
  const dependencies: string[] = [];
  let version: string;
  let versionSource: string;
  const hv = headerVersion ? parseVersion(headerVersion) : undefined;
  if (hv) {
    version = `${hv.major}.${hv.minor}`;
    versionSource = 'script header';
  } else {
    const r = resolveVersion(settings.qemuVersion, path, files);
    version = `${r.version.major}.${r.version.minor}`;
    versionSource = r.source === 'VERSION file' ? `VERSION file ${r.versionFile}` : r.source;
  }
  const facts = shippedSchema(version);
  const fromQapi = (): QmpSchema | null => {
    const root = settings.schemaRoot || findQapiRoot(files, path);
    if (!root) return null;
    dependencies.push(root);
    try {
      const s = qapiSchemaOf(files, qapi, root, settings, version);
      if (!s) problems.push(`the QAPI schema ${root} gave no definitions; using the next schema source`);
      return s;
    } catch (e) {
      problems.push(`the QAPI schema ${root} could not be read (${(e as Error).message}); using the next schema source`);
      return null;
    }
  };
  if (settings.introspectionFile) {
    dependencies.push(settings.introspectionFile);
    const loaded = loadIntrospection(files, settings.introspectionFile, version);
    if ('schema' in loaded) {
      const second = fromQapi();
      let schema = enrich(loaded.schema, second ?? facts);
      if (second) schema = enrich(schema, facts);
      return { schema, version, versionSource, problems, dependencies };
    }
    problems.push(`${loaded.error}; using the next schema source`);
  }
  const q = fromQapi();
  return { schema: q ? enrich(q, facts) : facts, version, versionSource, problems, dependencies };
}

interface QapiEntry {
  files: string[];
  texts: (string | undefined)[];
  schema: QmpSchema | null;
}
const fromSources = new Map<string, QapiEntry>();

const textOf = (files: FileAccess, path: string) => {
  const r = files.read(path);
  return 'text' in r ? r.text : undefined;
};

/**
 * The QMP schema of a QAPI tree, built once per root and version while none of its
 * files changes: a run over many scripts (or an editor re-checking a script) does not
 * check the whole QAPI tree again for each. Comparing the texts is cheap: a cached
 * read returns the very same string.
 */
function qapiSchemaOf(files: FileAccess, qapi: QapiLanguage, root: string, settings: Settings, version: string): QmpSchema | null {
  const key = `${root}\0${version}`;
  const hit = fromSources.get(key);
  if (hit && hit.files.every((f, i) => textOf(files, f) === hit.texts[i])) return hit.schema;
  const model = qapi.project.check(root, { ...settings, qemuVersion: version }).model;
  const entry = { files: model.files, texts: model.files.map((f) => textOf(files, f)), schema: qapiSchema(model, version) };
  if (fromSources.size >= 8) fromSources.clear();
  fromSources.set(key, entry);
  return entry.schema;
}

/**
 * What the extension ships for a version: every command with its arguments' names and
 * types (commands.ts) completed with the migration facts (units, ranges, since), or the
 * migration facts alone for a release commands.json does not describe.
 */
export function shippedSchema(version: string): QmpSchema {
  const migration = factsSchema(version);
  const all = commandsSchema(version);
  return all ? enrich(all, migration) : migration;
}

/** `qapi/qapi-schema.json` of a QEMU tree holding the script (a folder with VERSION and qapi/), if any. */
export function findQapiRoot(files: FileAccess, path: string): string | undefined {
  let dir = dirname(path);
  for (let i = 0; i < 12; i++) {
    const candidate = join(dir, 'qapi', 'qapi-schema.json');
    if (files.isFile(join(dir, 'VERSION')) && files.isFile(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * The exact integer type for an introspection `int` (or `[int]`) member from the other
 * source; `int` there is int64 (an introspection `int` alone may be any 64-bit integer).
 */
function integerWidth(p: string, s: string): string | undefined {
  const arr = p === '[int]' && s.startsWith('[');
  if (p !== 'int' && !arr) return undefined;
  const b = arr ? s.slice(1, -1) : s;
  if (!/^(u?int(8|16|32|64)?|size)$/.test(b)) return undefined;
  const exact = b === 'int' ? 'int64' : b;
  return arr ? `[${exact}]` : exact;
}

const enriched = new WeakMap<QmpSchema, WeakMap<QmpSchema, QmpSchema>>();

/** `primary` completed from `secondary`: integer widths, docs, since, units, defaults, ranges. */
export function enrich(primary: QmpSchema, secondary: QmpSchema): QmpSchema {
  let byFallback = enriched.get(primary);
  if (!byFallback) enriched.set(primary, (byFallback = new WeakMap()));
  const hit = byFallback.get(secondary);
  if (hit) return hit;
  const types = new Map(primary.types);
  const done = new Set<string>();
  // The shipped command list has names and types only: its deprecation flags come from the facts.
  const keys = ['since', 'doc', 'unit', 'default', 'min', 'max', ...(primary.source === 'facts' ? (['deprecated', 'unstable'] as const) : [])] as const;
  const fill = <T extends MemberInfo>(a: T, b: MemberInfo): T => {
    const out = { ...a };
    for (const k of keys) {
      if (out[k] === undefined && b[k] !== undefined) (out as MemberInfo)[k] = b[k] as never;
    }
    return out;
  };
  const walk = (pName: string, sName: string) => {
    const key = pName + '\0' + sName;
    if (done.has(key)) return;
    done.add(key);
    const p = types.get(pName);
    const s = secondary.types.get(sName);
    if (!p || !s) return;
    if (p.kind === 'object' && s.kind === 'object') {
      const members = new Map<string, SMember>();
      for (const [name, m] of p.members) {
        const sm = s.members.get(name);
        if (!sm) {
          members.set(name, m);
          continue;
        }
        const out = fill(m, sm);
        const width = integerWidth(m.type, sm.type);
        if (width) {
          out.type = width;
          addArrayType(types, width);
        } else walk(m.type, sm.type);
        members.set(name, out);
      }
      types.set(pName, { ...p, members });
      // A union's variants hold members too (BlockdevOptions' per-driver options).
      if (p.variants && s.variants)
        for (const [tag, c] of p.variants.cases) {
          const sc = s.variants.cases.get(tag);
          if (sc) walk(c, sc);
        }
    } else if (p.kind === 'enum' && s.kind === 'enum') {
      types.set(pName, { ...p, values: new Map([...p.values].map(([k, v]) => [k, fill(v, s.values.get(k) ?? {})])) });
    } else if (p.kind === 'array' && s.kind === 'array') walk(p.element, s.element);
    else if (p.kind === 'alternate' && s.kind === 'alternate') p.types.forEach((t, i) => s.types[i] && walk(t, s.types[i]));
  };
  const commands = new Map(primary.commands);
  for (const [name, c] of primary.commands) {
    const sc = secondary.commands.get(name);
    if (!sc) continue;
    commands.set(name, fill(c, sc));
    if (c.args && sc.args) walk(c.args, sc.args);
  }
  const out: QmpSchema = {
    ...primary,
    types,
    commands,
    detail: `${primary.detail}, completed from ${secondary.source === 'facts' ? 'the shipped facts' : secondary.detail}`,
  };
  byFallback.set(secondary, out);
  return out;
}
