// `--format sarif` validated against the official SARIF 2.1.0 JSON schema (OASIS
// sarif-2.1.0-rtm.5, as shipped by Microsoft's @microsoft/jest-sarif package; only its
// schema file is used) with Ajv, on real runs of the built CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { REPO } from '../helpers/shared';

const cli = join(REPO, 'dist', 'cli.js');
const schemaPath = join(REPO, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
// The schema is draft-04. Its language pattern `^[a-zA-Z]{2}|...[a-zA-Z]{2}]?$` has a stray `]`
// that only non-Unicode regular expressions accept (as the schema's own tooling does), hence
// unicodeRegExp: false; "format": "uri" and the like are not what we test here.
const validator = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
// A plain predicate: Ajv's type guard would narrow the checked log to `unknown`.
const validate = (data: unknown): boolean => validator(data);
const errors = () => JSON.stringify(validator.errors, null, 2);

function run(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertSarif(text: string): any {
  const log = JSON.parse(text);
  assert.ok(validate(log), errors());
  assert.equal(log.version, '2.1.0');
  return log;
}

test('the schema is the official 2.1.0 one', () => {
  assert.match(schema.title, /SARIF\) Version 2\.1\.0/);
  // A log that breaks the schema is rejected: the validator really validates.
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
});

test('check --format sarif on scripts with errors: valid SARIF, one result per diagnostic, same lines', () => {
  const sarif = run(['check', '--format', 'sarif', 'examples/qmp']);
  const json = run(['check', '--format', 'json', 'examples/qmp']);
  assert.equal(sarif.code, 1, sarif.stderr);
  assert.equal(json.code, 1);
  const log = assertSarif(sarif.stdout);
  const report = JSON.parse(json.stdout);
  const expected = report.files.flatMap((f: { path: string; diagnostics: { line: number; column: number; severity: string; code: string }[] }) =>
    f.diagnostics.map((d) => `${f.path}:${d.line}:${d.column}:${d.severity === 'information' ? 'note' : d.severity}:${d.code}`),
  );
  const results = log.runs[0].results;
  assert.ok(results.length > 0);
  assert.deepEqual(
    results.map((r: any) => {
      const loc = r.locations[0].physicalLocation;
      return `${loc.artifactLocation.uri}:${loc.region.startLine}:${loc.region.startColumn}:${r.level}:${r.ruleId}`;
    }),
    expected,
  );
  // Each result's rule is declared, and ruleIndex points at it.
  const rules = log.runs[0].tool.driver.rules;
  for (const r of results) assert.equal(rules[r.ruleIndex].id, r.ruleId);
  assert.ok(results.every((r: any) => r.locations[0].physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%'));
});

test('check --format sarif on a clean schema: valid SARIF with no results, exit 0', () => {
  const r = run(['check', '--format', 'sarif', 'examples/qapi']);
  assert.equal(r.code, 0, r.stderr);
  const log = assertSarif(r.stdout);
  assert.deepEqual(log.runs[0].results, []);
  assert.equal(log.runs[0].properties.rules, '10.2');
});

test('check --format sarif on a broken schema outside the working directory: file: URIs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sarif-'));
  mkdirSync(join(dir, 'qapi'));
  writeFileSync(join(dir, 'qapi', 'qapi-schema.json'), "{ 'struct': 'Foo', 'data': { 'a': 'NoSuchType' } }\n");
  const r = run(['check', '--format', 'sarif', join(dir, 'qapi')]);
  assert.equal(r.code, 1);
  const log = assertSarif(r.stdout);
  const loc = log.runs[0].results[0].locations[0].physicalLocation;
  assert.match(loc.artifactLocation.uri, /^file:\/\/\/.*\/qapi\/qapi-schema\.json$/);
  assert.equal(loc.region.startLine, 1);
});

test('converge --format sarif: a non-converging scenario is an error result with what converges', () => {
  const r = run(['converge', 'examples/scenarios/busy-thread-10.2.json', '--format', 'sarif']);
  assert.equal(r.code, 1, r.stderr);
  const log = assertSarif(r.stdout);
  const [res] = log.runs[0].results;
  assert.equal(res.ruleId, 'converge/no-switchover');
  assert.equal(res.level, 'error');
  assert.match(res.message.text, /avail-switchover-bandwidth to at least/);
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'examples/scenarios/busy-thread-10.2.json');
});

test('converge --format sarif: a scenario converging within downtime-limit has no findings', () => {
  const r = run(['converge', 'examples/scenarios/default-cap-8G-7.2.json', '--format', 'sarif']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(assertSarif(r.stdout).runs[0].results, []);
});

test('converge --format sarif: converging, but 6 ms over downtime-limit, is one warning', () => {
  const json = JSON.parse(run(['converge', 'examples/scenarios/busy-thread-asb-10.2.json', '--format', 'json']).stdout);
  assert.ok(json.converged && json.downtimeMs > json.downtimeLimitMs, `${json.downtimeMs} ms`);
  const r = run(['converge', 'examples/scenarios/busy-thread-asb-10.2.json', '--format', 'sarif']);
  assert.equal(r.code, 0, r.stderr);
  const results = assertSarif(r.stdout).runs[0].results;
  assert.deepEqual(
    results.map((x: any) => `${x.ruleId}:${x.level}`),
    ['converge/downtime-above-limit:warning'],
  );
  assert.match(results[0].message.text, new RegExp(`${Math.round(json.downtimeMs)} ms\\) exceeds downtime-limit \\(300 ms\\)`));
});

test('converge --format sarif: a real downtime above downtime-limit is reported', () => {
  // avail-switchover-bandwidth far above the link: QEMU switches over with more pending than
  // the link sends within the limit, so the real downtime exceeds it (the seed patch's warning).
  const dir = mkdtempSync(join(tmpdir(), 'sarif-'));
  const path = join(dir, 'over-link.json');
  writeFileSync(
    path,
    JSON.stringify({
      qemuVersion: '10.2',
      guest: { ramBytes: 2147483648, workingSetBytes: 536870912, dirtyBytesPerSecond: 100000000, vcpus: 2 },
      link: { bytesPerSecond: 125000000 },
      parameters: { 'downtime-limit': 300, 'max-bandwidth': 0, 'avail-switchover-bandwidth': 12500000000 },
      maxSeconds: 600,
    }),
  );
  const json = JSON.parse(run(['converge', path, '--format', 'json']).stdout);
  assert.ok(json.downtimeMs > json.downtimeLimitMs, `the scenario must overshoot: ${json.downtimeMs} ms`);
  const r = run(['converge', path, '--format', 'sarif']);
  const log = assertSarif(r.stdout);
  const above = log.runs[0].results.find((x: any) => x.ruleId === 'converge/downtime-above-limit');
  assert.ok(above, JSON.stringify(log.runs[0].results));
  assert.match(above.message.text, new RegExp(`${Math.round(json.downtimeMs)} ms\\) exceeds downtime-limit \\(300 ms\\)`));
  assert.ok(
    log.runs[0].results.some((x: any) => x.ruleId === 'converge/warning'),
    'the above-the-link warning too',
  );
});

test('converge --format sarif from a QMP script line points at that line', () => {
  const r = run(['converge', 'test/fixtures/simulator/busy-thread.qmp:4', '--format', 'sarif']);
  const log = assertSarif(r.stdout);
  for (const res of log.runs[0].results) assert.equal(res.locations[0].physicalLocation.region.startLine, 4);
  assert.ok(log.runs[0].results.length > 0, 'line 4 has no avail-switchover-bandwidth yet: it does not converge');
});
