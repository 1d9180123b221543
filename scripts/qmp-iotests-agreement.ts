// How often the QMP checker, given only a release's query-qmp-schema reply, agrees with
// what QEMU answered to the commands of its own iotests (test/qemu/iotestsCorpus.ts).
// Usage: node --import tsx scripts/qmp-iotests-agreement.ts [VERSION...] [--list]
// The corpus is extracted from QEMU's git history into ~/.cache/qapi-qmp (never the repository).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { CachedFiles, diskFiles } from '../server/src/service/common/files';
import { defaultSettings } from '../server/src/service/common/settings';
import { createLanguageService } from '../server/src/service/languageService';
import { sharedQemu } from '../test/helpers/shared';
import { agreement, iotestsCorpus, iotestsSkipReason, percent, RELEASES } from '../test/qemu/iotestsCorpus';

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
  const svc = createLanguageService({ files: new CachedFiles(diskFiles, Infinity) });
  const settings = { ...defaultSettings, qemuVersion: version, introspectionFile: intro.path };
  let n = 0;
  const a = agreement(version, iotestsCorpus(version), (script) => {
    const doc = TextDocument.create(`file:///iotests/${n++}.qmp`, 'qmp', 1, script);
    return [...svc.validate(doc, settings).values()].flat().map((d) => ({
      line: d.range.start.line,
      error: d.severity === DiagnosticSeverity.Error,
      code: String(d.code),
      message: String(d.message),
    }));
  });
  console.log(`QEMU ${version}: ${percent(a)}`);
  if (list) for (const d of a.disagreements) console.log(d);
}
