// The QAPI checker on QEMU's whole 10.2 schema (46 files, 26,417 lines), files held
// in memory so the figures are the checker's own: a full check (every file parsed)
// in a warm process, a re-check after a one-line edit in migration.json (only that
// file re-parsed), and 1x/4x/16x copies of the schema to show linear growth.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryFiles } from '../server/src/service/common/files';
import { defaultSettings } from '../server/src/service/common/settings';
import { QapiProject } from '../server/src/service/qapi/project';
import { sharedQemu } from '../test/helpers/shared';
import { register, stats, time, type BenchResult } from './registry';

const settings = { ...defaultSettings, qemuVersion: '10.2' };

/** Wall time and process CPU time of one call, in ms (CPU time is the steadier figure on a busy machine). */
function both(f: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const wall = time(f);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function summary(runs: { wall: number; cpu: number }[]): { median: number; detail: string } {
  const w = stats(runs.map((r) => r.wall));
  const c = stats(runs.map((r) => r.cpu));
  return { median: w.median, detail: `wall min ${w.min.toFixed(1)} / p99 ${w.p99.toFixed(1)} ms; CPU median ${c.median.toFixed(1)} ms` };
}

/** `copies` renamed copies of the schema under one root: types get a `CpN` suffix, commands `-cpN`, events `_CPN`. */
function scaled(files: Record<string, string>, dir: string, copies: number): { files: Record<string, string>; root: string } {
  const model = new QapiProject(memoryFiles(files)).check(join(dir, 'qapi-schema.json'), settings).model;
  const suffix = (kind: string, i: number) => (kind === 'command' ? `-cp${i}` : kind === 'event' ? `_CP${i}` : `Cp${i}`);
  const out: Record<string, string> = {};
  const includes: string[] = [];
  for (let i = 0; i < copies; i++) {
    const rename = (name: string): string => {
      const d = model.byName.get(name);
      return d ? name + suffix(d.kind, i) : name;
    };
    for (const [path, text] of Object.entries(files)) {
      const rel = path.slice(dir.length + 1);
      const isPragma = rel === 'pragma.json';
      // Pragma lists name things of every copy; every copy carries the same pragma file.
      if (isPragma) {
        out[join('/bench', `copy${i}`, rel)] = text.replace(/'([A-Za-z][\w.-]*)'/g, (m, name: string) => {
          const d = model.byName.get(name);
          return d ? Array.from({ length: copies }, (_, k) => `'${name + suffix(d.kind, k)}'`).join(', ') : m;
        });
        continue;
      }
      out[join('/bench', `copy${i}`, rel)] = text
        // Type and event names wherever they are values; command names where they are defined.
        .replace(/'([A-Za-z][\w.-]*)'(\s*[,}\]])/g, (m, name: string, after: string) => {
          const d = model.byName.get(name);
          return !d || d.kind === 'command' ? m : `'${rename(name)}'${after}`;
        })
        .replace(/('command':\s*')([^']+)'/g, (_m, head: string, name: string) => `${head}${rename(name)}'`)
        .replace(/^# @([\w-]+):$/gm, (m, name: string) => (model.byName.has(name) ? `# @${rename(name)}:` : m));
    }
    includes.push(`{ 'include': 'copy${i}/qapi-schema.json' }`);
  }
  out['/bench/qapi-schema.json'] = includes.join('\n') + '\n';
  return { files: out, root: '/bench/qapi-schema.json' };
}

register({
  name: 'qapi-check',
  run() {
    const dir = sharedQemu('schemas/v10.2.0/qapi');
    if (dir.skip) return [];
    const files: Record<string, string> = {};
    let lines = 0;
    for (const f of readdirSync(dir.path).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(dir.path, f), 'utf8');
      files[join(dir.path, f)] = text;
      lines += text.split('\n').length - 1;
    }
    const root = join(dir.path, 'qapi-schema.json');
    const results: BenchResult[] = [];

    // Full check: a new project each time, so every file is parsed.
    const full = (fs: Record<string, string>, r: string) => {
      const c = new QapiProject(memoryFiles(fs)).check(r, settings);
      if (c.firstError) throw new Error(`benchmark schema not clean: ${JSON.stringify(c.firstError)}`);
      return c;
    };
    // Warm: the optimising compiler needs a few dozen checks before the figure settles.
    for (let i = 0; i < 30; i++) full(files, root);
    const fullMs = summary(Array.from({ length: 50 }, () => both(() => full(files, root))));
    results.push({
      name: 'qapi-check: full check of the 10.2 schema',
      value: fullMs.median,
      unit: 'ms',
      reference: '<= 20 ms; QEMU: ~320 ms',
      detail: `${Object.keys(files).length} files, ${lines} lines; ${fullMs.detail}`,
    });

    // Re-check after a one-line edit in migration.json.
    const migration = join(dir.path, 'migration.json');
    const live = new Map(Object.entries(files));
    const project = new QapiProject({
      read: (p) => (live.has(p) ? { text: live.get(p)! } : { error: 'no such file' }),
      isFile: (p) => live.has(p),
    });
    for (let i = 0; i < 5; i++) project.check(root, settings);
    const edits = Array.from({ length: 30 }, (_, i) => {
      live.set(migration, files[migration].replace("'*avail-switchover-bandwidth': 'size'", `'*avail-switchover-bandwidth': 'size'${' '.repeat(i + 1)}`));
      return both(() => project.check(root, settings));
    });
    const edit = summary(edits.slice(5));
    results.push({
      name: 'qapi-check: re-check after a one-line edit in migration.json',
      value: edit.median,
      unit: 'ms',
      reference: '<= 5 ms',
      detail: edit.detail,
    });

    // Growth: 1x, 4x, 16x the schema.
    for (const copies of [1, 4, 16]) {
      const big = scaled(files, dir.path, copies);
      full(big.files, big.root);
      const s = summary(Array.from({ length: copies > 4 ? 5 : 10 }, () => both(() => full(big.files, big.root))));
      results.push({
        name: `qapi-check: full check at ${copies}x the 10.2 schema`,
        value: s.median,
        unit: 'ms',
        reference: 'linear growth',
        detail: `${copies * lines} lines; ${(s.median / copies).toFixed(1)} ms per copy; ${s.detail}`,
      });
    }
    return results;
  },
});
