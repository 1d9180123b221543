// The first run in the editor, over LSP (the bundled server as a process, a JSON-RPC
// client over stdio, as test/protocol does): time from didOpen of QEMU 10.2's
// migration.json to its first diagnostics in a fresh server (QEMU's checks of the
// whole include tree), to the diagnostics with the doc-example warnings, and edit ->
// diagnostics with the debounce set to 0 (what the server does once the debounce
// fires). Beside each wall time, the server's CPU time (user+system from /proc) over
// the same interval: the machine is shared, so wall times are noisy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedQemu } from '../test/helpers/shared';
import { LspClient } from '../test/helpers/lspClient';
import { register, stats, type BenchResult } from './registry';

const OPENS = 7;
const EDITS = 40;

/** user+system CPU ms of a process so far. */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const isDocExample = (d: { source?: string }) => d.source === 'qapi-doc-example';

register({
  name: 'lsp-firstrun',
  async run() {
    const schema = sharedQemu('schemas/v10.2.0/qapi');
    if (schema.skip) {
      console.log(`lsp-firstrun skipped: ${schema.skip}`);
      return [];
    }
    const path = join(schema.path, 'migration.json');
    const uri = `file://${path}`;
    const text = readFileSync(path, 'utf8');
    const member = "'*avail-switchover-bandwidth': 'size'";
    const before = text.slice(0, text.indexOf(member) + member.length).split('\n');
    const where = { line: before.length - 1, character: before[before.length - 1].length };
    const first: { wall: number; cpu: number }[] = [];
    const withExamples: { wall: number; cpu: number }[] = [];
    const edits: { wall: number; cpu: number }[] = [];
    for (let run = 0; run < OPENS; run++) {
      const client = new LspClient({
        workspaceFolder: schema.path,
        settings: { qemuVersion: 'auto', validation: { delay: 0 } },
      });
      await client.initialize();
      const pid = client.proc.pid!;
      const c0 = cpuMs(pid);
      const t0 = performance.now();
      await client.open(uri, 'qapi', text);
      await client.waitForDiagnostics(uri, () => true, 60_000);
      first.push({ wall: performance.now() - t0, cpu: cpuMs(pid) - c0 });
      await client.waitForDiagnostics(uri, (d) => d.some(isDocExample), 60_000);
      withExamples.push({ wall: performance.now() - t0, cpu: cpuMs(pid) - c0 });
      if (run === OPENS - 1) {
        for (let i = 0; i < EDITS; i++) {
          const v = 2 + i;
          // A keystroke as VS Code sends it: a space typed after the member, then deleted.
          const at = { line: where.line, character: where.character };
          const range = i % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
          const e0 = performance.now();
          const ec = cpuMs(pid);
          await client.changeRange(uri, v, range, i % 2 === 0 ? ' ' : '');
          await client.waitForDiagnostics(uri, (d, version) => version === v && d.some(isDocExample), 60_000);
          edits.push({ wall: performance.now() - e0, cpu: cpuMs(pid) - ec });
        }
      }
      await client.stop();
    }
    const w = (xs: { wall: number }[]) => stats(xs.map((x) => x.wall)).median;
    const c = (xs: { cpu: number }[]) => stats(xs.map((x) => x.cpu)).median;
    const warm = edits.slice(5);
    const results: BenchResult[] = [
      {
        name: 'lsp-firstrun: didOpen migration.json -> first diagnostics (fresh server)',
        value: w(first),
        unit: 'ms',
        reference: '<= 150 ms',
        detail: `server CPU ${c(first).toFixed(0)} ms (median of ${OPENS} servers)`,
      },
      {
        name: 'lsp-firstrun: didOpen migration.json -> diagnostics with doc-example warnings',
        value: w(withExamples),
        unit: 'ms',
        detail: `server CPU ${c(withExamples).toFixed(0)} ms`,
      },
      {
        name: 'lsp-firstrun: edit in migration.json -> diagnostics (debounce 0)',
        value: w(warm),
        unit: 'ms',
        reference: '<= 15 ms after the debounce',
        detail: `server CPU ${(warm.reduce((a, x) => a + x.cpu, 0) / warm.length).toFixed(1)} ms per edit (mean: /proc counts 10 ms ticks); p99 ${stats(warm.map((x) => x.wall)).p99.toFixed(1)} ms wall (median of ${warm.length})`,
      },
    ];
    return results;
  },
});
