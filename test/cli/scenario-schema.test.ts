// Scenario files have one JSON Schema (schemas/scenario.schema.json): VS Code validates and
// completes them with it (contributes.jsonValidation) and `qapi-qmp converge` checks files
// against the same file, naming the bad field. The file is generated from the migration facts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { schemaText, SCHEMA_PATH } from '../../scripts/scenario-schema';
import { checkScenarioSchema } from '../../server/src/cli/scenarioSchema';
import { REPO } from '../helpers/shared';

const cli = join(REPO, 'dist', 'cli.js');
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

function converge(content: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
  const path = join(dir, 'scenario.json');
  writeFileSync(path, JSON.stringify(content));
  const r = spawnSync(process.execPath, [cli, 'converge', path], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const good = {
  qemuVersion: '10.2',
  guest: { ramBytes: 1073741824, workingSetBytes: 67108864, dirtyBytesPerSecond: 10000000 },
  link: { bytesPerSecond: 1250000000 },
  maxSeconds: 120,
};

test('the committed schema is what scripts/scenario-schema.ts generates from the facts', () => {
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), schemaText(), 'schemas/scenario.schema.json is stale: run node --import tsx scripts/scenario-schema.ts');
});

test('VS Code validates scenario files with the same schema file', () => {
  const entries = manifest.contributes.jsonValidation as { fileMatch: string | string[]; url: string }[];
  const entry = entries.find((e) => e.url === './schemas/scenario.schema.json');
  assert.ok(entry, JSON.stringify(entries));
  const patterns = ([] as string[]).concat(entry.fileMatch);
  assert.ok(patterns.includes('**/scenarios/*.json') && patterns.includes('*.scenario.json'), patterns.join(', '));
});

test('every example scenario is valid', () => {
  const dir = join(REPO, 'examples', 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 4);
  for (const f of files) {
    const verdict = checkScenarioSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    assert.deepEqual(verdict, { ok: true }, f);
  }
});

describe('bad scenarios are rejected, naming the field (the CLI, exit 2, one line)', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['a misspelt top-level field', { ...good, maxSecond: 10 }, 'maxSecond', /maxSecond is not a scenario field \(known here: qemuVersion, guest, link/],
    ['a misspelt guest field', { ...good, guest: { ...good.guest, vcpu: 2 } }, 'guest.vcpu', /guest\.vcpu is not a scenario field/],
    [
      'a missing required field',
      { ...good, guest: { ramBytes: 1e9, workingSetBytes: 0 } },
      'guest.dirtyBytesPerSecond',
      /guest\.dirtyBytesPerSecond is missing/,
    ],
    ['a missing link', { qemuVersion: '10.2', guest: good.guest }, 'link', /link is missing/],
    ['a string for a number', { ...good, link: { bytesPerSecond: '10G' } }, 'link.bytesPerSecond', /link\.bytesPerSecond must be a number, got "10G"/],
    ['a negative RAM', { ...good, guest: { ...good.guest, ramBytes: -1 } }, 'guest.ramBytes', /guest\.ramBytes must be a positive number, got -1/],
    ['an efficiency above 1', { ...good, link: { bytesPerSecond: 1e9, sendingEfficiency: 1.5 } }, 'link.sendingEfficiency', /must be at most 1, got 1\.5/],
    [
      'a bad version',
      { ...good, qemuVersion: 'latest' },
      'qemuVersion',
      /qemuVersion must be a QEMU version from 7\.2 to 10\.x, such as "10\.2", got "latest"/,
    ],
    [
      'a parameter of the wrong type',
      { ...good, parameters: { 'downtime-limit': '300ms' } },
      'parameters.downtime-limit',
      /parameters\.downtime-limit must be a whole number, got "300ms"/,
    ],
    ['a parameter out of range', { ...good, parameters: { 'multifd-channels': 0 } }, 'parameters.multifd-channels', /must be at least 1, got 0/],
    ['a bad enum value', { ...good, parameters: { 'multifd-compression': 'gzip' } }, 'parameters.multifd-compression', /must be one of "none", "zlib"/],
    ['a capability that is not a boolean', { ...good, capabilities: { 'auto-converge': 'yes' } }, 'capabilities.auto-converge', /must be true or false/],
    [
      'a bad downtime step',
      { ...good, downtimeSteps: [{ atSeconds: 10, downtimeLimitMs: 50 }, { atSeconds: 20 }] },
      'downtimeSteps[1].downtimeLimitMs',
      /downtimeSteps\[1\]\.downtimeLimitMs is missing/,
    ],
    ['not an object', [1, 2], 'scenario', /scenario must be an object/],
  ];
  for (const [name, content, field, message] of cases) {
    test(name, () => {
      const verdict = checkScenarioSchema(content);
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.equal(verdict.field, field);
      const r = converge(content);
      assert.equal(r.code, 2, `exit code: ${r.stdout}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  test("what the schema cannot say is still the simulator's to reject, naming the field", () => {
    const r = converge({ ...good, qemuVersion: '7.2', parameters: { 'avail-switchover-bandwidth': 1e9 } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /avail-switchover-bandwidth does not exist in QEMU 7\.2/);
  });

  test('a valid scenario with unknown parameters is accepted (they are reported as ignored)', () => {
    const r = converge({ ...good, parameters: { 'tls-creds': 'tls0' } });
    assert.equal(r.code, 0, r.stderr);
  });
});
