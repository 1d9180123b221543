// Every script format read into the same QMP messages: JSON streams, transcripts,
// qmp-shell lines, HMP lines, comments and the header; broken input never throws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScript } from '../../server/src/service/qmp/script/parse';
import { toPlain } from '../../server/src/service/qmp/script/value';
import { codes, covered, validate } from '../helpers/qmp';

const messages = (text: string) =>
  parseScript(text)
    .statements.filter((s) => s.direction === 'client')
    .map((s) => toPlain(s.value));

test("JSON stream: several objects a line, objects spanning lines, single quotes with \\' escape, id and exec-oob", () => {
  const text = `{"execute": "query-status"} {"execute":"stop","id":1}
{ "execute": "migrate-set-parameters",
  "arguments": { "downtime-limit": 500 } }
{'execute': 'query-status', 'id': 'it\\'s'}
{"exec-oob": "migrate-pause"}`;
  const s = parseScript(text);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(
    s.statements.map((x) => x.format),
    ['json', 'json', 'json', 'json', 'json'],
  );
  assert.deepEqual(messages(text), [
    { execute: 'query-status' },
    { execute: 'stop', id: 1 },
    { execute: 'migrate-set-parameters', arguments: { 'downtime-limit': 500 } },
    { execute: 'query-status', id: "it's" },
    { 'exec-oob': 'migrate-pause' },
  ]);
  assert.equal(s.statements[2].line, 1);
});

test('transcript: -> messages are checked, <- replies are data, indented continuation and ... elisions', () => {
  const text = `-> { "execute": "migrate-set-parameters",
     "arguments": { "max-bandwidth": 1250000000 } }
<- { "return": {} }
-> { "execute": "query-migrate" }
<- { "return": { "status": "active", "ram": { "total": 8589934592, ... },
     ... } }
...
`;
  const s = parseScript(text);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(
    s.statements.map((x) => `${x.format}:${x.direction}`),
    ['transcript:client', 'transcript:server', 'transcript:client', 'transcript:server'],
  );
  assert.deepEqual(toPlain(s.statements[3].value), { return: { status: 'active', ram: { total: 8589934592 } } });
  assert.deepEqual(validate(text, { qemuVersion: '8.2' }), []);
});

test('qmp-shell: integer, then true/false in any case, then JSON for { and [, else string; dotted keys nest', () => {
  const [m] = messages(
    'blockdev-add driver=qcow2 node-name=n1 file.driver=file file.filename=/tmp/a.qcow2 read-only=TRUE cache.direct=false x=0.5 y=null z=1G w=-3 v=[1,2]',
  );
  // qmp-shell's own reading (checked against qmp_shell.py in qmp-shell-differential.test.ts):
  // after a dotted key the next keys go into that nested object.
  assert.deepEqual(m, {
    execute: 'blockdev-add',
    arguments: {
      driver: 'qcow2',
      'node-name': 'n1',
      file: { driver: 'file', file: { filename: '/tmp/a.qcow2', 'read-only': true, cache: { direct: false, x: '0.5', y: 'null', z: '1G', w: -3, v: [1, 2] } } },
    },
  });
});

test('qmp-shell: transaction( ... ) builds one transaction command', () => {
  const text = `transaction(
blockdev-snapshot-sync device=d0 snapshot-file=/tmp/s0.qcow2
blockdev-snapshot-sync device=d1 snapshot-file=/tmp/s1.qcow2 )`;
  const [m] = messages(text);
  assert.deepEqual(m, {
    execute: 'transaction',
    arguments: {
      actions: [
        { type: 'blockdev-snapshot-sync', data: { device: 'd0', 'snapshot-file': '/tmp/s0.qcow2' } },
        { type: 'blockdev-snapshot-sync', data: { device: 'd1', 'snapshot-file': '/tmp/s1.qcow2' } },
      ],
    },
  });
});

test('qmp-shell refusals: a word without =, and a key set twice', () => {
  const s = parseScript('migrate-set-parameters downtime-limit\nmigrate-set-parameters a=1 a=2');
  assert.equal(s.statements.length, 0);
  assert.match(s.problems[0].message, /key=value/);
  assert.match(s.problems[1].message, /more than once/);
});

test('HMP lines map to their QMP command', () => {
  const text = `migrate_set_capability auto-converge on
migrate_set_parameter max-bandwidth 1G
migrate -d tcp:192.0.2.2:4444
migrate_start_postcopy
migrate_cancel
migrate_incoming tcp:0:4444
info migrate
info migrate_parameters
info migrate_capabilities`;
  const s = parseScript(text);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(
    s.statements.map((x) => (toPlain(x.value) as { execute: string }).execute),
    [
      'migrate-set-capabilities',
      'migrate-set-parameters',
      'migrate',
      'migrate-start-postcopy',
      'migrate_cancel',
      'migrate-incoming',
      'query-migrate',
      'query-migrate-parameters',
      'query-migrate-capabilities',
    ],
  );
  assert.deepEqual(toPlain(s.statements[0].value), {
    execute: 'migrate-set-capabilities',
    arguments: { capabilities: [{ capability: 'auto-converge', state: true }] },
  });
  assert.deepEqual(toPlain(s.statements[2].value), { execute: 'migrate', arguments: { uri: 'tcp:192.0.2.2:4444' } });
});

test('HMP sizes: suffixes are powers of 1024, max-bandwidth reads a bare number as MiB/s; GiB and negatives are refused', () => {
  const text =
    'migrate_set_parameter max-bandwidth 100\nmigrate_set_parameter xbzrle-cache-size 128M\nmigrate_set_parameter downtime-limit 1GiB\nmigrate_set_parameter max-bandwidth -5\nmigrate_set_parameter cpu-throttle-tailslow maybe';
  const d = validate(text, { qemuVersion: '8.2' });
  assert.deepEqual(codes(d), ['3:qmp-hmp-size', '4:qmp-hmp-size', '5:qmp-wrong-type']);
  assert.equal(covered(text, d[0]), '1GiB');
});

test('header: qemu version and workload; bad items are reported on the item', () => {
  const text = `# qemu: 8.2
# workload: ram=8G working-set=2G dirty-rate=200M/s zero=0.1 vcpus=4 link=10Gbit/s sending-efficiency=0.03 speed=3
{"execute": "query-status"}
# qemu: 7.2
`;
  const s = parseScript(text);
  assert.equal(s.header.version?.text, '8.2');
  assert.deepEqual(s.header.guest, {
    ramBytes: 8 * 2 ** 30,
    workingSetBytes: 2 * 2 ** 30,
    dirtyBytesPerSecond: 200 * 2 ** 20,
    zeroPageFraction: 0.1,
    vcpus: 4,
  });
  assert.deepEqual(s.header.link, { bytesPerSecond: 1.25e9, sendingEfficiency: 0.03 });
  const d = validate(text);
  assert.deepEqual(codes(d), ['2:qmp-header']);
  assert.equal(covered(text, d[0]), 'speed=3');
});

test('broken input: unclosed object, garbage, binary and a megabyte line give diagnostics and the rest is still checked', () => {
  const text = `{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300}
{"execute": "migrate-set-parameters", "arguments": {"downtime_limit": 1}}
@@@ %%%
{"execute": "query-status"} trailing
{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": "1G"}}`;
  const d = validate(text);
  assert.deepEqual(codes(d), ['1:qmp-syntax', '2:qmp-unknown-argument', '3:qmp-syntax', '4:qmp-syntax', '5:qmp-size-string']);
  assert.equal(covered(text, d[0]), '{');
  assert.deepEqual(codes(validate('\u0000\u0001binary\u0002')), ['1:qmp-syntax']);
  const big = `{"execute": "migrate-set-parameters", "arguments": {"tls-creds": "${'x'.repeat(1 << 20)}"}}\n{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": -1}}`;
  assert.deepEqual(codes(validate(big)), ['2:qmp-negative-wraps', '2:qmp-parameter-range']);
  const deep = '['.repeat(5000);
  assert.deepEqual(codes(validate(deep)), ['1:qmp-syntax']);
});
