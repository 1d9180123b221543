// Re-records the real migrations kept in bench/recordings-<version>/ (the evidence behind
// BENCHMARKS.md (Simulator vs real QEMU)), or prints the simulator-vs-QEMU table.
//   node --import tsx scripts/record-migrations.ts [--qemu 7.2|10.2] [--missing] [--take N] [names or mechanisms...]
//       records the named cases (all of the version when none is named; a mechanism name such
//       as `multifd` selects its cases); --missing skips cases already recorded; --take N keeps
//       a repeat beside the first (<name>.takeN.jsonl).
//       Needs qemu-system-x86_64 (7.2) or ../shared/qemu/bin/10.2, gcc and binutils; the KVM
//       cases (dirty-limit) need /dev/kvm and a QEMU 10.2 built with KVM named by QEMU_10_2_KVM.
//   node --import tsx scripts/record-migrations.ts --table [folder]   (no QEMU; default both folders)
//   node --import tsx scripts/record-migrations.ts --summary          (the per-mechanism table of BENCHMARKS.md)
//   node --import tsx scripts/record-migrations.ts --fidelity         (rewrites the simulator's table of measured errors)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { CASES } from '../test/qemu/migration/cases';
import { compareRecording } from '../test/qemu/migration/compare';
import { casesFor } from '../test/qemu/migration/mechanisms';
import { recordMigration, type MigrationCase, type QemuUnderTest } from '../test/qemu/migration/record';
import { compareAll, FIDELITY_SOURCE, measuredErrors, summarise, summaryTable, withTable } from '../test/qemu/migration/fidelity';
import { decimate, observe, parseRecording, serialize } from '../test/qemu/migration/recording';
import { markdownTable } from '../test/qemu/migration/report';

const BENCH = resolve(__dirname, '..', 'bench');
const folder = (v: QemuUnderTest) => join(BENCH, `recordings-${v}`);
const MAX_BYTES = 120_000;

/**
 * TCG's speed, and so the guest's, follows the host's load: wait (up to `seconds`) until
 * the 1-minute load average is below the CPU count, and say when it never was. The
 * recording keeps the load and what the guest and sender achieved either way.
 */
async function quietHost(seconds: number): Promise<void> {
  for (let waited = 0; loadavg()[0] >= cpus().length; waited += 5) {
    if (waited >= seconds) {
      if (seconds === 0) return;
      console.warn(`host still loaded (load ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs); recording anyway`);
      return;
    }
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

/** The 7.2 calibration cases (exec destination) and the mechanism cases of the version. */
function known(v: QemuUnderTest): (MigrationCase & { mechanism?: string })[] {
  return [...(v === '7.2' ? CASES : []), ...casesFor(v)];
}

async function record(v: QemuUnderTest, names: string[], missing: boolean, take?: string): Promise<void> {
  const all = known(v);
  const unknown = names.filter((n) => !all.some((c) => c.name === n || c.mechanism === n));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')} for QEMU ${v}; known: ${all.map((c) => c.name).join(', ')}`);
  const out = folder(v);
  mkdirSync(out, { recursive: true });
  for (const c of all.filter((x) => names.length === 0 || names.includes(x.name) || names.includes(x.mechanism ?? ''))) {
    // --take N keeps a repeat of a case beside the first (<name>.take<N>.jsonl; same header name).
    const file = join(out, take ? `${c.name}.take${take}.jsonl` : `${c.name}.jsonl`);
    if (missing && existsSync(file)) continue;
    if (c.accel === 'kvm' && !existsSync('/dev/kvm')) {
      console.warn(`${v} ${c.name}: skipped: it runs under KVM and this machine has no /dev/kvm`);
      continue;
    }
    // The host here is rarely quiet (other jobs): wait a little only for the CPU-bound writer.
    await quietHost(c.autoConverge ? 30 : 0);
    let text: string;
    try {
      text = serialize(decimate(await recordMigration({ ...c, qemu: v }), MAX_BYTES));
    } catch (e) {
      console.error(`${v} ${c.name}: FAILED: ${e instanceof Error ? e.message : e}`);
      continue;
    }
    writeFileSync(file, text);
    const o = observe(parseRecording(text));
    console.log(
      `${v} ${c.name}: ${o.converged ? `${o.postcopy ? 'postcopy ' : ''}switched at ${o.seconds.toFixed(2)} s, downtime ${o.downtimeMs} ms` : `not converged at ${o.seconds.toFixed(1)} s`}, ` +
        `${o.dirtySyncCount} syncs, ${(o.transferredBytes / 1e6).toFixed(1)} MB, guest ${(o.guestWriteBytesPerSecond / 2 ** 20).toFixed(1)} MiB/s, load ${loadavg()[0].toFixed(1)}`,
    );
  }
}

function table(dirs: string[]): void {
  for (const dir of dirs) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    console.log(`\n${dir}\n`);
    console.log(markdownTable(files.map((f) => compareRecording(parseRecording(readFileSync(join(dir, f), 'utf8'))))));
  }
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const option = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const run = async () => {
  if (flag('--fidelity')) {
    writeFileSync(FIDELITY_SOURCE, withTable(readFileSync(FIDELITY_SOURCE, 'utf8'), measuredErrors(summarise(compareAll()))));
    return console.log(`wrote the measured errors into ${FIDELITY_SOURCE}`);
  }
  if (flag('--summary')) return console.log(summaryTable(summarise(compareAll())));
  if (flag('--table')) return table(args.length ? args.map((a) => resolve(a)) : (['7.2', '10.2'] as const).map(folder).filter(existsSync));
  const v = option('--qemu') ?? '7.2';
  if (v !== '7.2' && v !== '10.2') throw new Error(`--qemu must be 7.2 or 10.2, got ${v}`);
  const missing = flag('--missing');
  const take = option('--take');
  if (take !== undefined && !/^[2-9]$/.test(take)) throw new Error(`--take must be 2-9, got ${take}`);
  return record(v, args, missing, take);
};
run().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
