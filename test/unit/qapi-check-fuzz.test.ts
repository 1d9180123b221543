// Random damage to a valid schema never makes the checker throw or fail internally,
// under every rule set, and the first error is always one of the reported diagnostics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { memoryFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { RULE_SETS } from '../../server/src/service/common/versions';
import { QapiProject } from '../../server/src/service/qapi/project';

const base = readFileSync(resolve(__dirname, '..', 'fixtures', 'qapi', 'fuzz-base.json'), 'utf8');
const pieces = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  "'",
  '\n',
  '#',
  '##\n',
  '\t',
  ' ',
  '\\',
  'true',
  "'x'",
  "'Foo'",
  "'*a'",
  '@',
  '\u00e9',
  '\u0000',
  "'if'",
  "'data'",
  "'base'",
];

test('the undamaged base schema is clean under every rule set', () => {
  for (const rules of RULE_SETS) {
    const c = new QapiProject(memoryFiles({ '/f/schema.json': base })).check('/f/schema.json', { ...defaultSettings, qemuVersion: rules });
    assert.equal(c.firstError, null, `${rules}: ${JSON.stringify(c.firstError)}`);
    assert.equal(c.model.definitions.length, 8);
  }
});

test('damaged schemas are diagnosed, never thrown on', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(base.length), fc.nat(8), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 6 }),
      fc.constantFrom(...RULE_SETS),
      (edits, rules) => {
        let text = base;
        for (const [at, del, ins] of edits) text = text.slice(0, at) + ins + text.slice(at + del);
        const c = new QapiProject(memoryFiles({ '/f/schema.json': text })).check('/f/schema.json', { ...defaultSettings, qemuVersion: rules });
        const all = [...c.diagnostics.values()].flat();
        assert.ok(!all.some((d) => d.code === 'internal-error'), String(all.find((d) => d.code === 'internal-error')?.message));
        if (c.firstError) assert.ok(all.some((d) => d.message === c.firstError!.message));
        else assert.equal(all.length, 0);
      },
    ),
    { numRuns: 400, seed: 42 },
  );
});
