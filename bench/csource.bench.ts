// The C side of a QEMU tree: indexing every .c/.h for generated identifiers (target:
// a whole QEMU 10.2 tree, ~6,600 files, <= 2 s, never holding up the server's thread),
// the server's way (worker threads; its thread only merges results) and at once on one
// thread (CLI); re-indexing one changed file; the wiring check. Two trees: one generated
// in /tmp of QEMU 10.2's size (6,651 files, 72 MiB, each file made of consecutive shared
// 10.2 C files), and, with QEMU's git history on the machine, QEMU 10.2's own.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { workerIndexBuilder } from '../server/src/lsp/cIndexBuilder';
import { CachedFiles, diskFiles } from '../server/src/service/common/files';
import { defaultSettings } from '../server/src/service/common/settings';
import { CIdentifierIndex } from '../server/src/service/csource/cIndex';
import { findQemuTree, listCFiles, type QemuTree, type TreeAccess, treeAccess } from '../server/src/service/csource/qemuTree';
import { wiringCheck } from '../server/src/service/csource/wiringCheck';
import { createQapiLanguage } from '../server/src/service/qapi/index';
import { sharedQemu } from '../test/helpers/shared';
import { register, stats, time, type BenchResult } from './registry';

const FULL_FILES = 6651;
const FULL_BYTES = 72 * 1024 * 1024;
const MIRROR = '/work/.mirror/pbo-linaro+qemu-ci/repo';
/** The server's worker script, built by `npm run build` (which `npm run bench` runs first). */
const WORKER = join(__dirname, '..', '..', 'dist', 'cindex.js');

function cFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) cFiles(p, out);
    else if (/\.[ch]$/.test(e.name)) out.push(p);
  }
  return out;
}

/** A tree of QEMU 10.2's size: VERSION, qapi/, and FULL_FILES files of FULL_BYTES in all, each made of consecutive shared C files. */
function generatedTree(source: string): string {
  const root = join(tmpdir(), 'qapi-qmp-bench-ctree-full');
  const marker = join(root, `.complete-${FULL_FILES}-${FULL_BYTES}`);
  if (!existsSync(marker)) {
    const files = [...cFiles(join(source, 'migration')), ...cFiles(join(source, 'include'))];
    const texts = files.map((f) => readFileSync(f));
    mkdirSync(root, { recursive: true });
    cpSync(join(source, 'VERSION'), join(root, 'VERSION'));
    cpSync(join(source, 'qapi'), join(root, 'qapi'), { recursive: true });
    let next = 0;
    let left = FULL_BYTES;
    for (let i = 0; i < FULL_FILES; i++) {
      const want = left / (FULL_FILES - i);
      const parts: Buffer[] = [];
      let size = 0;
      const name = basename(files[next % files.length]);
      while (size < want) {
        const t = texts[next++ % texts.length];
        parts.push(t);
        size += t.length;
      }
      left -= size;
      const dir = join(root, `part${Math.floor(i / 500)}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${i}-${name}`), Buffer.concat(parts));
    }
    writeFileSync(marker, '');
  }
  return root;
}

/** QEMU 10.2's own .c/.h files, VERSION and qapi/, from the git history (once). */
function realTree(): string | undefined {
  if (!existsSync(MIRROR)) return undefined;
  const root = join(tmpdir(), 'qapi-qmp-bench-qemu-10.2');
  if (!existsSync(join(root, '.complete'))) {
    mkdirSync(root, { recursive: true });
    const r = spawnSync('sh', ['-c', `git -C '${MIRROR}' archive 698104725e | tar -x -C '${root}' --wildcards '*.c' '*.h' VERSION 'qapi/*'`]);
    if (r.status !== 0) return undefined;
    writeFileSync(join(root, '.complete'), '');
  }
  return root;
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

/** The server's way: worker threads list, read and scan; this thread merges. */
async function buildWithWorkers(tree: QemuTree, access: TreeAccess) {
  const index = new CIdentifierIndex(access);
  const merges: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const how = await new Promise<string>((resolve, reject) => {
    const started = workerIndexBuilder({ script: WORKER, onMerge: (ms) => merges.push(ms) })(tree, index, resolve, () => reject(new Error('worker failed')));
    if (!started) reject(new Error(`no worker script at ${WORKER} (npm run build)`));
  });
  const wall = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(c0));
  delay.disable();
  return { index, how, wall, cpu, merges, delayMax: delay.max / 1e6, delayP99: delay.percentile(99) / 1e6 };
}

async function measureIndex(label: string, tree: QemuTree, optionsC: string): Promise<BenchResult[]> {
  const access = treeAccess(diskFiles);
  const build = () => {
    const index = new CIdentifierIndex(access);
    index.enqueue(listCFiles(tree, access));
    index.drain();
    return index;
  };
  await buildWithWorkers(tree, access); // warm: the OS file cache and the JIT
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await buildWithWorkers(tree, access));
  const wall = stats(runs.map((r) => r.wall));
  const cpu = stats(runs.map((r) => r.cpu));
  const merges = runs.flatMap((r) => r.merges);
  const { index } = runs[0];

  build();
  let here = build();
  const hereCpu: number[] = [];
  const hereWall = stats(
    Array.from({ length: 5 }, () => {
      const c0 = process.cpuUsage();
      const ms = time(() => {
        here = build();
      });
      hereCpu.push(cpuMs(process.cpuUsage(c0)));
      return ms;
    }),
  );

  // Without the worker script: slices of at most 8 ms on the server's thread.
  const sliced = new CIdentifierIndex(access);
  sliced.enqueue(listCFiles(tree, access));
  const slices: number[] = [];
  while (!sliced.done) slices.push(time(() => sliced.step(8)));

  // QEMU 10.2's migration/options.c (49 KB), as if edited, in the tree's place for it.
  const one = join(tree.root, 'migration/options.c');
  const text = readFileSync(optionsC, 'utf8');
  const again = stats(Array.from({ length: 50 }, (_, i) => time(() => here.indexText(one, text + `\n// ${i}\n`))));
  const lookups = stats(Array.from({ length: 20 }, () => time(() => index.lookup('MigrationParameters', 'MIGRATION_PARAMETER_MAX_BANDWIDTH', 'qmp_migrate'))));
  const detail = `${index.filesIndexed} files, ${(index.bytesIndexed / 2 ** 20).toFixed(1)} MiB, ${index.identifierCount} distinct identifiers`;
  return [
    {
      name: `C index, ${label}: whole tree, server (${runs[0].how})`,
      value: wall.median,
      unit: 'ms',
      reference: '<= 2000 ms',
      detail: `${detail}; median of 5, min ${wall.min.toFixed(0)} ms; CPU time (all threads) median ${cpu.median.toFixed(0)} ms, min ${cpu.min.toFixed(0)} ms`,
    },
    {
      name: `C index, ${label}: longest merge on the server's thread`,
      value: Math.max(...merges),
      unit: 'ms',
      reference: 'a request or QAPI re-check waits at most this',
      detail: `${merges.length} merges in 5 builds, median ${stats(merges).median.toFixed(2)} ms, p99 ${stats(merges).p99.toFixed(2)} ms, all merges of a build ${(merges.reduce((a, b) => a + b, 0) / runs.length).toFixed(0)} ms; event-loop delay max ${Math.max(...runs.map((r) => r.delayMax)).toFixed(1)} ms, p99 ${Math.max(...runs.map((r) => r.delayP99)).toFixed(1)} ms`,
    },
    {
      name: `C index, ${label}: whole tree at once on one thread (CLI)`,
      value: hereWall.median,
      unit: 'ms',
      reference: '<= 2000 ms',
      detail: `median of 5, min ${hereWall.min.toFixed(0)} ms; CPU time median ${stats(hereCpu).median.toFixed(0)} ms`,
    },
    {
      name: `C index, ${label}: longest slice without workers (fallback)`,
      value: Math.max(...slices),
      unit: 'ms',
      reference: '8 ms budget + one file',
      detail: `${slices.length} slices; the first lists the tree`,
    },
    {
      name: `C index, ${label}: re-index options.c after a change`,
      value: again.median,
      unit: 'ms',
      reference: 'incremental: one file',
      detail: `p99 ${again.p99.toFixed(2)} ms`,
    },
    {
      name: `C index, ${label}: look up 3 identifiers`,
      value: lookups.median,
      unit: 'ms',
      reference: 'per references/definition request',
      detail: `p99 ${lookups.p99.toFixed(2)} ms`,
    },
  ];
}

register({
  name: 'csource',
  async run() {
    const shared = sharedQemu('c-trees/v10.2.0');
    if (shared.skip) return [];
    const out: BenchResult[] = [];
    const generated = findQemuTree(generatedTree(shared.path), diskFiles)!;
    const optionsC = join(shared.path, 'migration/options.c');
    out.push(...(await measureIndex('generated 10.2-size tree', generated, optionsC)));
    const real = realTree();
    if (real) out.push(...(await measureIndex('QEMU 10.2 from git', findQemuTree(real, diskFiles)!, optionsC)));

    // The wiring check on the shared 10.2 tree: the first run parses the C files, later ones reuse them.
    const tree = findQemuTree(shared.path, diskFiles)!;
    // Through cached reads, as in the server (a file is read again only after it changes).
    const files = new CachedFiles(diskFiles, Infinity);
    const check = createQapiLanguage(files).checkSchemaOf(tree.schemaRoot, defaultSettings);
    const access = treeAccess(files);
    const first = time(() => wiringCheck(check, tree, access));
    const warm = stats(Array.from({ length: 30 }, () => time(() => wiringCheck(check, tree, access))));
    out.push({ name: 'wiring check, QEMU 10.2: first (reads migration/*.c)', value: first, unit: 'ms', reference: 'once per C change' });
    out.push({
      name: 'wiring check, QEMU 10.2: again (per QAPI re-check)',
      value: warm.median,
      unit: 'ms',
      reference: 'adds to every migration.json re-check',
      detail: `p99 ${warm.p99.toFixed(2)} ms`,
    });
    return out;
  },
});
