// Every QAPI editor feature answers (without throwing) on damaged text: random cuts,
// insertions of QAPI punctuation and stray quotes in a fixture file, at random positions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { neverCancelled } from '../../server/src/service/common/cancellation';
import { MIGRATION, language, qapiDoc, settings } from '../helpers/qapiFeatures';

const original = readFileSync(MIGRATION, 'utf8');
const edit = fc.record({
  at: fc.nat({ max: original.length }),
  cut: fc.nat({ max: 40 }),
  insert: fc
    .array(fc.constantFrom("'", '{', '}', '[', ']', ':', ',', '#', '##\n', '\n', ' ', '@x:', "'*", 'struct', '\\'), { maxLength: 6 })
    .map((a) => a.join('')),
});

test('features never throw on damaged schema text', () => {
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), (edits, probes) => {
      let text = original;
      for (const e of edits) {
        const at = Math.min(e.at, text.length);
        text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
      }
      const lang = language({ [MIGRATION]: text });
      const doc = qapiDoc(MIGRATION, text);
      const diagnostics = [...lang.validate(doc, settings, neverCancelled).values()].flat();
      lang.documentSymbols(doc, settings);
      lang.foldingRanges(doc, settings);
      lang.documentLinks(doc, settings);
      lang.status(doc, settings);
      lang.workspaceSymbols('mig', settings);
      for (const p of probes) {
        const pos = doc.positionAt(p % (text.length + 1));
        lang.hover(doc, pos, settings);
        const list = lang.completion(doc, pos, settings);
        assert.ok(Array.isArray(list.items));
        lang.definition(doc, pos, settings);
        lang.references(doc, pos, settings, true);
        lang.migrationInputsAt(doc, pos, settings);
        lang.codeActions(doc, { start: pos, end: pos }, { diagnostics }, settings);
      }
    }),
    { numRuns: 60, seed: 20261201 },
  );
});
