// The first run, side by side with QEMU's own frontend: the whole-process
// `qapi-qmp check` of QEMU's 10.2 schema and of migration.json (what opening it
// costs before the first diagnostics, process start included), interleaved with
// QEMU 10.2's Python frontend on the same schema; and edit -> diagnostics in a warm
// language service (QEMU's checks plus the doc-example warnings), the LSP's work
// after the debounce. Wall time and CPU time (user+system, from /usr/bin/time): on
// a loaded machine the CPU figures and the ratio are the steadier ones.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CachedFiles, diskFiles, overlayFiles } from '../server/src/service/common/files';
import { defaultSettings } from '../server/src/service/common/settings';
import { createLanguageService } from '../server/src/service/languageService';
import { sharedQemu } from '../test/helpers/shared';
import { register, stats, type BenchResult } from './registry';

const RUNS = 7;
const CLI = resolve('dist/cli.js');

/** Wall and CPU ms of a whole process. */
function proc(cmd: string, args: string[]): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

const med = (xs: number[]) => stats(xs).median;

register({
  name: 'qapi-firstrun',
  run() {
    const schema = sharedQemu('schemas/v10.2.0/qapi');
    const frontend = sharedQemu('qapi-frontend/v10.2.0');
    if (schema.skip || frontend.skip || !existsSync(CLI) || !existsSync('/usr/bin/time')) return [];
    const root = join(schema.path, 'qapi-schema.json');
    const migration = join(schema.path, 'migration.json');
    const py = `import sys; sys.path.insert(0, ${JSON.stringify(frontend.path)}); from qapi.schema import QAPISchema; QAPISchema(sys.argv[1])`;
    const ours: { wall: number; cpu: number }[] = [];
    const qemu: { wall: number; cpu: number }[] = [];
    const mig: { wall: number; cpu: number }[] = [];
    // Debian's python3 itself (a pyenv shim on PATH adds ~0.3 s of shell to every start), with
    // its bytecode cached as QEMU's build has it (../shared is read-only, so in a temp dir).
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    process.env.PYTHONPYCACHEPREFIX = join(tmpdir(), 'qapi-bench-pycache');
    proc(python, ['-c', py, root]);
    for (let i = 0; i < RUNS; i++) {
      ours.push(proc(process.execPath, [CLI, 'check', root]));
      qemu.push(proc(python, ['-c', py, root]));
      mig.push(proc(process.execPath, [CLI, 'check', migration]));
    }
    const w = (xs: { wall: number }[]) => med(xs.map((x) => x.wall));
    const c = (xs: { cpu: number }[]) => med(xs.map((x) => x.cpu));
    const results: BenchResult[] = [
      {
        name: 'qapi-firstrun: whole-process `qapi-qmp check` of the 10.2 schema',
        value: w(ours),
        unit: 'ms',
        reference: `>= 3x faster than QEMU's frontend; QEMU here: ${w(qemu).toFixed(0)} ms wall, ${c(qemu).toFixed(0)} ms CPU`,
        detail: `CPU ${c(ours).toFixed(0)} ms; ratio QEMU/ours: ${(w(qemu) / w(ours)).toFixed(2)}x wall, ${(c(qemu) / c(ours)).toFixed(2)}x CPU (median of ${RUNS}, interleaved)`,
      },
      {
        name: 'qapi-firstrun: whole-process `qapi-qmp check migration.json` (first diagnostics, process start included)',
        value: w(mig),
        unit: 'ms',
        reference: '<= 150 ms',
        detail: `CPU ${c(mig).toFixed(0)} ms`,
      },
    ];

    // Edit -> diagnostics in a warm service: what the server does once the debounce fires.
    const text = readFileSync(migration, 'utf8');
    const overlay = new Map<string, string>();
    const service = createLanguageService({ files: overlayFiles(overlay, new CachedFiles(diskFiles, Infinity)) });
    const validate = (t: string, v: number) => {
      overlay.set(migration, t);
      return service.validate(TextDocument.create(`file://${migration}`, 'qapi', v, t), defaultSettings);
    };
    for (let i = 0; i < 5; i++) validate(text, i);
    const edits: number[] = [];
    for (let i = 0; i < 30; i++) {
      const edited = text.replace("'*avail-switchover-bandwidth': 'size'", `'*avail-switchover-bandwidth': 'size'${' '.repeat(i + 1)}`);
      const t0 = process.hrtime.bigint();
      validate(edited, 10 + i);
      edits.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const e = stats(edits.slice(5));
    results.push({
      name: 'qapi-firstrun: edit in migration.json -> diagnostics (warm service, with doc-example warnings)',
      value: e.median,
      unit: 'ms',
      reference: '<= 15 ms after the debounce',
      detail: `p99 ${e.p99.toFixed(1)} ms`,
    });
    return results;
  },
});
