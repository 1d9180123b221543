// The model's `if` macros: those of definitions, members, branches, enum values and
// features are all collected (completion offers them), and nothing else is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { QapiProject } from '../../server/src/service/qapi/project';

const ROOT = '/m/schema.json';

function macros(text: string): string[] {
  const c = new QapiProject(memoryFiles({ [ROOT]: text })).check(ROOT, { ...defaultSettings, qemuVersion: '10.2' });
  return [...c.model.ifMacros].sort();
}

test('macros of members, enum values, branches and features are in the model', () => {
  const text =
    [
      "{ 'enum': 'Kind', 'data': [ 'a', { 'name': 'b', 'if': 'ENUM_VALUE', 'features': [ { 'name': 'ef', 'if': 'ENUM_FEATURE' } ] } ] }",
      "{ 'struct': 'Base', 'data': { 'kind': 'Kind', '*m': { 'type': 'int', 'if': { 'all': [ 'MEMBER_A', 'MEMBER_B' ] } } } }",
      "{ 'struct': 'Opts', 'data': { 'x': { 'type': 'str', 'features': [ { 'name': 'mf', 'if': { 'not': 'MEMBER_FEATURE' } } ] } },",
      "  'features': [ { 'name': 'tf', 'if': 'TYPE_FEATURE' } ], 'if': 'DEFINITION' }",
      "{ 'union': 'U', 'base': 'Base', 'discriminator': 'kind', 'data': { 'a': { 'type': 'Opts', 'if': 'BRANCH' } } }",
      "{ 'union': 'V', 'base': { 'kind': 'Kind', 'y': { 'type': 'int', 'if': 'INLINE_BASE' } }, 'discriminator': 'kind', 'data': {} }",
    ].join('\n') + '\n';
  assert.deepEqual(macros(text), [
    'BRANCH',
    'DEFINITION',
    'ENUM_FEATURE',
    'ENUM_VALUE',
    'INLINE_BASE',
    'MEMBER_A',
    'MEMBER_B',
    'MEMBER_FEATURE',
    'TYPE_FEATURE',
  ]);
});

test('a member named like a condition key is not taken for a macro', () => {
  assert.deepEqual(macros("{ 'struct': 'S', 'data': { 'if': 'str', 'all': [ 'int' ] } }\n"), []);
});
