// `npm run bench`: every file bench/*.bench.ts registers its benchmarks; this
// runs them in one warm process and prints a table (and bench/out/results.json).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchmarks, type BenchResult } from './registry';

async function main() {
  const only = process.argv[2];
  for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort()) {
    await import(pathToFileURL(join(__dirname, f)).href);
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  console.log(`machine: ${machine}\ndate: ${new Date().toISOString().slice(0, 10)}\n`);
  const all: BenchResult[] = [];
  for (const b of benchmarks) {
    if (only && !b.name.includes(only)) continue;
    const results = await b.run();
    for (const r of results) {
      all.push(r);
      console.log(`${r.name.padEnd(58)} ${r.value.toFixed(r.value < 10 ? 3 : 1).padStart(10)} ${r.unit.padEnd(6)} ${r.reference ?? ''}`);
    }
  }
  mkdirSync(join(__dirname, 'out'), { recursive: true });
  writeFileSync(join(__dirname, 'out', 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), results: all }, null, 2));
}

main().catch((e) => { console.error(e); process.exit(1); });
