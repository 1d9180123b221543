// Go to definition and find references, across the whole include tree: type names
// lead to their definition, include paths to the included file, a union's
// discriminator to the base member it names.
import type { Location, Position } from 'vscode-languageserver-types';
import { pathToUri } from '../../common/paths';
import type { SchemaCheck, Span } from '../model';
import { allMembers, definitionOf, schemaIndex, targetAt } from './schemaIndex';

const span = (s: Span): Location => ({ uri: pathToUri(s.path), range: s.range });

export function definition(check: SchemaCheck, path: string, pos: Position): Location[] {
  const at = targetAt(check, path, pos);
  const t = at?.target;
  if (!t) return [];
  // From a doc comment entry, the thing it documents.
  if (at.inDoc) {
    if (t.kind === 'member') return [span(t.member.span)];
    if (t.kind === 'feature') return [span(t.feature.span)];
  }
  if (t.kind === 'include') {
    return [{ uri: pathToUri(t.include.target), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
  }
  if (t.kind === 'discriminator') {
    const base = t.def.base && check.model.byName.get(t.def.base.name);
    const m = base && allMembers(check, base).find((x) => x.name === t.def.discriminator?.name);
    return m ? [span(m.span)] : [];
  }
  // On a member name, go to its type (the name itself is already the member's definition).
  const def = t.kind === 'member' ? t.member.type && check.model.byName.get(t.member.type.name) : definitionOf(check, t);
  return def ? [span(def.nameSpan)] : [];
}

/** Every use of the type under the cursor (its definition too when asked). */
export function references(check: SchemaCheck, path: string, pos: Position, includeDeclaration: boolean): Location[] {
  const t = targetAt(check, path, pos)?.target;
  const def = t && definitionOf(check, t);
  const name = def?.name ?? (t?.kind === 'typeRef' ? t.ref.name : undefined);
  if (!name) return [];
  const uses = (schemaIndex(check).refsByName.get(name) ?? []).map((r) => span(r.span));
  return includeDeclaration && def ? [span(def.nameSpan), ...uses] : uses;
}
