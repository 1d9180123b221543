// The server side of the preview: inputs at the cursor from the real QMP service,
// the scenario with the page's overrides, and the real simulator's result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { memoryFiles } from '../../server/src/service/common/files';
import { normalizeSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';
import { ConvergencePreviews } from '../../server/src/preview/convergencePreview';
import { isMigrationInputs, isScenario, isSimulationResult } from '../../server/src/protocol/page';

const GiB = 2 ** 30;
const SCRIPT = [
  '# qemu: 10.2',
  '# workload: ram=8G working-set=1G dirty-rate=150M/s link=10Gbit/s sending-efficiency=0.5',
  '{"execute": "qmp_capabilities"}',
  '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300}}',
  '{"execute": "migrate", "arguments": {"uri": "tcp:dst:4444"}}',
  '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 2000}}',
  '',
].join('\n');

const service = createLanguageService({ files: memoryFiles({}), log: () => {} });
const settings = normalizeSettings({}).settings;
const doc = TextDocument.create('file:///w/busy.qmp', 'qmp', 1, SCRIPT);
/** Each test gets its own result cache: no test depends on what another one ran. */
const fresh = () => new ConvergencePreviews(service);

test('the preview at a cursor gives the inputs there, the scenario and a simulation', () => {
  const p = fresh();
  const res = p.at(doc, { line: 4, character: 5 }, settings);
  assert.ok(res && !('error' in res));
  assert.ok(isMigrationInputs(res.inputs) && isScenario(res.scenario) && isSimulationResult(res.result));
  assert.equal(res.inputs.parameters['downtime-limit'], 300);
  assert.equal(res.scenario.qemuVersion.startsWith('10.2'), true);
  assert.equal(res.scenario.guest.ramBytes, 8 * GiB);
  assert.equal(res.scenario.link.sendingEfficiency, 0.5);
  assert.equal(res.result.downtimeLimitMs, 300);
  assert.ok(res.result.windows.length > 10);
});

test('a later command changes what is in force further down', () => {
  const p = fresh();
  const res = p.at(doc, { line: 6, character: 0 }, settings);
  assert.ok(res && !('error' in res));
  assert.equal(res.inputs.parameters['downtime-limit'], 2000);
  assert.equal(res.result.downtimeLimitMs, 2000);
});

test("the page's overrides replace the workload from the header", () => {
  const p = fresh();
  const res = p.at(doc, { line: 4, character: 0 }, settings, { ramBytes: 2 * GiB, sendingEfficiency: 1 });
  assert.ok(res && !('error' in res));
  assert.equal(res.scenario.guest.ramBytes, 2 * GiB);
  assert.equal(res.scenario.guest.workingSetBytes, GiB, 'not overridden: from the header');
  assert.equal(res.scenario.link.sendingEfficiency, 1);
});

test('overrides the simulator cannot take come back as an error in words, not an exception', () => {
  const p = fresh();
  const res = p.at(doc, { line: 4, character: 0 }, settings, { ramBytes: 0 });
  assert.ok(res && 'error' in res, JSON.stringify(res)?.slice(0, 200));
  assert.match(res.error, /ram/i);
});

test('the same scenario twice gives the same result, a different one a new result', () => {
  const p = fresh();
  const a = p.at(doc, { line: 4, character: 0 }, settings);
  const b = p.at(doc, { line: 4, character: 9 }, settings);
  const c = p.at(doc, { line: 4, character: 0 }, settings, { dirtyBytesPerSecond: 10e6 });
  assert.ok(a && b && c && !('error' in a) && !('error' in b) && !('error' in c));
  assert.deepEqual(a.result, b.result);
  assert.notDeepEqual(a.result.windows, c.result.windows);
});

test('documents that are neither QMP nor QAPI have no preview', () => {
  const p = fresh();
  const other = TextDocument.create('file:///w/a.txt', 'plaintext', 1, SCRIPT);
  assert.equal(p.at(other, { line: 4, character: 0 }, settings), null);
});

test('a quick answer first, the recommendations on the second request, then both from the cache', () => {
  const p = fresh();
  const busy = { dirtyBytesPerSecond: 150e6 };
  const quick = p.at(doc, { line: 4, character: 0 }, settings, busy, false);
  assert.ok(quick && !('error' in quick));
  assert.equal(quick.result.converged, false);
  assert.equal(quick.complete, false);
  assert.ok(
    quick.result.recommendations.every((r) => !r.parameters && !r.capabilities),
    'no simulated changes yet',
  );
  const full = p.at(doc, { line: 4, character: 0 }, settings, busy, true);
  assert.ok(full && !('error' in full) && full.complete);
  assert.ok(full.result.recommendations.some((r) => r.parameters || r.capabilities));
  assert.deepEqual(full.result.windows, quick.result.windows, 'the same run');
  const again = p.at(doc, { line: 4, character: 0 }, settings, busy, false);
  assert.ok(again && !('error' in again) && again.complete, 'the full answer is known now');
  assert.deepEqual(again.result, full.result);
});

test('a converging run is complete on the quick request', () => {
  const p = fresh();
  const res = p.at(doc, { line: 4, character: 0 }, settings, { dirtyBytesPerSecond: 1e6, sendingEfficiency: 1 }, false);
  assert.ok(res && !('error' in res));
  assert.equal(res.result.converged, true);
  assert.equal(res.complete, true);
});

test('the cache keeps at most its size, the newest results', () => {
  const p = new ConvergencePreviews(service, 3);
  for (let i = 0; i < 6; i++) p.at(doc, { line: 4, character: 0 }, settings, { dirtyBytesPerSecond: 1e6 + i, sendingEfficiency: 1 }, false);
  assert.equal(p.cached, 3);
});

test('every parameter shown carries its unit from the migration facts', () => {
  const res = fresh().at(doc, { line: 4, character: 0 }, settings);
  assert.ok(res && !('error' in res));
  assert.equal(res.units['downtime-limit'], 'ms');
  for (const r of res.result.recommendations) {
    for (const k of Object.keys(r.parameters ?? {})) assert.ok(res.units[k], `a unit for ${k}`);
  }
  assert.ok(res.result.recommendations.some((r) => r.parameters?.['avail-switchover-bandwidth'] !== undefined));
  assert.equal(res.units['avail-switchover-bandwidth'], 'B/s');
});
