// How often the QMP checker, given only a release's query-qmp-schema reply, agrees with
// what QEMU answered to the commands of its own iotests (test/qemu/iotestsCorpus.ts).
// Usage: node --import tsx scripts/qmp-iotests-agreement.ts [VERSION...] [--list]
// The corpus is extracted from QEMU's git history into ~/.cache/qapi-qmp (never the repository).
import { sharedQemu } from '../test/helpers/shared';
import { checkerAgreement, iotestsSkipReason, percent, RELEASES } from '../test/qemu/iotestsCorpus';

const list = process.argv.includes('--list');
const versions = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const skip = iotestsSkipReason();
if (skip) {
  console.log(`skipped: ${skip}`);
  process.exit(0);
}
for (const version of versions.length ? versions : Object.keys(RELEASES)) {
  const intro = sharedQemu(`introspection/qemu-${version}-x86_64-M-none.query-qmp-schema.json`);
  if (intro.skip) {
    console.log(`${version}: skipped: ${intro.skip}`);
    continue;
  }
  const a = checkerAgreement(version, intro.path);
  console.log(`QEMU ${version}: ${percent(a)}`);
  if (list) for (const d of a.disagreements) console.log(d);
}
