// Runs the benchmarks registered by one bench/*.bench.ts (scripts/bench.mjs bundles
// each with this file and runs it in its own process), prints a row per figure, and
// writes bench/out/NAME.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../test/helpers/shared';
import { benchmarks, type BenchResult } from './registry';

export async function main(file: string, only: string): Promise<void> {
  const all: BenchResult[] = [];
  for (const b of benchmarks) {
    if (only && !b.name.includes(only)) continue;
    for (const r of await b.run()) {
      all.push(r);
      console.log(`${r.name.padEnd(58)} ${r.value.toFixed(r.value < 10 ? 3 : 1).padStart(10)} ${r.unit.padEnd(6)} ${r.reference ?? ''}`);
    }
  }
  const out = join(REPO, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${file}.json`), JSON.stringify({ date: new Date().toISOString(), results: all }, null, 2));
}
