// The example scripts in examples/qmp give exactly the diagnostics their
// "# intended error|warning (code)" comments announce, each on the next command line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { pathToUri } from '../../server/src/service/common/paths';
import { REPO } from '../helpers/shared';
import { disk, settings } from '../helpers/qmp';

const DIR = join(REPO, 'examples', 'qmp');

test('every format has an example and each gives only its intended diagnostics', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.qmp'))
    .sort();
  assert.deepEqual(files, ['avail-switchover-bandwidth.qmp', 'hmp.qmp', 'json-stream.qmp', 'mixed.qmp', 'qmp-shell.qmp', 'transcript.qmp']);
  const svc = disk();
  for (const f of files) {
    const path = join(DIR, f);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const intended: string[] = [];
    lines.forEach((l, i) => {
      const m = /^# intended (error|warning) \(([\w-]+)\)/.exec(l);
      if (m) intended.push(`${i + 2}:${m[1]}:${m[2]}`);
    });
    const diags = [...svc.validate(TextDocument.create(pathToUri(path), 'qmp', 1, text), settings({ qemuVersion: 'auto' })).values()].flat();
    const got = diags.map((d) => `${d.range.start.line + 1}:${d.severity === DiagnosticSeverity.Error ? 'error' : 'warning'}:${d.code}`);
    assert.deepEqual(got, intended, f);
  }
});

test('the seed example declares QEMU 8.2 and its workload, and the preview gets them', () => {
  const path = join(DIR, 'avail-switchover-bandwidth.qmp');
  const text = readFileSync(path, 'utf8');
  const doc = TextDocument.create(pathToUri(path), 'qmp', 1, text);
  const svc = disk();
  const lens = svc.codeLenses(doc, settings()).at(-1)!;
  const inputs = svc.migrationInputsAt(doc, lens.command!.arguments![1], settings())!;
  assert.equal(inputs.qemuVersion, '8.2');
  assert.deepEqual(inputs.parameters, { 'downtime-limit': 300, 'max-bandwidth': 0, 'avail-switchover-bandwidth': 1250000000 });
  assert.deepEqual(inputs.link, { bytesPerSecond: 1.25e9, sendingEfficiency: 0.032 });
  assert.equal(inputs.guest?.vcpus, 4);
  assert.equal(inputs.guest?.workingSetBytes, 256 * 2 ** 20);
  assert.equal(inputs.guest?.ramBytes, 4 * 2 ** 30);
});
