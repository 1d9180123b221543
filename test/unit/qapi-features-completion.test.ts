// Completion in a file of the fixture tree, typed at its end: keys by definition kind
// and nesting, type names across includes, features, union branches from the
// discriminator's enum, `if` macros, booleans; quoting of the inserted text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MIGRATION, editedAt, settings } from '../helpers/qapiFeatures';

const original = readFileSync(MIGRATION, 'utf8');
const complete = (typed: string) => {
  const { lang, doc, pos } = editedAt(MIGRATION, `${original}\n${typed}\n`);
  return lang.completion(doc, pos, settings).items;
};
const labels = (typed: string) =>
  complete(typed)
    .map((i) => i.label)
    .sort();

test('top level: definition keywords first, then the keys of that kind not yet used', () => {
  assert.deepEqual(labels("{ '|"), ['alternate', 'command', 'enum', 'event', 'include', 'pragma', 'struct', 'union']);
  assert.deepEqual(labels("{ 'struct': 'S', 'data': {}, | }"), ['base', 'features', 'if']);
  assert.deepEqual(labels("{ 'command': 'c', '|' }"), [
    'allow-oob',
    'allow-preconfig',
    'boxed',
    'coroutine',
    'data',
    'features',
    'gen',
    'if',
    'returns',
    'success-response',
  ]);
  assert.deepEqual(labels("{ 'pragma': { '|' } }"), [
    'command-name-exceptions',
    'command-returns-exceptions',
    'doc-required',
    'documentation-exceptions',
    'member-name-exceptions',
  ]);
});

test('member value: every type, defined in this file or an included one, and built-in', () => {
  const items = labels("{ 'struct': 'S', 'data': { 'a': '|' } }");
  for (const name of ['MigMode', 'MigrationParameters', 'StrOrNull', 'OnOffAuto', 'int', 'size', 'any']) assert.ok(items.includes(name), name);
  assert.ok(!items.includes('query-migrate-parameters') && !items.includes('MIG_DONE'), 'commands and events are not types');
  assert.deepEqual(labels("{ 'struct': 'S', 'data': { 'a': ['Str|'] } }"), items);
  assert.deepEqual(labels("{ 'struct': 'S', 'data': { 'a': { 'type': '|' } } }"), items);
});

test('member object keys, enum value object keys, feature object keys', () => {
  assert.deepEqual(labels("{ 'struct': 'S', 'data': { 'a': { 'type': 'int', | } } }"), ['features', 'if']);
  assert.deepEqual(labels("{ 'union': 'U', 'base': 'MigBase', 'discriminator': 'mode', 'data': { 'fast': { | } } }"), ['if', 'type']);
  assert.deepEqual(labels("{ 'enum': 'E', 'data': [ { '|' } ] }"), ['features', 'if', 'name']);
  assert.deepEqual(labels("{ 'struct': 'S', 'features': [ { 'name': 'f', | } ] }"), ['if']);
});

test('restricted type slots: base and union branches take structs, alternates no any', () => {
  const base = labels("{ 'struct': 'S', 'base': '|' }");
  assert.ok(base.includes('MigBase') && !base.includes('MigMode') && !base.includes('int'));
  const branch = labels("{ 'union': 'U', 'base': 'MigBase', 'discriminator': 'mode', 'data': { 'fast': '|' } }");
  assert.deepEqual(branch, ['MigBase', 'MigNormal', 'MigrationParameters']);
  const alt = labels("{ 'alternate': 'A', 'data': { 'x': '|' } }");
  assert.ok(alt.includes('str') && !alt.includes('any'));
});

test('union: branch keys are the discriminator enum values not yet used; discriminator from base members', () => {
  assert.deepEqual(labels("{ 'union': 'U', 'base': 'MigBase', 'discriminator': 'mode', 'data': { 'normal': 'MigNormal', | } }"), ['fast']);
  assert.deepEqual(labels("{ 'union': 'U', 'base': { 'kind': 'OnOffAuto', '*x': 'int' }, 'discriminator': 'kind', 'data': { '|' } }"), ['auto', 'off', 'on']);
  assert.deepEqual(labels("{ 'union': 'U', 'base': 'MigBase', 'discriminator': '|' }"), ['mode']);
});

test('features, if macros, booleans', () => {
  const onType = labels("{ 'struct': 'S', 'features': [ '|' ] }");
  assert.ok(onType.includes('unstable') === false && onType.includes('deprecated') === false);
  const onCommand = labels("{ 'command': 'c', 'features': [ '|' ] }");
  assert.ok(onCommand.includes('deprecated') && onCommand.includes('unstable'));
  assert.deepEqual(labels("{ 'struct': 'S', 'if': '|' }"), ['CONFIG_MIG', 'CONFIG_SWITCH']);
  assert.deepEqual(labels("{ 'struct': 'S', 'if': { 'any': [ 'CONFIG_MIG', '|' ] } }"), ['CONFIG_MIG', 'CONFIG_SWITCH']);
  assert.deepEqual(labels("{ 'struct': 'S', 'if': { | } }"), ['all', 'any', 'not']);
  assert.deepEqual(labels("{ 'command': 'c', 'allow-oob': | }"), ['true']);
  assert.deepEqual(labels("{ 'command': 'c', 'gen': | }"), ['false']);
});

test('edits: inside quotes replace the string contents; outside they bring quotes (and a colon for keys)', () => {
  const line = original.split('\n').length;
  const { lang, doc, pos } = editedAt(MIGRATION, `${original}\n{ 'struct': 'S', 'data': { 'a': 'Mig|Mo' } }\n`);
  const inside = lang.completion(doc, pos, settings);
  assert.deepEqual(inside.itemDefaults?.editRange, { start: { line, character: 33 }, end: { line, character: 38 } });
  const mig = inside.items.find((i) => i.label === 'MigMode')!;
  assert.equal(mig.textEditText, undefined, 'the label itself replaces the contents');
  const outside = complete("{ 'struct': 'S', 'data': { 'a': | } }").find((i) => i.label === 'MigMode')!;
  assert.equal(outside.textEditText, "'MigMode'");
  assert.equal(outside.filterText, "'MigMode'");
  const key = complete("{ 'struct': 'S', | }").find((i) => i.label === 'data')!;
  assert.equal(key.textEditText, "'data': ");
  assert.equal(complete("{ 'command': 'c', 'boxed': | }").find((i) => i.label === 'true')!.textEditText, undefined);
});

test('type items carry the documentation from the schema', () => {
  const item = complete("{ 'struct': 'S', 'data': { 'a': '|' } }").find((i) => i.label === 'StrOrNull')!;
  assert.equal(item.detail, 'alternate (since 2.10)');
  assert.match((item.documentation as { value: string }).value, /A string, or null to reset a value\./);
});

test('nothing where nothing fits: names being defined, comments, between expressions', () => {
  assert.deepEqual(labels("{ 'struct': '|' }"), []);
  assert.deepEqual(labels('# comment |'), []);
  assert.deepEqual(labels("{ 'struct': 'S', 'data': { '|' } }"), []);
});

test('doc comments: after # @ the members and features not documented yet; section tags by version', () => {
  const undocumented = original.replace('# @switch: a three-way switch\n#\n', '# @|\n#\n').replace('# @unstable: Members are experimental.\n', '');
  const { lang, doc, pos } = editedAt(MIGRATION, undocumented);
  const list = lang.completion(doc, pos, settings);
  assert.deepEqual(
    list.items.map((i) => [i.label, i.textEditText]),
    [
      ['switch', 'switch: '],
      ['unstable', 'unstable: '],
    ],
  );
  assert.deepEqual(list.itemDefaults?.editRange, { start: pos, end: pos });
  const tags = editedAt(
    MIGRATION,
    original.replace("# Since: 2.4\n##\n{ 'struct': 'MigrationParameters'", "# Since: 2.4\n# Re|\n##\n{ 'struct': 'MigrationParameters'"),
  );
  const labelsOf = (l: typeof tags, s = settings) =>
    l.lang
      .completion(l.doc, l.pos, s)
      .items.map((i) => i.label)
      .sort();
  assert.deepEqual(labelsOf(tags), ['TODO:'], '10.2: Features and Since are used, Returns/Errors are for commands, Note/Example are rST directives');
  assert.deepEqual(labelsOf(tags, { ...settings, qemuVersion: '8.2' }), ['Example:', 'Note:', 'TODO:']);
  const cmd = editedAt(MIGRATION, original.replace('# Returns: the parameters\n', '# R|\n'));
  assert.deepEqual(labelsOf(cmd), ['Errors:', 'Returns:', 'TODO:']);
  assert.deepEqual(labels('# just a comment, @|'), []);
});

test('nothing to complete inside include and pragma expressions', () => {
  assert.deepEqual(labels("{ 'include': 'x.json', | }"), []);
  assert.deepEqual(labels("{ 'pragma': { 'doc-required': true }, | }"), []);
});
