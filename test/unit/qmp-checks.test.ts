// Each rejection class QEMU has, version gates, command-level ranges and checks that
// depend on earlier commands: with the shipped facts only, and with the real
// introspection replies and QAPI sources from ../shared (skipped when absent).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { qemuErrorClass, QmpCode } from '../../server/src/service/qmp/codes';
import { sharedQemu } from '../helpers/shared';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codes, covered, disk, settings, validate } from '../helpers/qmp';

const E = DiagnosticSeverity.Error;
const set = (args: string) => `{"execute": "migrate-set-parameters", "arguments": {${args}}}`;

test('message shape: not an object, no execute, execute not a string, arguments not an object, unexpected member, duplicate key', () => {
  const text = `[1, 2]
{"arguments": {}}
{"execute": 42}
{"execute": "migrate-set-parameters", "arguments": [1]}
{"execute": "query-migrate", "foo": 1}
{"execute": "query-migrate", "execute": "query-migrate"}
{"exec-oob": "migrate-pause"}`;
  const d = validate(text);
  assert.deepEqual(codes(d), [
    '1:qmp-not-object',
    '2:qmp-missing-execute',
    '3:qmp-execute-not-string',
    '4:qmp-arguments-not-object',
    '5:qmp-unexpected-member',
    '6:qmp-duplicate-key',
    '7:qmp-unexpected-member',
  ]);
  assert.equal(covered(text, d[4]), '"foo"');
  assert.equal(covered(text, d[2]), '42');
  assert.deepEqual(validate('{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}\n{"exec-oob": "migrate-pause"}'), []);
});

test('arguments: unknown member, underscore spelling, missing required (nested), wrong JSON types, enum values, null for StrOrNull', () => {
  const text = `${set('"foo": 1, "downtime_limit": 1')}
{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "xbzrle"}]}}
{"execute": "migrate"}
${set('"downtime-limit": "300", "cpu-throttle-tailslow": "yes", "multifd-compression": 1, "max-bandwidth": null, "downtime-limit": 2.5')}
${set('"multifd-compression": "lz4", "tls-creds": null, "tls-hostname": "h"')}`;
  const d = validate(text, { qemuVersion: '8.2' });
  assert.deepEqual(codes(d, E), [
    '1:qmp-unknown-argument',
    '1:qmp-unknown-argument',
    '2:qmp-missing-argument',
    '3:qmp-missing-argument',
    '4:qmp-size-string',
    '4:qmp-wrong-type',
    '4:qmp-wrong-type',
    '4:qmp-wrong-type',
    '4:qmp-duplicate-key',
    '5:qmp-enum-value',
  ]);
  assert.match(String(d[1].message), /did you mean 'downtime-limit'/);
  assert.equal(covered(text, d[1]), '"downtime_limit"');
  assert.equal(covered(text, d[9]), '"lz4"');
});

test('integer widths: uint8 overflow and negatives are errors, uint64/size negatives wrap (warning), 2^64 and fractions are errors, size strings get a fix', () => {
  const text = [
    set('"multifd-channels": 256'),
    set('"multifd-channels": -1'),
    set('"max-bandwidth": -1'),
    set('"max-bandwidth": 18446744073709551616'),
    set('"max-bandwidth": 18446744073709551615'),
    set('"max-bandwidth": 1e9'),
    set('"max-bandwidth": "1G"'),
  ].join('\n');
  const d = validate(text);
  assert.deepEqual(codes(d), [
    '1:qmp-integer-range',
    '2:qmp-integer-range',
    '3:qmp-negative-wraps',
    '4:qmp-integer-range',
    '6:qmp-wrong-type',
    '7:qmp-size-string',
  ]);
  assert.equal(d[2].severity, DiagnosticSeverity.Warning);
  assert.deepEqual(d[5].data, { kind: 'replace', title: 'Replace with 1073741824', text: '1073741824' });
});

test('version gates: avail-switchover-bandwidth is an error before 8.2 (facts), fine on 8.2, dirty-limit capability before 8.1, removed compress on 9.2', () => {
  const asb = set('"avail-switchover-bandwidth": 1250000000');
  const d = validate(asb, { qemuVersion: '7.2' });
  assert.deepEqual(codes(d), ['1:qmp-not-in-version']);
  assert.match(String(d[0].message), /8\.2/);
  assert.equal(qemuErrorClass(QmpCode.notInVersion), 'GenericError');
  assert.deepEqual(validate(asb, { qemuVersion: '8.2' }), []);
  assert.deepEqual(validate(`# qemu: 8.2\n${asb}`, { qemuVersion: '7.2' }), [], 'the header wins over the setting');
  assert.deepEqual(codes(validate('migrate_set_capability dirty-limit on', { qemuVersion: '7.2' })), ['1:qmp-not-in-version']);
  const removed = validate('migrate_set_capability compress on', { qemuVersion: '9.2' });
  assert.match(String(removed[0].message), /removed in QEMU 9\.1/);
});

test('deprecated and unstable members and values warn', () => {
  const d = validate(`${set('"block-incremental": true, "x-checkpoint-delay": 100')}\nmigrate_set_capability zero-blocks on`, { qemuVersion: '9.2' });
  assert.deepEqual(codes(d), ['1:qmp-not-in-version', '1:qmp-unstable', '2:qmp-deprecated']);
  assert.deepEqual(codes(validate(set('"compress-level": 1'), { qemuVersion: '8.2' })), ['1:qmp-deprecated']);
});

test('command-level ranges per version, and 7.2 ignoring multifd zlib/zstd levels', () => {
  const text = [
    set('"downtime-limit": 2000001'),
    set('"throttle-trigger-threshold": 0'),
    set('"cpu-throttle-increment": 100'),
    set('"multifd-channels": 0'),
    set('"xbzrle-cache-size": 5000'),
    set('"announce-step": 0'),
    set('"multifd-zstd-level": 21'),
  ].join('\n');
  assert.deepEqual(codes(validate(text, { qemuVersion: '8.2' })), [
    '1:qmp-parameter-range',
    '2:qmp-parameter-range',
    '3:qmp-parameter-range',
    '4:qmp-parameter-range',
    '5:qmp-parameter-range',
    '6:qmp-parameter-range',
    '7:qmp-parameter-range',
  ]);
  const old = validate(text, { qemuVersion: '7.2' });
  assert.deepEqual(codes(old).slice(-1), ['7:qmp-ignored-by-qemu']);
  assert.equal(old.at(-1)!.severity, DiagnosticSeverity.Warning);
});

test('state: max-cpu-throttle against the cpu-throttle-initial in force; rejected commands change nothing', () => {
  const text = [
    set('"cpu-throttle-initial": 60'),
    set('"max-cpu-throttle": 50'),
    set('"max-cpu-throttle": 70'),
    set('"cpu-throttle-initial": 80'),
    set('"cpu-throttle-initial": 120'),
  ].join('\n');
  const d = validate(text);
  assert.deepEqual(codes(d), ['2:qmp-parameter-range', '4:qmp-parameter-range', '5:qmp-parameter-range']);
  assert.match(String(d[0].message), /from line 1/);
  assert.deepEqual(
    validate(set('"max-cpu-throttle": 10')).map((x) => x.code),
    ['qmp-parameter-range'],
    'the default initial is 20',
  );
});

test('state: migrate-start-postcopy needs postcopy-ram before migrate; capability combinations', () => {
  const cap = (name: string, on = true) =>
    `{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "${name}", "state": ${on}}]}}`;
  const mig = '{"execute": "migrate", "arguments": {"uri": "exec:cat"}}';
  const post = '{"execute": "migrate-start-postcopy"}';
  assert.deepEqual(codes(validate([mig, post].join('\n'))), ['2:qmp-state']);
  assert.deepEqual(codes(validate([cap('postcopy-ram'), post].join('\n'))), ['2:qmp-state']);
  assert.deepEqual(validate([cap('postcopy-ram'), mig, post].join('\n')), []);
  assert.deepEqual(codes(validate(cap('postcopy-preempt'))), ['1:qmp-capability-combination']);
  assert.deepEqual(codes(validate(cap('zero-copy-send'))), ['1:qmp-capability-combination']);
  assert.deepEqual(validate([cap('multifd'), cap('zero-copy-send')].join('\n')), []);
  assert.deepEqual(codes(validate([cap('multifd'), cap('zero-copy-send'), set('"multifd-compression": "zstd"')].join('\n'))), ['3:qmp-capability-combination']);
  assert.deepEqual(codes(validate([cap('auto-converge'), cap('dirty-limit')].join('\n'), { qemuVersion: '8.2' })), ['2:qmp-capability-combination']);
  assert.deepEqual(codes(validate(cap('switchover-ack'), { qemuVersion: '8.2' })), ['1:qmp-capability-combination']);
});

test('unknown commands and arguments without a QEMU tree: errors with did-you-mean from the shipped command list of each release; near misses only warn for a release it lacks', () => {
  assert.deepEqual(validate('{"execute": "query-status"}'), []);
  for (const v of ['7.2', '8.0', '8.1', '9.0', '9.1', '10.0', '10.1', '10.2']) {
    const d = validate('{"execute": "query-statuss"}\n{"execute": "blockdev-del", "arguments": {"node-nam": "x"}}\n{"execute": "migrate-set-parameter"}', {
      qemuVersion: v,
    });
    assert.deepEqual(codes(d), ['1:qmp-command-not-found', '2:qmp-missing-argument', '2:qmp-unknown-argument', '3:qmp-command-not-found'], v);
    assert.ok(
      d.every((x) => x.severity === E),
      v,
    );
    assert.match(String(d[0].message), /did you mean 'query-status'/);
    assert.match(String(d[2].message), /did you mean 'node-name'/);
  }
  // A command that appeared later, and a release the command list does not cover.
  assert.deepEqual(codes(validate('{"execute": "query-migrationthreads"}', { qemuVersion: '7.2' })), ['1:qmp-command-not-found']);
  assert.deepEqual(validate('{"execute": "query-migrationthreads"}', { qemuVersion: '8.0' }), []);
  const old = validate('# qemu: 6.2\n{"execute": "migrate-set-parameter"}\n{"execute": "query-statuss"}');
  assert.deepEqual(codes(old), ['2:qmp-command-not-found']);
  assert.equal(old[0].severity, DiagnosticSeverity.Warning);
});

test('shipped command list: argument types and integer widths per release', () => {
  const d = validate(
    '{"execute": "block_resize", "arguments": {"node-name": "n", "size": 9223372036854775808}}\n{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n", "size": "1"}}',
    { qemuVersion: '9.2' },
  );
  assert.deepEqual(codes(d), ['1:qmp-wrong-type', '2:qmp-wrong-type']);
});

const intro72 = sharedQemu('introspection/qemu-7.2-x86_64-M-none.query-qmp-schema.json');
const intro102 = sharedQemu('introspection/qemu-10.2-x86_64-M-none.query-qmp-schema.json');

test('real QEMU 7.2 introspection reply: the differential-test path of the facade', { skip: intro72.skip }, () => {
  const s = { qemuVersion: '7.2', schemaRoot: '', introspectionFile: intro72.path };
  const text = `{"execute": "qmp_capabilities"}
{"execute": "query-statuss"}
${set('"avail-switchover-bandwidth": 1')}
${set('"multifd-channels": 300')}
{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "dirty-limit", "state": true}]}}
{"execute": "query-status"}
migrate_set_parameter max-bandwidth 1G
{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n0", "size": 1024}}
{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": 5}}`;
  const d = validate(text, s, disk());
  assert.deepEqual(codes(d, E), ['2:qmp-command-not-found', '3:qmp-not-in-version', '4:qmp-integer-range', '5:qmp-not-in-version', '9:qmp-wrong-type']);
  assert.equal(qemuErrorClass(d[0].code as QmpCode), 'CommandNotFound');
  assert.match(String(d[2].message), /uint8/, 'the width comes from the facts: introspection only says int');
});

test('real QEMU 10.2 introspection reply accepts avail-switchover-bandwidth; status names the source', { skip: intro102.skip }, () => {
  const svc = disk();
  const s = { qemuVersion: '10.2', introspectionFile: intro102.path };
  assert.deepEqual(validate(set('"avail-switchover-bandwidth": 1250000000'), s, svc), []);
  assert.deepEqual(codes(validate(set('"compress-level": 1'), s, svc)), ['1:qmp-not-in-version']);
});

test('an unreadable introspection file falls back to the next source with a warning', () => {
  const d = validate(set('"downtime-limit": 1'), { introspectionFile: '/nonexistent/schema.json' });
  assert.deepEqual(codes(d), ['1:qmp-schema-source']);
});

const qapi72 = sharedQemu('schemas/v7.2.0/qapi/qapi-schema.json');
const qapi102 = sharedQemu('schemas/v10.2.0/qapi/qapi-schema.json');

test('QEMU 7.2 QAPI sources as the schema', { skip: qapi72.skip }, () => {
  const s = { qemuVersion: '7.2', schemaRoot: qapi72.path };
  const svc = disk();
  const d = validate(`${set('"avail-switchover-bandwidth": 1, "multifd-channels": 256')}\n{"execute": "query-statuss"}`, s, svc);
  assert.deepEqual(codes(d, E), ['1:qmp-not-in-version', '1:qmp-integer-range', '2:qmp-command-not-found']);
});

test('QEMU 10.2 QAPI sources as the schema', { skip: qapi102.skip }, () => {
  const s = { qemuVersion: '10.2', schemaRoot: qapi102.path };
  const d = validate(
    `${set('"avail-switchover-bandwidth": 1, "zero-page-detection": "legacy"')}\n{"execute": "migrate", "arguments": {"uri": "exec:cat", "blk": true}}`,
    s,
    disk(),
  );
  assert.deepEqual(codes(d, E), ['2:qmp-not-in-version']);
});

test('capability rules as a real QEMU 7.2 answers them: postcopy with compress is fine, preempt with compress is not, zero-copy refuses xbzrle, a second qmp_capabilities is refused', () => {
  const cap = (...names: string[]) =>
    `{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [${names.map((n) => `{"capability": "${n}", "state": true}`).join(', ')}]}}`;
  const s = { qemuVersion: '7.2' };
  assert.deepEqual(validate(cap('postcopy-ram', 'compress'), s), []);
  assert.deepEqual(codes(validate([cap('postcopy-ram', 'postcopy-preempt'), cap('compress')].join('\n'), s)), ['2:qmp-capability-combination']);
  assert.deepEqual(codes(validate(cap('multifd', 'zero-copy-send', 'xbzrle'), s)), ['1:qmp-capability-combination']);
  assert.deepEqual(codes(validate(set('"xbzrle-cache-size": -4096'), s)), ['1:qmp-negative-wraps', '1:qmp-parameter-range']);
  const twice = validate('{"execute": "qmp_capabilities"}\n{"execute": "qmp_capabilities"}', s);
  assert.deepEqual(codes(twice), ['2:qmp-command-not-found']);
  assert.equal(qemuErrorClass(twice[0].code as QmpCode), 'CommandNotFound');
});

test('exec-oob runs only commands that allow it (introspection knows which)', { skip: intro72.skip }, () => {
  const s = { qemuVersion: '7.2', introspectionFile: intro72.path };
  const text = '{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}\n{"exec-oob": "migrate-pause"}\n{"exec-oob": "query-status"}';
  assert.deepEqual(codes(validate(text, s, disk())), ['3:qmp-unexpected-member']);
});

test('hover shows the QAPI doc text when QAPI sources are the schema', { skip: qapi102.skip }, () => {
  const svc = disk();
  const text = '{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1250000000}}';
  const d = TextDocument.create('file:///work/scripts/h.qmp', 'qmp', 1, text);
  const h = svc.hover(d, d.positionAt(text.indexOf('avail') + 3), settings({ qemuVersion: '10.2', schemaRoot: qapi102.path }));
  const value = (h!.contents as { value: string }).value;
  assert.match(value, /does not limit the bandwidth during switchover/i, 'the doc comment of migration.json');
  assert.match(value, /since 8\.2/);
});

test('enum values of later versions: qatzip compression appeared in 9.2; the status item names the facts source', () => {
  const d = validate(set('"multifd-compression": "qatzip"'), { qemuVersion: '8.2' });
  assert.deepEqual(codes(d), ['1:qmp-not-in-version']);
  assert.match(String(d[0].message), /9\.2/);
  const svc = disk();
  const status = svc.status(TextDocument.create('file:///nowhere/s.qmp', 'qmp', 1, '# qemu: 9.2\n'), settings({ qemuVersion: 'auto' }));
  assert.equal(status?.text, 'QMP: QEMU 9.2, shipped facts');
  assert.match(status!.detail, /script header/);
});
