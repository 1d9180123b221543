// The language server as a process: memory with the whole 10.2 schema open, time
// until its diagnostics arrive, and memory after a burst of edits (does it come back?).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../test/helpers/shared';
import { LspClient } from '../test/helpers/lspClient';
import { register } from './registry';

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

register({
  name: 'server',
  async run() {
    const dir = join(sharedDir(), 'qemu', 'schemas', 'v10.2.0', 'qapi');
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
    } catch {
      console.log(`server bench skipped: ${dir} not found`);
      return [];
    }
    const client = new LspClient({
      workspaceFolder: dir,
      settings: { qemuVersion: 'auto', validation: { delay: 0 } },
    }); // as the extension starts it (client/src/extension.ts)
    await client.initialize();
    const pid = client.proc.pid!;
    const idle = rssMiB(pid);
    const t0 = performance.now();
    for (const f of files) await client.open(`file://${join(dir, f)}`, 'qapi', readFileSync(join(dir, f), 'utf8'));
    for (const f of files) await client.waitForDiagnostics(`file://${join(dir, f)}`, () => true, 120_000);
    const firstDiagnostics = performance.now() - t0;
    const open = rssMiB(pid);
    // A burst: 500 edits of migration.json, alternating broken and fixed.
    const uri = `file://${join(dir, 'migration.json')}`;
    const text = readFileSync(join(dir, 'migration.json'), 'utf8');
    for (let v = 2; v <= 501; v++) await client.change(uri, v, v % 2 ? text : text.replace("'enum': 'MigrationStatus'", "'enum': 'migration-status'"));
    await client.waitForDiagnostics(uri, (_d, v) => v === 501, 120_000);
    const burst = rssMiB(pid);
    // V8 gives memory back when the process is idle (its memory reducer); sample until it settles.
    const settled: number[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 5000));
      settled.push(rssMiB(pid));
    }
    await client.stop();
    return [
      { name: 'server RSS, idle', value: idle, unit: 'MiB' },
      { name: `server RSS, whole 10.2 schema open (${files.length} files)`, value: open, unit: 'MiB' },
      { name: 'server: open 10.2 schema to all diagnostics published', value: firstDiagnostics, unit: 'ms' },
      { name: 'server RSS right after 500 edits of migration.json', value: burst, unit: 'MiB', reference: `open: ${open.toFixed(0)} MiB` },
      { name: 'server RSS 30 s after the burst (idle)', value: settled.at(-1)!, unit: 'MiB', detail: settled.map((x) => x.toFixed(0)).join(' -> ') },
    ];
  },
});
