// Long differential run of the QAPI checker against QEMU's own frontend of every
// release 7.2-10.2 (`npm run fuzz:qapi -- [mutants per release] [seed] [release...]`).
// Prints agreement per release and each disagreement (reproducible from the seed);
// exits 1 when any mutant disagrees. BENCHMARKS.md ("QAPI differential") holds the figures.
import { sharedQemu } from '../test/helpers/shared';
import { frontendOf, RELEASES, schemaTreeOf } from '../test/helpers/qemuReleases';
import { runDifferential, Workspace } from '../test/helpers/qapiDifferential';

async function main(): Promise<number> {
  const [countArg, seedArg, ...only] = process.argv.slice(2);
  const count = Number(countArg ?? 2000);
  const seed = Number(seedArg ?? 1);
  const cases = sharedQemu('qapi-tests');
  let failed = 0;
  const rows: string[] = [];
  for (const r of RELEASES) {
    if (only.length && !only.includes(r.version)) continue;
    const fe = frontendOf(r);
    const tree = schemaTreeOf(r);
    if (fe.skip || tree.skip) {
      console.log(`${r.version}: skipped (${fe.skip || tree.skip})`);
      continue;
    }
    const ws = new Workspace(tree.path, cases.skip ? undefined : cases.path);
    const t0 = Date.now();
    try {
      const res = await runDifferential(r, fe.path, ws, { count, seed, unmutated: true });
      for (const d of res.disagreements)
        console.log(`${r.version} ${d.subject} ${d.mutation}\n   QEMU: ${JSON.stringify(d.qemu)}\n   ours: ${JSON.stringify(d.ours)}`);
      failed += res.disagreements.length;
      const row = `| ${r.version} | ${res.mutants} | ${res.accepted} | ${res.agreed} | ${((100 * res.agreed) / res.mutants).toFixed(2)}% | ${((Date.now() - t0) / 1000).toFixed(0)} s |`;
      rows.push(row);
      console.log(row);
    } finally {
      ws.dispose();
    }
  }
  console.log(
    `\nseed ${seed}, ${count} mutants per release (plus each module unmutated)\n| release | checked | QEMU accepts | agree | agreement | time |\n|---|---|---|---|---|---|\n${rows.join('\n')}`,
  );
  return failed ? 1 : 0;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
