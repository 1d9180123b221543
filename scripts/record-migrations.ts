// Re-records the QEMU 7.2 migrations kept in bench/recordings-7.2 (the evidence behind
// BENCHMARKS.md (Simulator vs real QEMU 7.2)), or prints the simulator-vs-QEMU table for recordings.
//   node --import tsx scripts/record-migrations.ts [case names...]   (needs qemu-system-x86_64, gcc, binutils; a few minutes)
//   node --import tsx scripts/record-migrations.ts --table [folder]  (no QEMU; default bench/recordings-7.2)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { CASES } from '../test/qemu/migration/cases';
import { compareRecording } from '../test/qemu/migration/compare';
import { recordMigration } from '../test/qemu/migration/record';
import { decimate, observe, parseRecording, serialize } from '../test/qemu/migration/recording';
import { markdownTable } from '../test/qemu/migration/report';

const OUT = resolve(__dirname, '..', 'bench', 'recordings-7.2');
const MAX_BYTES = 200_000;

/**
 * TCG's speed, and so the guest's, follows the host's load: wait (up to 5 min) until
 * the 1-minute load average is below the CPU count, and say when it never was.
 */
async function quietHost(): Promise<void> {
  for (let waited = 0; loadavg()[0] >= cpus().length; waited += 10) {
    if (waited >= 300) {
      console.warn(`host still loaded (load ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs); recording anyway`);
      return;
    }
    await new Promise((r) => setTimeout(r, 10_000));
  }
}

async function record(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; known: ${CASES.map((c) => c.name).join(', ')}`);
  mkdirSync(OUT, { recursive: true });
  for (const c of CASES.filter((x) => names.length === 0 || names.includes(x.name))) {
    await quietHost();
    const text = serialize(decimate(await recordMigration(c), MAX_BYTES));
    writeFileSync(join(OUT, `${c.name}.jsonl`), text);
    const o = observe(parseRecording(text));
    console.log(`${c.name}: ${o.converged ? `converged at ${o.seconds.toFixed(2)} s, downtime ${o.downtimeMs} ms` : `not converged at ${o.seconds.toFixed(1)} s`}, `
      + `${o.dirtySyncCount} syncs, ${(o.transferredBytes / 1e6).toFixed(1)} MB, guest ${(o.guestWriteBytesPerSecond / 2 ** 20).toFixed(1)} MiB/s`);
  }
}

function table(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  console.log(markdownTable(files.map((f) => compareRecording(parseRecording(readFileSync(join(dir, f), 'utf8'))))));
}

const args = process.argv.slice(2);
(args[0] === '--table' ? Promise.resolve(table(resolve(args[1] ?? OUT))) : record(args)).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
