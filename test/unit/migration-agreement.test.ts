// The checker (`qapi-qmp check`) and the simulator (`qapi-qmp converge`) give QEMU's
// verdict on every migration rule of every supported release, and the same words:
// each case is a script (one migrate-set-parameters, then one migrate-set-capabilities)
// for the checker and a scenario with the same settings for the simulator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { MIGRATION_RELEASES } from '../../server/src/migration/index';
import { QmpCode } from '../../server/src/service/qmp/codes';
import { simulate, ScenarioError, type Scenario } from '../../server/src/simulator/index';
import { ruleCases, type Expect, type RuleCase } from '../fixtures/migration/ruleCases';
import { validate } from '../helpers/qmp';

const RULE_CODES = new Set<string>([QmpCode.parameterRange, QmpCode.capabilityCombination, QmpCode.state, QmpCode.ignoredByQemu]);

export function script(c: RuleCase): string {
  const lines = ['{"execute": "qmp_capabilities"}'];
  if (Object.keys(c.parameters).length) lines.push(JSON.stringify({ execute: 'migrate-set-parameters', arguments: c.parameters }));
  if (Object.keys(c.capabilities).length) {
    lines.push(
      JSON.stringify({
        execute: 'migrate-set-capabilities',
        arguments: { capabilities: Object.entries(c.capabilities).map(([capability, state]) => ({ capability, state })) },
      }),
    );
  }
  return lines.join('\n');
}

function checkVerdict(c: RuleCase): { verdict: Expect; messages: string[]; all: Diagnostic[] } {
  const all = validate(script(c), { qemuVersion: c.version });
  const rule = all.filter((d) => RULE_CODES.has(String(d.code)));
  const errors = rule.filter((d) => d.severity === DiagnosticSeverity.Error);
  const warnings = rule.filter((d) => d.severity === DiagnosticSeverity.Warning);
  const verdict = errors.length ? 'refuse' : warnings.length ? 'warn' : 'accept';
  return { verdict, messages: (errors.length ? errors : warnings).map((d) => String(d.message)), all };
}

function convergeVerdict(c: RuleCase): { verdict: Expect; messages: string[] } {
  const scenario: Scenario = {
    qemuVersion: c.version,
    guest: { ramBytes: 64 * 2 ** 20, workingSetBytes: 8 * 2 ** 20, dirtyBytesPerSecond: 1e6, zeroPageFraction: 0, vcpus: 1 },
    link: { bytesPerSecond: 1.25e9, sendingEfficiency: 1 },
    parameters: c.parameters as Scenario['parameters'],
    capabilities: c.capabilities,
    maxSeconds: 2,
  };
  try {
    const r = simulate(scenario);
    const warned = (r.notes ?? []).filter((n) => n.endsWith('; the model assumes QEMU accepts it.'));
    return { verdict: warned.length ? 'warn' : 'accept', messages: warned.map((n) => n.replace(/; the model assumes QEMU accepts it\.$/, '')) };
  } catch (e) {
    if (e instanceof ScenarioError) return { verdict: 'refuse', messages: [e.message] };
    throw e;
  }
}

const cases = ruleCases();

test('the cases cover every release, refusals and acceptances', () => {
  for (const v of MIGRATION_RELEASES) {
    const mine = cases.filter((c) => c.version === v);
    assert.ok(mine.some((c) => c.expect === 'refuse') && mine.some((c) => c.expect === 'accept'), v);
  }
  assert.ok(cases.length > 400, `${cases.length} cases`);
});

test('check and converge agree with each other and with the rule on every case, in the same words', () => {
  const wrong: string[] = [];
  for (const c of cases) {
    const check = checkVerdict(c);
    const converge = convergeVerdict(c);
    if (check.verdict !== c.expect || converge.verdict !== c.expect) {
      wrong.push(
        `${c.name}: expected ${c.expect}, check ${check.verdict} (${check.messages.join(' | ') || check.all.map((d) => `${d.code}: ${d.message}`).join(' | ')}), converge ${converge.verdict} (${converge.messages.join(' | ')})`,
      );
      continue;
    }
    if (c.expect !== 'accept' && !converge.messages.every((m) => check.messages.includes(m))) {
      wrong.push(`${c.name}: different words\n  check:    ${check.messages.join(' | ')}\n  converge: ${converge.messages.join(' | ')}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("the issue's example: on 9.2, postcopy-ram with multifd is refused by both; on 10.1 both accept it", () => {
  const c = (version: string): RuleCase => ({
    name: '',
    rule: '',
    version,
    expect: 'refuse',
    parameters: {},
    capabilities: { 'postcopy-ram': true, multifd: true },
  });
  assert.equal(checkVerdict(c('9.2')).verdict, 'refuse');
  assert.equal(convergeVerdict(c('9.2')).verdict, 'refuse');
  assert.match(convergeVerdict(c('9.2')).messages[0], /Postcopy is not yet compatible with multifd/);
  assert.equal(checkVerdict(c('10.1')).verdict, 'accept');
  assert.equal(convergeVerdict(c('10.1')).verdict, 'accept');
});
