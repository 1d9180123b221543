// The outline of one file: its definitions with their members, enum values and
// branches, and its includes. At most `maxItems` symbols in all (large files stay fast).
import { basename } from 'node:path';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { DefKind, SchemaCheck } from '../model';
import { typeText } from './describe';
import { schemaIndex } from './schemaIndex';

export const SYMBOL_KIND: Record<DefKind, SymbolKind> = {
  struct: SymbolKind.Struct,
  union: SymbolKind.Class,
  alternate: SymbolKind.Interface,
  enum: SymbolKind.Enum,
  command: SymbolKind.Function,
  event: SymbolKind.Event,
};

export function documentSymbols(check: SchemaCheck, path: string, maxItems: number): DocumentSymbol[] {
  let budget = maxItems;
  const out: DocumentSymbol[] = [];
  const entries: { line: number; symbol: () => DocumentSymbol }[] = [];
  for (const inc of check.model.includes) {
    if (inc.span.path !== path) continue;
    entries.push({
      line: inc.span.range.start.line,
      symbol: () => ({ name: basename(inc.target), detail: 'include', kind: SymbolKind.File, range: inc.span.range, selectionRange: inc.span.range }),
    });
  }
  for (const def of schemaIndex(check).defsByFile.get(path) ?? []) {
    entries.push({
      line: def.span.range.start.line,
      symbol: () => {
        const children: DocumentSymbol[] = [];
        for (const m of def.members) {
          if (budget <= 0) break;
          budget--;
          children.push({
            name: m.name,
            detail: m.role === 'value' ? undefined : `${m.optional ? 'optional ' : ''}${typeText(m.type)}`,
            kind: m.role === 'value' ? SymbolKind.EnumMember : SymbolKind.Field,
            range: m.span.range,
            selectionRange: m.span.range,
          });
        }
        return { name: def.name, detail: def.kind, kind: SYMBOL_KIND[def.kind], range: def.span.range, selectionRange: def.nameSpan.range, children };
      },
    });
  }
  entries.sort((a, b) => a.line - b.line);
  for (const e of entries) {
    if (budget <= 0) break;
    budget--;
    out.push(e.symbol());
  }
  return out;
}
