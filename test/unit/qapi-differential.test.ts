// The QAPI checker against QEMU's own frontend of every release 7.2-10.2, on
// seeded mutations of real schema modules and of QEMU's test cases: same verdict,
// same first error file and line, same column where QEMU prints one. A quick,
// fixed set here; `npm run fuzz:qapi` runs thousands (see BENCHMARKS.md).
// QEMU's files come from ../shared or QEMU's git on this machine; absent: skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { runDifferential, Workspace } from '../helpers/qapiDifferential';
import { frontendOf, RELEASES, schemaTreeOf } from '../helpers/qemuReleases';
import { sharedQemu } from '../helpers/shared';

const MUTANTS = 30;
const cases = sharedQemu('qapi-tests');
const python = spawnSync('python3', ['--version']).status === 0 ? false : "python3 is needed to run QEMU's frontend";

for (const r of RELEASES) {
  const fe = frontendOf(r);
  const tree = schemaTreeOf(r);
  test(`QEMU ${r.version}: ${MUTANTS} mutants judged as QEMU ${r.version}'s own frontend judges them`, { skip: python || fe.skip || tree.skip }, async () => {
    // Small modules keep each Python run short; the long run takes them all.
    const ws = new Workspace(tree.path, cases.skip ? undefined : cases.path, { maxModuleBytes: 40_000 });
    try {
      const res = await runDifferential(r, fe.path, ws, { count: MUTANTS, seed: 1000 + RELEASES.indexOf(r), caseShare: 0.6 });
      assert.equal(res.mutants, MUTANTS);
      assert.ok(res.accepted > 0 && res.accepted < res.mutants, 'the mutants include accepted and rejected schemas');
      assert.deepEqual(res.disagreements, [], JSON.stringify(res.disagreements, null, 1));
    } finally {
      ws.dispose();
    }
  });
}
