// The C names QEMU's generator makes, per version: camel_to_upper's documented examples
// (the 9.2 rewrite and the older one), and every name and signature we compute for the
// real 8.2 and 10.2 schemas compared with the headers QEMU's own generator writes (its
// scripts/qapi from the QEMU git history on this machine, run into a temporary folder).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CachedFiles, diskFiles } from '../../server/src/service/common/files';
import { normalizeSettings } from '../../server/src/service/common/settings';
import { camelToUpper, cEnumConst, cNameProtected, namesOfDefinition, namesOfMember } from '../../server/src/service/csource/generatedNames';
import { createQapiLanguage } from '../../server/src/service/qapi/index';
import { sharedQemu } from '../helpers/shared';

const MIRROR = '/work/.mirror/pbo-linaro+qemu-ci/repo';
const RELEASES = { '8.2': '1600b9f46b', '10.2': '698104725e' } as const;

// Expected values are what QEMU's own camel_to_upper() returns (its 9.2 docstring's
// ENUM_NAME examples are not what the code does: it gives ENU_M_NAME).
test('camel_to_upper: QEMU 9.2+ (commit 7b29353fdd)', () => {
  const cases: [string, string][] = [
    ['ENUMName', 'ENUM_NAME'],
    ['EnumName1', 'ENUM_NAME1'],
    ['ENUM_NAME', 'ENU_M_NAME'],
    ['MigrationParameter', 'MIGRATION_PARAMETER'],
    ['QCryptoTLSCredsEndpoint', 'QCRYPTO_TLS_CREDS_ENDPOINT'],
    ['X86CPURegister32', 'X86_CPU_REGISTER32'],
  ];
  for (const [i, o] of cases) assert.equal(camelToUpper(i, '10.2'), o, i);
});

test('camel_to_upper before 9.2 splits acronyms differently (why enums needed a prefix)', () => {
  const cases: [string, string][] = [
    ['ENUMName', 'ENUM_NAME'],
    ['EnumName1', 'ENUM_NAME1'],
    ['ENUM_Name2', 'ENUM_NAME2'],
    ['ENUM24_Name', 'ENUM24_NAME'],
    ['MigrationParameter', 'MIGRATION_PARAMETER'],
    ['QCryptoTLSCredsEndpoint', 'Q_CRYPTOTLS_CREDS_ENDPOINT'],
    ['X86CPURegister32', 'X86_CPU_REGISTER32'],
  ];
  for (const [i, o] of cases) assert.equal(camelToUpper(i, '8.2'), o, i);
  assert.equal(cEnumConst('MigrationParameter', 'avail-switchover-bandwidth', '8.2'), 'MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH');
  assert.equal(cEnumConst('QAPIEvent', 'MIGRATION_PASS', '8.2', 'QAPI_EVENT'), 'QAPI_EVENT_MIGRATION_PASS');
  assert.equal(cEnumConst('QCryptoTLSCredsEndpoint', 'client', '8.2', 'QCRYPTO_TLS_CREDS_ENDPOINT'), 'QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT');
});

test('c_name protects C keywords and leading digits', () => {
  assert.equal(cNameProtected('int'), 'q_int');
  assert.equal(cNameProtected('unix'), 'q_unix');
  assert.equal(cNameProtected('x-checkpoint-delay'), 'x_checkpoint_delay');
  assert.equal(cNameProtected('__org.qemu_x-foo'), '__org_qemu_x_foo');
});

for (const [version, commit] of Object.entries(RELEASES)) {
  const schema = sharedQemu(`schemas/v${version}.0/qapi/qapi-schema.json`);
  const skip =
    schema.skip ||
    (!existsSync(MIRROR) ? `QEMU's git history not found at ${MIRROR}` : false) ||
    (spawnSync('python3', ['--version']).status !== 0 ? "python3 is needed to run QEMU's generator" : false);
  describe(`QEMU ${version}: our names equal the generator's`, { skip }, () => {
    test('every type, list, visitor, enum constant, field, has_ flag, handler and emitter, and their signatures', () => {
      const work = mkdtempSync(join(tmpdir(), 'qapi-gen-'));
      try {
        const archive = spawnSync('sh', ['-c', `git -C '${MIRROR}' archive ${commit} scripts/qapi | tar -x -C '${work}'`]);
        assert.equal(archive.status, 0, String(archive.stderr));
        const out = join(work, 'out');
        const gen = spawnSync(
          'python3',
          ['-c', `import sys; sys.argv=['qapi-gen','-o',${JSON.stringify(out)},${JSON.stringify(schema.path)}]\nfrom qapi import main; sys.exit(main.main())`],
          { cwd: join(work, 'scripts') },
        );
        assert.equal(gen.status, 0, String(gen.stderr));
        let headers = '';
        for (const f of readdirSync(out)) if (f.endsWith('.h')) headers += readFileSync(join(out, f), 'utf8') + '\n';
        headers = headers.replace(/,\n\s+/g, ', '); // declarations the generator wraps
        const identifiers = new Set(headers.match(/\w+/g));
        const lines = new Set(headers.split('\n').map((l) => l.trim()));

        const check = createQapiLanguage(new CachedFiles(diskFiles, Infinity)).checkSchemaOf(schema.path, normalizeSettings({ qemuVersion: version }).settings);
        let names = 0,
          signatures = 0;
        const missing: string[] = [];
        for (const def of check.model.definitions) {
          if (def.flags.gen === false) continue; // QEMU generates nothing for these
          for (const n of [...namesOfDefinition(check, def), ...def.members.flatMap((m) => namesOfMember(check, def, m))]) {
            names++;
            if (!identifiers.has(n.name)) missing.push(`${def.name}: ${n.kind} ${n.name}`);
            if ((n.kind === 'handler' || n.kind === 'event' || n.kind === 'visitor' || n.kind === 'free') && n.decl) {
              signatures++;
              if (!lines.has(n.decl)) missing.push(`${def.name}: ${n.decl}`);
            }
          }
        }
        assert.deepEqual(missing.slice(0, 20), []);
        assert.ok(names > 7000 && signatures > 1400, `${names} names, ${signatures} signatures compared`);
        assert.ok(identifiers.has('MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH') && identifiers.has('has_avail_switchover_bandwidth'));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}
