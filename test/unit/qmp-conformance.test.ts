// The root causes found by measuring the checker against QEMU's own iotests
// (test/qemu/iotestsCorpus.ts): integer widths with only an introspection reply,
// widths inside union variants, a refused union tag, int64 overflow as a wrong
// type, and scripts that drive several QEMUs in turn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { sharedQemu } from '../helpers/shared';
import { codes, disk, validate } from '../helpers/qmp';

const E = DiagnosticSeverity.Error;
const intro102 = sharedQemu('introspection/qemu-10.2-x86_64-M-none.query-qmp-schema.json');
const resize = (n: string) => `{"execute": "block_resize", "arguments": {"node-name": "n", "size": ${n}}}`;
const nullCo = (size: string) => `{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n", "size": ${size}}}`;

test('only an introspection reply (a release without shipped widths): any integer QEMU could accept passes', { skip: intro102.skip }, () => {
  const s = { qemuVersion: '6.2', introspectionFile: intro102.path };
  const svc = disk();
  assert.deepEqual(
    codes(validate([resize('9223372036854775808'), resize('18446744073709551615'), resize('-1'), nullCo('9223372036854775808')].join('\n'), s, svc), E),
    [],
  );
  assert.deepEqual(codes(validate(resize('18446744073709551616'), s, svc), E), ['1:qmp-integer-range'], 'past 2^64-1 no integer member takes it');
});

test(
  'with a width from the shipped facts or QAPI: int64 refuses 2^63 and up as a wrong type (QEMU: Invalid parameter type), also inside union variants',
  { skip: intro102.skip },
  () => {
    const s = { qemuVersion: '10.2', introspectionFile: intro102.path };
    const svc = disk();
    const d = validate(
      [resize('9223372036854775808'), resize('18446744073709551616'), resize('9223372036854775807'), nullCo('9223372036854775808')].join('\n'),
      s,
      svc,
    );
    assert.deepEqual(codes(d, E), ['1:qmp-wrong-type', '2:qmp-wrong-type', '4:qmp-wrong-type']);
    assert.match(String(d[0].message), /int64/);
    // Without the introspection reply too.
    assert.deepEqual(codes(validate(resize('9223372036854775808'), { qemuVersion: '7.2' }), E), ['1:qmp-wrong-type']);
  },
);

test('a refused union tag: the error is on the tag alone (QEMU stops there), members are not also unknown or missing', { skip: intro102.skip }, () => {
  const s = { qemuVersion: '10.2', introspectionFile: intro102.path };
  const svc = disk();
  const d = validate('{"execute": "blockdev-add", "arguments": {"driver": "nosuch", "node-name": "n", "size": 1, "filename": "x"}}', s, svc);
  assert.deepEqual(codes(d, E), ['1:qmp-enum-value']);
  assert.deepEqual(codes(validate('{"execute": "blockdev-add", "arguments": {"driver": 5, "node-name": "n", "size": 1}}', s, svc), E), ['1:qmp-wrong-type']);
  // A valid tag still gets its variant's unknown and missing members.
  assert.deepEqual(codes(validate('{"execute": "blockdev-add", "arguments": {"driver": "file", "node-name": "n", "size": 1}}', s, svc), E), [
    '1:qmp-missing-argument',
    '1:qmp-unknown-argument',
  ]);
  // And without any reply.
  assert.deepEqual(codes(validate('{"execute": "blockdev-add", "arguments": {"driver": "nosuch", "filename": "x"}}', { qemuVersion: '9.0' }), E), [
    '1:qmp-enum-value',
  ]);
});

test('after quit the next command talks to another QEMU: qmp_capabilities again is fine, and the migration state starts afresh', () => {
  const caps = '{"execute": "qmp_capabilities"}';
  const quit = '{"execute": "quit"}';
  assert.deepEqual(codes(validate([caps, quit, caps, quit, caps].join('\n'))), []);
  assert.deepEqual(codes(validate([caps, caps].join('\n'))), ['2:qmp-command-not-found']);
  assert.deepEqual(
    codes(validate([caps, '{"execute": "quit", "arguments": {"x": 1}}', caps].join('\n'))).sort(),
    ['2:qmp-unknown-argument', '3:qmp-command-not-found'],
    'a refused quit leaves the same QEMU',
  );
  const postcopy = [
    caps,
    '{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "postcopy-ram", "state": true}]}}',
    quit,
    caps,
    '{"execute": "migrate", "arguments": {"uri": "unix:/tmp/x"}}',
    '{"execute": "migrate-start-postcopy"}',
  ];
  assert.deepEqual(codes(validate(postcopy.join('\n'), { qemuVersion: '7.2' })), ['6:qmp-state']);
});

test('HMP as the monitor reads it: capabilities take exactly on/off; parameters read booleans with qapi_bool_parse and integers base 0; 10.2 takes the rest of the line as the value', () => {
  const errs = (line: string, v: string) => codes(validate(`# qemu: ${v}\n${line}`, { qemuVersion: v }), E);
  for (const v of ['7.2', '10.2']) {
    assert.deepEqual(errs('migrate_set_capability xbzrle on', v), []);
    for (const bad of ['ON', 'yes', 'true', '1']) assert.equal(errs(`migrate_set_capability xbzrle ${bad}`, v).length, 1, `${bad} on ${v}`);
    for (const ok of ['y', 'n', 'yes', 'false']) assert.deepEqual(errs(`migrate_set_parameter cpu-throttle-tailslow ${ok}`, v), [], `${ok} on ${v}`);
    for (const bad of ['ON', 'Yes', '1']) assert.equal(errs(`migrate_set_parameter cpu-throttle-tailslow ${bad}`, v).length, 1, `${bad} on ${v}`);
    assert.deepEqual(errs('migrate_set_parameter multifd-channels 0x10', v), []);
    assert.deepEqual(errs('migrate_set_parameter multifd-channels 010', v), []);
    assert.deepEqual(errs('migrate_set_parameter multifd-channels -1', v), ['2:qmp-integer-range'], 'a negative wraps, then does not fit uint8');
  }
  assert.equal(errs('migrate_set_parameter tls-creds a b', '7.2').length, 1);
  assert.deepEqual(errs('migrate_set_parameter tls-creds a b', '10.2'), []);
  assert.equal(errs('migrate_set_parameter tls-hostname "unterminated', '7.2').length, 1);
  assert.deepEqual(errs('migrate_set_parameter tls-hostname "unterminated', '10.2'), []);
  assert.equal(errs('migrate_set_parameter downtime-limit 300 extra', '10.2').length, 1, '10.2 reads "300 extra" as the size');
});
