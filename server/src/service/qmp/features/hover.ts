// Hover on a command or an argument: type, unit, default, valid range, since,
// deprecation, docs, and the value under the cursor in other units.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';
import type { MemberInfo, QmpSchema } from '../schema/types';
import { describeBytes, describeMs } from '../units';
import { locate, memberAt } from './locate';

const SOURCE = { introspection: 'introspection reply', qapi: 'QAPI sources', facts: 'shipped facts' };

export function hover(a: Analysis, doc: TextDocument, pos: Position): Hover | null {
  const offset = doc.offsetAt(pos);
  const at = locate(a.script, offset);
  if (!at?.command) return null;
  const schema = a.choice.schema;
  if (at.onCommand) {
    const cmd = schema.commands.get(at.command);
    if (!cmd) return null;
    const lines = [`**${at.command}** — QMP command (QEMU ${schema.version}, ${SOURCE[schema.source]})`];
    if (at.statement.hmp) lines[0] += ` · written as HMP \`${at.statement.hmp.command}\``;
    lines.push(...facts(cmd));
    const args = schema.types.get(cmd.args ?? '');
    if (args?.kind === 'object' && args.members.size) {
      lines.push(
        '',
        `Arguments: ${[...args.members.values()]
          .slice(0, 40)
          .map((m) => `\`${m.name}${m.optional ? '?' : ''}\``)
          .join(', ')}${args.members.size > 40 ? ', …' : ''}`,
      );
    }
    return { contents: { kind: 'markdown', value: lines.join('\n') } };
  }
  if (!at.entry || !at.path.length) return null;
  const m = memberAt(schema, at.command, at.path);
  if (!m) return null;
  const lines = [
    `**${m.name}**: \`${typeLabel(schema, m.type)}\`${m.unit ? ` · ${m.unit}` : ''}${m.optional ? '' : ' · required'} — argument of \`${at.command}\``,
  ];
  lines.push(...facts(m));
  const v = at.node;
  if (v?.kind === 'number' && v.integer && m.unit) {
    const n = Number(v.text);
    const shown = m.unit === 'B/s' ? describeBytes(n, true) : m.unit === 'B' ? describeBytes(n, false) : m.unit === 'ms' ? describeMs(n) : `${n} ${m.unit}`;
    lines.push('', `Value: ${shown}`);
  }
  return { contents: { kind: 'markdown', value: lines.join('\n') } };
}

function typeLabel(schema: QmpSchema, name: string): string {
  const t = schema.types.get(name);
  if (!t) return name;
  if (t.kind === 'enum') return /^\d+$/.test(name) ? `enum (${[...t.values.keys()].join(' | ')})` : `${name} (${[...t.values.keys()].join(' | ')})`;
  if (t.kind === 'array') return `${typeLabel(schema, t.element)}[]`;
  if (t.kind === 'alternate') return t.types.map((x) => typeLabel(schema, x)).join(' | ');
  return /^\d+$/.test(name) ? t.kind : name;
}

function facts(m: MemberInfo & { name?: string }): string[] {
  const bits: string[] = [];
  if (m.default !== undefined)
    bits.push(`default ${JSON.stringify(m.default)}${typeof m.default === 'number' && m.unit === 'B/s' ? ` (${describeBytes(m.default, true)})` : ''}`);
  if (m.min !== undefined || m.max !== undefined)
    bits.push(`valid ${m.min ?? 0} … ${m.max ?? '∞'}${m.name === 'max-cpu-throttle' ? ' (and at least cpu-throttle-initial)' : ''}`);
  if (m.since) bits.push(`since ${m.since}`);
  const out = bits.length ? [bits.join(' · ')] : [];
  if (m.deprecated) out.push('**Deprecated**: QEMU plans to remove it.');
  if (m.unstable) out.push('**Unstable**: experimental, may change without notice.');
  if (m.doc) out.push('', m.doc);
  return out;
}
