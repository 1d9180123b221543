// HMP lines and schema-level QMP commands against real QEMUs: Debian's 7.2 and the
// 10.2 build in ../shared/qemu/bin/10.2 (skipped when absent). One QEMU per version
// answers every probe (HMP through human-monitor-command: it prints nothing on success
// and the monitor's error otherwise); our checker, with nothing but what the extension
// ships for that version (no QEMU tree, no introspection reply), must refuse exactly the
// lines QEMU refuses, QMP ones with QEMU's error class.
// Every probe is safe in a machine-less, stopped QEMU: migration settings, queries, and
// commands refused before they could touch anything (or a null-co block node).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { qemuErrorClass, type QmpCode } from '../../server/src/service/qmp/codes';
import { sharedQemu } from '../helpers/shared';
import { codes, validate } from '../helpers/qmp';
import { QEMU_BINARY, QmpProcess, qemuSkipReason } from './qmpProcess';

const HMP = [
  'migrate_set_capability xbzrle on',
  'migrate_set_capability xbzrle off',
  'migrate_set_capability xbzrle ON',
  'migrate_set_capability xbzrle yes',
  'migrate_set_capability xbzrle true',
  'migrate_set_capability xbzrle 1',
  'migrate_set_capability nosuch on',
  'migrate_set_capability xbzrle off extra',
  ...['on', 'off', 'yes', 'no', 'true', 'false', 'y', 'n', 'ON', 'Yes', '1', 'maybe'].map((v) => `migrate_set_parameter cpu-throttle-tailslow ${v}`),
  ...['16', '0x10', '010', '+5', '256', '-1', '1x', '0', '"8"'].map((v) => `migrate_set_parameter multifd-channels ${v}`),
  ...['300', '1K', '1.5', '-1', '3000000', '0x20'].map((v) => `migrate_set_parameter downtime-limit ${v}`),
  ...['100', '1G', '1GiB', '-5', '1.5M', '0'].map((v) => `migrate_set_parameter max-bandwidth ${v}`),
  ...['128M', '1000', '4096'].map((v) => `migrate_set_parameter xbzrle-cache-size ${v}`),
  'migrate_set_parameter tls-creds "a b"',
  'migrate_set_parameter tls-creds a b',
  "migrate_set_parameter tls-hostname 'h'",
  'migrate_set_parameter tls-hostname "unterminated',
  'migrate_set_parameter tls-hostname "\\q"',
  'migrate_set_parameter nosuch 1',
  'migrate_set_parameter multifd-compression zlib',
  'migrate_set_parameter multifd-compression nosuch',
  'migrate_set_parameter announce-rounds 5',
  'migrate_set_parameter downtime-limit 300 extra',
  'migrate_set_parameter cpu-throttle-initial 100',
  'migrate_set_parameter max-cpu-throttle 99',
  'migrate_set_parameter downtime-limit',
];

const QMP = [
  '{"execute": "query-statuss"}',
  '{"execute": "query-status", "arguments": {"x": 1}}',
  '{"execute": "query-migrate"}',
  '{"execute": "query-qmp-schema", "arguments": {"x": 1}}',
  '{"execute": "query-cpu-definitions"}',
  '{"execute": "block_resize", "arguments": {"node-name": "nosuch", "size": 9223372036854775808}}',
  '{"execute": "block_resize", "arguments": {"node-name": "nosuch", "size": 18446744073709551616}}',
  '{"execute": "block_resize", "arguments": {"node-name": "nosuch", "size": "1"}}',
  '{"execute": "block_resize", "arguments": {"node-nam": "nosuch", "size": 1}}',
  '{"execute": "blockdev-add", "arguments": {"driver": "nosuch", "node-name": "n", "filename": "x"}}',
  '{"execute": "blockdev-add", "arguments": {"driver": 5, "node-name": "n"}}',
  '{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n0", "size": 9223372036854775808}}',
  '{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n1", "bogus": 1}}',
  '{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n2", "size": 1048576}}',
  '{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n3", "read-only": "yes"}}',
  '{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "nosuch", "state": true}]}}',
  '{"execute": "query-blockstats", "arguments": {"query-nodes": "yes"}}',
  '{"execute": "block-job-set-speed", "arguments": {"device": "x", "speed": 18446744073709551616}}',
  '{"execute": "object-add", "arguments": {"qom-type": "nosuch", "id": "o"}}',
  '{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 9223372036854775808}}',
  '{"execute": "migrate-set-parameters", "arguments": {"downtime_limit": 1}}',
  '{"execute": "qom-list", "arguments": {"path": "/machine", "extra": true}}',
  '{"execute": "block-dirty-bitmap-add", "arguments": {"node": "nosuch", "name": "b", "granularity": 4294967296}}',
];

const QEMUS: { version: string; binary: string; skip: string | false }[] = [
  { version: '7.2', binary: QEMU_BINARY, skip: qemuSkipReason() },
  (() => {
    const b = sharedQemu('bin/10.2/qemu-system-x86_64');
    return { version: '10.2', binary: b.path, skip: b.skip };
  })(),
];

for (const q of QEMUS) {
  describe(`HMP lines and QMP commands against a real QEMU ${q.version}`, { skip: q.skip }, () => {
    test('our checker with only the shipped facts refuses exactly what QEMU refuses', async (t) => {
      const qemu = await QmpProcess.startNegotiated({ binary: q.binary });
      const hmp: string[] = [];
      const qmp: { kind: string; class?: string; desc?: string }[] = [];
      let version = '';
      try {
        const g = qemu.greeting as { version?: { qemu?: { major: number; minor: number } } };
        version = `${g.version?.qemu?.major}.${g.version?.qemu?.minor}`;
        for (const line of HMP) {
          const r = await qemu.send(JSON.stringify({ execute: 'human-monitor-command', arguments: { 'command-line': line } }));
          hmp.push(r.kind === 'return' ? String(r.value) : `QMP error ${r.desc}`);
        }
        for (const line of QMP) qmp.push(await qemu.send(line));
      } finally {
        await qemu.quit();
      }
      if (version !== q.version) return t.skip(`expected QEMU ${q.version}, found ${version}`);
      const wrong: string[] = [];
      HMP.forEach((line, i) => {
        const ours = validate(`# qemu: ${q.version}\n${line}`, { qemuVersion: q.version }).filter((d) => d.severity === DiagnosticSeverity.Error);
        const qemuRefuses = hmp[i].trim() !== '';
        if (qemuRefuses !== ours.length > 0)
          wrong.push(`${line}\n  QEMU: ${JSON.stringify(hmp[i])}\n  ours: ${ours.map((d) => d.message).join(' | ') || 'nothing'}`);
      });
      QMP.forEach((line, i) => {
        const a = qmp[i];
        const d = validate(`# qemu: ${q.version}\n${line}`, { qemuVersion: q.version });
        const classes = d.filter((x) => x.severity === DiagnosticSeverity.Error).map((x) => qemuErrorClass(String(x.code) as QmpCode));
        const agree = a.kind === 'return' ? classes.length === 0 : classes.includes(a.class as never);
        if (!agree)
          wrong.push(
            `${line}\n  QEMU: ${a.kind === 'return' ? 'return' : `${a.class}: ${a.desc}`}\n  ours: ${codes(d).join(' ') || 'nothing'} ${d.map((x) => x.message).join(' | ')}`,
          );
      });
      // Both answers occur, so the comparison can fail either way.
      assert.ok(hmp.some((h) => h.trim() === '') && hmp.some((h) => h.trim() !== ''));
      assert.ok(qmp.some((a) => a.kind === 'return') && qmp.some((a) => a.kind === 'error'));
      assert.deepEqual(wrong, [], `${wrong.length} of ${HMP.length + QMP.length} probes disagree`);
    });
  });
}
