// Hover: what the name under the cursor is (definition, member, type reference,
// feature, enum value, include), with its type, optionality, since-version,
// features, `if` condition and the schema's own documentation; for migration
// parameters also the unit, default and range the extension knows.
import type { Hover, Position } from 'vscode-languageserver-types';
import type { SchemaCheck } from '../model';
import { formatVersion } from '../../common/versions';
import { describeBuiltin, describeDefinition, describeFeature, describeMember, isBuiltin } from './describe';
import { parameterFacts, PARAMETER_TYPES } from './migrationFacts';
import { allMembers, schemaIndex, targetAt } from './schemaIndex';

export function hover(check: SchemaCheck, path: string, pos: Position): Hover | null {
  const at = targetAt(check, path, pos);
  if (!at) return null;
  const t = at.target;
  let value: string | undefined;
  switch (t.kind) {
    case 'definition':
      value = describeDefinition(t.def);
      break;
    case 'member': {
      value = describeMember(t.def, t.member);
      const facts = PARAMETER_TYPES.has(t.def.name) ? parameterFacts(t.member.name, formatVersion(check.version.version)) : undefined;
      if (facts) value += `\n\n${facts}`;
      break;
    }
    case 'feature':
      value = describeFeature(t.def, t.member, t.feature);
      break;
    case 'typeRef': {
      const def = check.model.byName.get(t.ref.name);
      value = def ? describeDefinition(def) : isBuiltin(t.ref.name) ? describeBuiltin(t.ref.name) : `\`${t.ref.name}\` is not defined in this schema.`;
      break;
    }
    case 'include':
      value = `Includes \`${t.include.target}\``;
      break;
    case 'discriminator': {
      const base = t.def.base && check.model.byName.get(t.def.base.name);
      const m = base ? allMembers(check, base).find((x) => x.name === t.def.discriminator?.name) : undefined;
      const owner = m && schemaIndex(check).ownerOf.get(m);
      value = m && owner ? describeMember(owner, m) : `Discriminator \`${t.def.discriminator?.name}\` of union ${t.def.name}`;
      break;
    }
  }
  return { contents: { kind: 'markdown', value }, range: at.range };
}
