// Re-records the QEMU 7.2 migrations kept in bench/recordings-7.2 (the evidence behind
// BENCHMARKS-calibration.md). Needs qemu-system-x86_64, gcc and binutils; takes a few
// minutes. Usage: node --import tsx scripts/record-migrations.ts [case names...]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CASES } from '../test/qemu/migration/cases';
import { recordMigration } from '../test/qemu/migration/record';
import { decimate, observe, parseRecording, serialize } from '../test/qemu/migration/recording';

const OUT = resolve(__dirname, '..', 'bench', 'recordings-7.2');
const MAX_BYTES = 200_000;

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; known: ${CASES.map((c) => c.name).join(', ')}`);
  mkdirSync(OUT, { recursive: true });
  for (const c of CASES.filter((x) => names.length === 0 || names.includes(x.name))) {
    const text = serialize(decimate(await recordMigration(c), MAX_BYTES));
    writeFileSync(join(OUT, `${c.name}.jsonl`), text);
    const o = observe(parseRecording(text));
    console.log(`${c.name}: ${o.converged ? `converged at ${o.seconds.toFixed(2)} s, downtime ${o.downtimeMs} ms` : `not converged at ${o.seconds.toFixed(1)} s`}, `
      + `${o.dirtySyncCount} syncs, ${(o.transferredBytes / 1e6).toFixed(1)} MB, guest ${(o.guestWriteBytesPerSecond / 2 ** 20).toFixed(1)} MiB/s`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
