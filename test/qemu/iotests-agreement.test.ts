// QEMU's own iotests as a corpus nobody here wrote (test/qemu/iotestsCorpus.ts): the
// commands of each release's tests/qemu-iotests/*.out with the reply QEMU gave, checked
// with only that release's query-qmp-schema reply. Every disagreement must be one the
// corpus cannot avoid (README.md in this folder): a test that starts a second QEMU
// without `quit` (the log does not say so), a feature the introspected build lacks
// (FUSE exports), a migration state set by commands the test did not log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedQemu } from '../helpers/shared';
import { checkerAgreement, iotestsSkipReason, percent } from './iotestsCorpus';

const UNAVOIDABLE = [
  /QEMU: return\n {4}ours: qmp-command-not-found: capabilities were already negotiated/,
  /["']type["']: ["']fuse["'][\s\S]*QEMU: return\n {4}ours: qmp-enum-value: 'type' does not accept 'fuse'$/,
  /"migrate-start-postcopy"[\s\S]*QEMU: return\n {4}ours: qmp-state: postcopy-ram is not on/,
];

for (const version of ['7.2', '10.2']) {
  const intro = sharedQemu(`introspection/qemu-${version}-x86_64-M-none.query-qmp-schema.json`);
  test(
    `QEMU ${version} iotests: the checker agrees with QEMU's replies on every command but the unavoidable`,
    { skip: iotestsSkipReason() || intro.skip },
    () => {
      const a = checkerAgreement(version, intro.path);
      const total = a.total.ok + a.total['schema-error'] + a.total['state-error'];
      assert.ok(total > 1000 && a.total['schema-error'] > 0, `the corpus is too small: ${percent(a)}`);
      const unexplained = a.disagreements.filter((d) => !UNAVOIDABLE.some((r) => r.test(d)));
      assert.deepEqual(unexplained, [], `QEMU ${version}: ${percent(a)}`);
      assert.ok(a.disagreements.length <= 12, `${a.disagreements.length} disagreements: ${percent(a)}`);
    },
  );
}
