// The message validators: every valid message passes, malformed ones are rejected
// without throwing, whatever they contain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { describeRejected, isAssumptions, isToExtension, isToPage, type UpdateMessage } from '../../server/src/protocol/page';
import { handmadeResult } from '../helpers/webview/handmade';

const GiB = 2 ** 30;
function update(): UpdateMessage {
  return {
    type: 'update',
    inputs: { qemuVersion: '10.2', parameters: { 'downtime-limit': 300 }, capabilities: { 'auto-converge': false }, sources: ['line 3'] },
    scenario: {
      qemuVersion: '10.2',
      maxSeconds: 600,
      parameters: { 'downtime-limit': 300 },
      capabilities: {},
      guest: { ramBytes: 4 * GiB, workingSetBytes: GiB, dirtyBytesPerSecond: 2 ** 27, zeroPageFraction: 0, vcpus: 2 },
      link: { bytesPerSecond: 1.25e9, sendingEfficiency: 1 },
    },
    result: handmadeResult(),
    focus: 'downtime-limit',
    source: { file: 'a.qmp', line: 3 },
    overrides: {},
    units: { 'downtime-limit': 'ms' },
  };
}

test('a complete update, an empty and a theme message are accepted', () => {
  assert.ok(isToPage(update()));
  assert.ok(isToPage({ type: 'empty', reason: 'no script' }));
  assert.ok(isToPage({ type: 'theme', kind: 'high-contrast' }));
});

test('an update missing or corrupting any part is rejected', () => {
  const bad: ((m: any) => void)[] = [
    (m) => delete m.result,
    (m) => {
      m.result.windows[3].pendingBytes = 'many';
    },
    (m) => {
      m.result.windows[0].t = NaN;
    },
    (m) => {
      m.result.converged = 'yes';
    },
    (m) => {
      m.result.recommendations = [{ kind: 'x' }];
    },
    (m) => {
      m.result.orchestrators = [{ name: 'KubeVirt', seconds: Infinity, action: 'cancel' }];
    },
    (m) => {
      m.scenario.guest = null;
    },
    (m) => {
      m.inputs.parameters = { 'downtime-limit': {} };
    },
    (m) => {
      m.source = { file: 1, line: 0 };
    },
    (m) => {
      m.overrides = { ramBytes: -1 };
    },
    (m) => delete m.units,
    (m) => {
      m.units = { 'downtime-limit': 1000 };
    },
    (m) => {
      m.focus = 7;
    },
  ];
  for (const spoil of bad) {
    const m = update();
    spoil(m);
    assert.equal(isToPage(m), false, spoil.toString());
  }
});

test('unknown types and non-objects are rejected', () => {
  for (const m of [null, undefined, 3, 'update', [], { type: 'nope' }, { type: 'theme', kind: 'blue' }, { type: 'empty' }]) {
    assert.equal(isToPage(m), false);
    assert.equal(isToExtension(m), false);
  }
});

test('messages from the page are checked too', () => {
  assert.ok(isToExtension({ type: 'ready' }));
  assert.ok(isToExtension({ type: 'setAssumptions', assumptions: { ramBytes: 8 * GiB, sendingEfficiency: 0.5 } }));
  assert.ok(isToExtension({ type: 'setAssumptions', assumptions: {} }));
  assert.ok(isToExtension({ type: 'applyRecommendation', parameters: { 'avail-switchover-bandwidth': 1.25e9 } }));
  assert.ok(isToExtension({ type: 'applyRecommendation', capabilities: { 'auto-converge': true } }));
  assert.ok(isToExtension({ type: 'log', level: 'warn', message: 'x' }));
  assert.equal(isToExtension({ type: 'applyRecommendation' }), false, 'nothing to apply');
  assert.equal(isToExtension({ type: 'applyRecommendation', parameters: { a: [1] } }), false);
  assert.equal(isToExtension({ type: 'applyRecommendation', capabilities: { 'auto-converge': 'on' } }), false);
  assert.equal(isToExtension({ type: 'log', level: 'debug', message: 'x' }), false);
});

test('assumptions accept only known keys with sane values', () => {
  assert.ok(isAssumptions({ dirtyBytesPerSecond: 0 }));
  assert.equal(isAssumptions({ cpuCount: 4 }), false);
  assert.equal(isAssumptions({ sendingEfficiency: 0 }), false);
  assert.equal(isAssumptions({ sendingEfficiency: 1.5 }), false);
  assert.equal(isAssumptions({ linkBytesPerSecond: Infinity }), false);
});

test('validators never throw, whatever arrives', () => {
  fc.assert(
    fc.property(fc.anything(), (m) => {
      isToPage(m);
      isToExtension(m);
      assert.equal(typeof describeRejected(m), 'string');
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(
      fc.constantFrom('update', 'empty', 'theme', 'ready', 'setAssumptions', 'applyRecommendation', 'log'),
      fc.dictionary(fc.string(), fc.anything()),
      (type, rest) => {
        isToPage({ ...rest, type });
        isToExtension({ ...rest, type });
      },
    ),
    { numRuns: 2000 },
  );
});

test('the log line for a rejected message names its type but not its payload', () => {
  assert.match(describeRejected({ type: 'update', secret: 'x'.repeat(1000) }), /"update"/);
  assert.ok(describeRejected({ type: 'x'.repeat(1000) }).length < 120);
});
