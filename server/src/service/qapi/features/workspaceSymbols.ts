// Workspace symbols: definitions of the schemas checked so far whose names contain
// the query's characters in order (case-insensitive), best matches first.
import type { SymbolInformation } from 'vscode-languageserver-types';
import { pathToUri } from '../../common/paths';
import type { SchemaCheck } from '../model';
import { SYMBOL_KIND } from './documentSymbols';

/** Lower is better; undefined when the name does not match. */
function score(name: string, query: string): number | undefined {
  if (!query) return 3;
  const n = name.toLowerCase();
  if (n === query) return 0;
  if (n.startsWith(query)) return 1;
  if (n.includes(query)) return 2;
  let i = 0;
  for (const c of n) if (c === query[i]) i++;
  return i === query.length ? 3 : undefined;
}

export function workspaceSymbols(checks: SchemaCheck[], query: string, maxItems: number): SymbolInformation[] {
  const q = query.toLowerCase();
  const found: { s: number; info: SymbolInformation }[] = [];
  const seen = new Set<string>();
  for (const check of checks) {
    for (const def of check.model.definitions) {
      const key = `${def.nameSpan.path}:${def.name}`;
      if (seen.has(key)) continue;
      const s = score(def.name, q);
      if (s === undefined) continue;
      seen.add(key);
      found.push({
        s,
        info: {
          name: def.name,
          kind: SYMBOL_KIND[def.kind],
          containerName: def.kind,
          location: { uri: pathToUri(def.nameSpan.path), range: def.nameSpan.range },
        },
      });
    }
  }
  found.sort((a, b) => a.s - b.s || a.info.name.localeCompare(b.info.name));
  return found.slice(0, maxItems).map((f) => f.info);
}
