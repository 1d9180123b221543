// `npm run fuzz [-- COUNT]`: the long fuzz run (default 1,000,000 documents, half
// QAPI, half QMP). Prints progress and a summary line for FUZZING.md; a failing
// input is saved to test/fixtures/fuzz-regressions/ so it becomes a regression test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO } from '../helpers/shared';
import { checkDocument, fuzzService } from './invariants';
import { mutatedDocArb, qapiSeeds, qmpSeeds } from './mutators';

const total = Number(process.argv[2] ?? 1_000_000);
const chunk = 10_000;
const started = Date.now();
let done = 0;
let failures = 0;
const langs = [
  ['qapi', mutatedDocArb(qapiSeeds())],
  ['qmp', mutatedDocArb(qmpSeeds())],
] as const;

for (let seed = 1; done < total; seed++) {
  const [language, arb] = langs[seed % 2];
  const runs = Math.min(chunk, total - done);
  const ctx = fuzzService(); // fresh per chunk, so caches do not grow across the whole run
  const r = fc.check(
    fc.property(arb, fc.nat(), (text, probe) => checkDocument(ctx, language, text, probe)),
    { numRuns: runs, seed },
  );
  done += runs;
  if (r.failed) {
    failures++;
    const [text] = r.counterexample as [string, number];
    const dir = join(REPO, 'test', 'fixtures', 'fuzz-regressions');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `seed${seed}.${language}.txt`);
    writeFileSync(file, text);
    console.error(`FAILURE (seed ${seed}, ${language}): ${String(r.errorInstance).split('\n')[0]}\n  saved to ${file}`);
  }
  if (seed % 10 === 0 || done >= total) {
    const s = (Date.now() - started) / 1000;
    console.log(`${done} documents, ${failures} failing chunks, ${s.toFixed(0)} s (${(done / s).toFixed(0)} docs/s)`);
  }
}
console.log(`fuzz: ${done} documents, ${failures} failures, ${((Date.now() - started) / 1000).toFixed(0)} s, on ${new Date().toISOString().slice(0, 10)}`);
process.exitCode = failures ? 1 : 0;
