// A quick property-based run over mutated QAPI schemas and QMP scripts (the long
// run is `npm run fuzz`), plus every input a fuzz run ever broke us with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { REPO } from '../helpers/shared';
import { checkDocument, fuzzService } from '../fuzz/invariants';
import { mutatedDocArb, qapiSeeds, qmpSeeds } from '../fuzz/mutators';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

describe('fuzz (quick)', () => {
  for (const [language, seeds] of [
    ['qapi', qapiSeeds()],
    ['qmp', qmpSeeds()],
  ] as const) {
    test(`${RUNS} mutated ${language} documents keep every invariant`, { timeout: 600_000 }, () => {
      const ctx = fuzzService();
      fc.assert(
        fc.property(mutatedDocArb(seeds), fc.nat(), (text, probe) => {
          checkDocument(ctx, language, text, probe);
        }),
        { numRuns: RUNS, seed: 20261201, interruptAfterTimeLimit: 240_000 },
      );
    });
  }

  const dir = join(REPO, 'test', 'fixtures', 'fuzz-regressions');
  const cases = readdirSync(dir)
    .filter((f) => /\.(qapi|qmp)\.txt$/.test(f))
    .sort();
  test(`regressions found by earlier fuzz runs (${cases.length})`, () => {
    const ctx = fuzzService();
    for (const f of cases) {
      const language = f.includes('.qmp.') ? 'qmp' : 'qapi';
      const text = readFileSync(join(dir, f), 'utf8');
      for (const probe of [0, 1, 7, text.length >> 1, text.length]) checkDocument(ctx, language, text, probe);
    }
  });

  test('hostile shapes: deep nesting, huge lines, binary, unterminated strings', { timeout: 120_000 }, () => {
    const ctx = fuzzService();
    const big = 'x'.repeat(1 << 20);
    const shapes: ['qapi' | 'qmp', string][] = [
      ['qapi', '['.repeat(100_000)],
      ['qapi', "{ 'a': ".repeat(50_000)],
      ['qapi', `{ 'struct': 'S', 'data': { 'a': 'str' } }\n`.repeat(2000) + "{ 'enum': 'E', 'data': [ 'unterminated"],
      ['qapi', `# ${big}\n`],
      ['qapi', String.fromCharCode(...Array.from({ length: 8192 }, (_, i) => (i * 131) % 65536))],
      ['qmp', '{"execute":'.repeat(50_000)],
      ['qmp', `{"execute": "x", "arguments": {"a": "${big}"}}`],
      ['qmp', '['.repeat(100_000)],
      ['qmp', 'migrate-set-parameters ' + 'a.'.repeat(20_000) + 'b=1'],
      ['qmp', '\u0000\u0001\ud800'.repeat(10_000)],
    ];
    shapes.forEach(([language, text], i) => checkDocument(ctx, language, text, i * 9973));
  });
});
