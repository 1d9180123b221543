// `npm run bench [-- NAME]`: each bench/*.bench.ts is bundled by esbuild exactly as
// the product is (no tsx wrappers in the measured code) and run in a process of its
// own, with the language server's node flags (client/src/extension.ts), so one
// benchmark's data does not weigh on another's garbage collections.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const only = process.argv[2];
const flags = createRequire(import.meta.url)('../client/src/serverNodeFlags.json');
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(
  `date: ${new Date().toISOString().slice(0, 10)}; load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`node flags: ${flags.join(' ')}\n`);
let failed = false;
for (const f of readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  const name = f.replace(/\.bench\.ts$/, '');
  const outfile = `bench/out/${name}.js`;
  await esbuild.build({
    stdin: {
      contents: `import './${f}';\nimport { main } from './run';\nvoid main('${name}', ${JSON.stringify(only ?? '')});\n`,
      resolveDir: 'bench',
      loader: 'ts',
      sourcefile: `${name}-entry.ts`,
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, [...flags, outfile], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
