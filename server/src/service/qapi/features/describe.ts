// Markdown descriptions of definitions, members, features and built-in types, shared
// by hover and completion. Texts come from the schema's own doc comments.
import { basename } from 'node:path';
import type { Definition, Feature, Member, TypeRef } from '../model';

const BUILTIN_DOCS: Record<string, string> = {
  str: 'a JSON string',
  number: 'a JSON number (floating point)',
  int: 'a signed 64-bit integer',
  int8: 'a signed 8-bit integer',
  int16: 'a signed 16-bit integer',
  int32: 'a signed 32-bit integer',
  int64: 'a signed 64-bit integer',
  uint8: 'an unsigned 8-bit integer',
  uint16: 'an unsigned 16-bit integer',
  uint32: 'an unsigned 32-bit integer',
  uint64: 'an unsigned 64-bit integer',
  size: 'a size in bytes (an unsigned 64-bit integer; QMP takes a plain number, not "1G")',
  bool: 'true or false',
  any: 'any JSON value',
  null: 'JSON null',
};

export function isBuiltin(name: string): boolean {
  return Object.hasOwn(BUILTIN_DOCS, name);
}

export function describeBuiltin(name: string): string {
  return `${code(`built-in ${name}`)}\nBuilt-in type: ${BUILTIN_DOCS[name]}.`;
}

/** "(Since 8.2)" or "(since 1.3)" written in a member's text. */
function sinceIn(text: string | undefined): string | undefined {
  return text ? /\(\s*since:?\s+(\d+\.\d+(?:\.\d+)?)\s*\)/i.exec(text)?.[1] : undefined;
}

export function typeText(t: TypeRef | undefined): string {
  return !t ? '' : t.array ? `[${t.name}]` : t.name;
}

export function describeDefinition(def: Definition): string {
  const facts: string[] = [];
  if (def.base) facts.push(`Base: \`${def.base.name}\``);
  if (def.discriminator) facts.push(`Discriminator: \`${def.discriminator.name}\``);
  if (def.argsType) facts.push(`Arguments: \`${typeText(def.argsType)}\``);
  if (def.returns) facts.push(`Returns: \`${typeText(def.returns)}\``);
  const flags = Object.entries(def.flags).map(([k, v]) => (v ? k : `${k}: false`));
  if (flags.length) facts.push(`Flags: ${flags.join(', ')}`);
  const parts = [code(`${def.kind} ${def.name}`), ...common(def.features, def.ifCond, def.doc?.since)];
  if (facts.length) parts.push(facts.join(' · '));
  if (def.doc?.body) parts.push(rst(def.doc.body));
  for (const s of def.doc?.sections ?? []) if (/^(Returns|Errors)$/.test(s.tag) && s.text) parts.push(`*${s.tag}:* ${rst(s.text)}`);
  parts.push(`Defined in \`${basename(def.span.path)}\``);
  return parts.join('\n\n');
}

export function describeMember(def: Definition, member: Member): string {
  const text = def.doc?.members.get(member.name);
  const sig = member.role === 'value' ? member.name : `${member.name}${member.optional ? '?' : ''}: ${typeText(member.type)}`;
  const role = member.role === 'value' ? 'value' : member.role === 'branch' ? 'branch' : 'member';
  const parts = [code(`(${role} of ${def.kind} ${def.name}) ${sig}`)];
  parts.push(...common(member.features, member.ifCond, sinceIn(text)));
  if (member.optional) parts.push('Optional.');
  if (text) parts.push(rst(text));
  return parts.join('\n\n');
}

export function describeFeature(def: Definition, member: Member | undefined, feature: Feature): string {
  const owner = member ? `${def.name}.${member.name}` : def.name;
  const text = def.doc?.features.get(feature.name);
  const parts = [code(`(feature of ${owner}) ${feature.name}`)];
  if (feature.name === 'deprecated') parts.push('Marks it as deprecated: management applications should stop using it.');
  if (feature.name === 'unstable') parts.push('Marks it as unstable: it may change or go away without the usual deprecation period.');
  if (feature.ifCond) parts.push(`Available if \`${feature.ifCond}\``);
  if (text) parts.push(rst(text));
  return parts.join('\n\n');
}

function common(features: Feature[], ifCond: string | undefined, since: string | undefined): string[] {
  const out: string[] = [];
  if (since) out.push(`Since ${since}`);
  if (features.length)
    out.push(`Features: ${features.map((f) => (f.name === 'deprecated' || f.name === 'unstable' ? `**${f.name}**` : `\`${f.name}\``)).join(', ')}`);
  if (ifCond) out.push(`Available if \`${ifCond}\``);
  return out;
}

function code(s: string): string {
  return '```qapi\n' + s + '\n```';
}

/**
 * The doc comments are reStructuredText: drop the indent of continuation lines (in
 * Markdown 4 spaces can start a code block) and make the common inline forms read well.
 */
function rst(text: string): string {
  const lines = text.split('\n');
  const indents = lines
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0], ...lines.slice(1).map((l) => l.slice(Math.min(cut, /^ */.exec(l)![0].length)))]
    .join('\n')
    .replace(/``([^`]+)``/g, '`$1`')
    .replace(/(^|[\s(])@([\w-]+)/g, '$1`$2`');
}
