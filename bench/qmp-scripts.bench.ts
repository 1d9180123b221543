// Many small QMP scripts in one run against QAPI sources: `qapi-qmp check --schema
// qapi-schema.json DIR` over 1,456 one-command scripts (the commands of QEMU's own
// iotests when QEMU's git history is on the machine, else the 7.2 differential
// corpus). The QMP schema is built from the QAPI tree once per schema version, not
// once per script (it took 31 s when it was).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../server/src/cli/check';
import { REPO, sharedQemu } from '../test/helpers/shared';
import { CORPUS_7_2 } from '../test/qemu/corpus72';
import { iotestsCorpus, iotestsSkipReason } from '../test/qemu/iotestsCorpus';
import { register, stats, type BenchResult } from './registry';

const SCRIPTS = 1456;

/** CPU time of the children this process has reaped (/proc/self/stat cutime + cstime), in ms. */
function childCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

register({
  name: 'qmp-scripts',
  run() {
    const schema = sharedQemu('schemas/v10.2.0/qapi/qapi-schema.json');
    if (schema.skip) {
      console.log(`qmp-scripts: skipped: ${schema.skip}`);
      return [];
    }
    const fromIotests = !iotestsSkipReason();
    const commands = fromIotests ? iotestsCorpus('10.2').flatMap((f) => f.commands.map((c) => c.send)) : CORPUS_7_2.map((e) => e.send);
    const dir = mkdtempSync(join(tmpdir(), 'qmp-scripts-bench-'));
    try {
      for (let i = 0; i < SCRIPTS; i++) writeFileSync(join(dir, `s${i}.qmp`), commands[i % commands.length] + '\n');
      const source = fromIotests ? 'commands of QEMU 10.2 iotests' : 'the 7.2 differential corpus';
      const args = { values: { schema: schema.path, 'qemu-version': '10.2' }, positionals: [dir] };
      const sink = { write: () => true } as unknown as NodeJS.WritableStream;
      // In this process: the first run (nothing cached), wall and CPU time.
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      runCheck(args, sink);
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = process.cpuUsage(cpu0);
      const out: BenchResult[] = [
        {
          name: `check ${SCRIPTS} one-command scripts, --schema 10.2, first run`,
          value: wall,
          unit: 'ms',
          reference: '<= 5000 ms (was 31 s: QMP schema rebuilt per script)',
          detail: `process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; ${source}`,
        },
      ];
      // The whole CLI process, as a user runs it (bundled dist/cli.js), median of 3.
      const cli = join(REPO, 'dist', 'cli.js');
      const samples: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < 3; i++) {
        const c0 = childCpuMs();
        const s0 = process.hrtime.bigint();
        const r = spawnSync(process.execPath, [cli, 'check', '--schema', schema.path, '--qemu-version', '10.2', dir], { stdio: 'ignore' });
        if (r.error) throw r.error;
        samples.push(Number(process.hrtime.bigint() - s0) / 1e6);
        cpus.push(childCpuMs() - c0);
      }
      out.push({
        name: `qapi-qmp check process, ${SCRIPTS} scripts, --schema 10.2`,
        value: stats(samples).median,
        unit: 'ms',
        reference: '<= 5000 ms',
        detail: `median of 3 processes (start-up included), CPU ${stats(cpus).median.toFixed(0)} ms; ${source}`,
      });
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
