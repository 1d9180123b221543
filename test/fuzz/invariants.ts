// What must hold for any document: no internal error escapes (the facade's guard
// logs what it catches, and the log must stay empty), every range lies inside the
// document, the same text gives the same diagnostics, and nothing hangs.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { memoryFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';

export const FUZZ_DIR = '/fuzz/qemu/qapi';

export function fuzzService() {
  const internalErrors: string[] = [];
  const files = memoryFiles({ '/fuzz/qemu/VERSION': '10.2.0\n' });
  const service = createLanguageService({ files, log: (m) => internalErrors.push(m) });
  return { service, internalErrors };
}

function inside(doc: TextDocument, r: Range): boolean {
  const lines = doc.lineCount;
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < Math.max(lines, 1);
  return ok(r.start) && ok(r.end) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
}

/** Runs every feature once on `text`; throws (an assertion) when an invariant breaks. */
export function checkDocument(ctx: ReturnType<typeof fuzzService>, languageId: 'qapi' | 'qmp', text: string, probe: number): void {
  ctx.internalErrors.length = 0; // each document is judged on its own (and shrinking stays meaningful)
  const uri = languageId === 'qapi' ? `file://${FUZZ_DIR}/qapi-schema.json` : 'file:///fuzz/script.qmp';
  const doc = TextDocument.create(uri, languageId, 1, text);
  const settings = { ...defaultSettings, qemuVersion: probe % 3 === 0 ? '7.2' : 'auto' };
  const started = performance.now();
  const first = ctx.service.validate(doc, settings);
  const second = ctx.service.validate(doc, settings);
  assert.deepEqual(serialise(second), serialise(first), 'same text must give the same diagnostics');
  const own = first.get(uri.replace('file://', '')) ?? [];
  for (const d of own) assert.ok(inside(doc, d.range), `diagnostic range outside the document: ${JSON.stringify(d.range)} (${d.message})`);
  const pos = doc.positionAt(text.length ? probe % (text.length + 1) : 0);
  ctx.service.hover(doc, pos, settings);
  ctx.service.completion(doc, pos, settings);
  ctx.service.documentSymbols(doc, settings);
  ctx.service.foldingRanges(doc, settings);
  ctx.service.definition(doc, pos, settings);
  ctx.service.codeActions(doc, { start: pos, end: pos }, { diagnostics: own }, settings);
  ctx.service.migrationInputsAt(doc, pos, settings);
  // A hang guard, not a speed test: generous bound per KB (speed is measured by `npm run bench`).
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 2000 + 20 * (text.length / 1024), `took ${elapsed.toFixed(0)} ms for ${text.length} chars`);
  assert.deepEqual(ctx.internalErrors, [], 'an exception escaped a language feature');
}

function serialise(m: Map<string, Diagnostic[]>): string {
  return JSON.stringify([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
