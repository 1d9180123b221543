// The C side of a QEMU tree: indexing every .c/.h for generated identifiers (target:
// a whole QEMU 10.2 tree, ~6,600 files, <= 2 s), re-indexing one changed file, the
// longest slice the server's background build takes (what a request can wait behind),
// and the wiring check. The tree is generated in /tmp from the shared 10.2 C tree,
// copied until it has as many files and bytes as QEMU 10.2's (6,651 files, 72 MiB);
// with QEMU's git history on the machine, QEMU 10.2's own full tree is measured too.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedFiles, diskFiles } from '../server/src/service/common/files';
import { defaultSettings } from '../server/src/service/common/settings';
import { CIdentifierIndex } from '../server/src/service/csource/cIndex';
import { findQemuTree, listCFiles, treeAccess, type QemuTree } from '../server/src/service/csource/qemuTree';
import { wiringCheck } from '../server/src/service/csource/wiringCheck';
import { createQapiLanguage } from '../server/src/service/qapi/index';
import { sharedQemu } from '../test/helpers/shared';
import { register, stats, time, type BenchResult } from './registry';

const FULL_FILES = 6651;
const FULL_BYTES = 72 * 1024 * 1024;
const MIRROR = '/work/.mirror/pbo-linaro+qemu-ci/repo';

function cFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) cFiles(p, out);
    else if (/\.[ch]$/.test(e.name)) out.push(p);
  }
  return out;
}

/** A tree of QEMU 10.2's size: VERSION, qapi/, and copies of the shared C folders. */
function generatedTree(source: string): string {
  const root = join(tmpdir(), 'qapi-qmp-bench-ctree');
  const files = cFiles(source);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const copies = Math.max(Math.ceil(FULL_FILES / files.length), Math.ceil(FULL_BYTES / bytes));
  const marker = join(root, `.complete-${copies}`);
  if (!existsSync(marker)) {
    mkdirSync(root, { recursive: true });
    cpSync(join(source, 'VERSION'), join(root, 'VERSION'));
    cpSync(join(source, 'qapi'), join(root, 'qapi'), { recursive: true });
    for (let i = 0; i < copies; i++) {
      for (const part of ['migration', 'include']) cpSync(join(source, part), join(root, i ? `copy${i}/${part}` : part), { recursive: true });
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

function measureIndex(label: string, tree: QemuTree): BenchResult[] {
  const access = treeAccess(diskFiles);
  const build = () => {
    const index = new CIdentifierIndex(access);
    index.enqueue(listCFiles(tree, access));
    index.drain();
    return index;
  };
  build(); // warm: the OS file cache and the JIT
  let index = build();
  const cpu: number[] = [];
  const full = stats(
    Array.from({ length: 5 }, () => {
      const c0 = process.cpuUsage();
      const ms = time(() => {
        index = build();
      });
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      return ms;
    }),
  );
  const cpuMedian = stats(cpu).median;

  // The server's way: slices of at most 8 ms; the longest is what a request can wait behind.
  const sliced = new CIdentifierIndex(access);
  sliced.enqueue(listCFiles(tree, access));
  const slices: number[] = [];
  while (!sliced.done) slices.push(time(() => sliced.step(8)));

  const one = join(tree.root, 'migration/options.c');
  const text = readFileSync(one, 'utf8');
  const again = stats(Array.from({ length: 50 }, (_, i) => time(() => index.indexText(one, text + `\n// ${i}\n`))));
  const detail = `${index.filesIndexed} files, ${(index.bytesIndexed / 2 ** 20).toFixed(1)} MiB, ${index.identifierCount} distinct identifiers`;
  return [
    {
      name: `C index, ${label}: whole tree`,
      value: full.median,
      unit: 'ms',
      reference: '<= 2000 ms',
      detail: `${detail}; median of 5, min ${full.min.toFixed(0)} ms; CPU time ${cpuMedian.toFixed(0)} ms (the machine is shared: wall time follows the load average)`,
    },
    {
      name: `C index, ${label}: longest background slice`,
      value: Math.max(...slices),
      unit: 'ms',
      reference: 'a request waits at most one slice (8 ms budget + one file)',
      detail: `${slices.length} slices`,
    },
    {
      name: `C index, ${label}: re-index options.c after a change`,
      value: again.median,
      unit: 'ms',
      reference: 'incremental: one file',
      detail: `p99 ${again.p99.toFixed(2)} ms`,
    },
  ];
}

register({
  name: 'csource',
  run() {
    const shared = sharedQemu('c-trees/v10.2.0');
    if (shared.skip) return [];
    const out: BenchResult[] = [];
    const generated = findQemuTree(generatedTree(shared.path), diskFiles)!;
    out.push(...measureIndex('generated 10.2-size tree', generated));
    const real = realTree();
    if (real) out.push(...measureIndex('QEMU 10.2 from git', findQemuTree(real, diskFiles)!));

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
