// The QAPI checker on our own small schemas: one test per check category, error
// recovery, per-version rules, the model, include trees and bad input.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { diskFiles, memoryFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { QapiProject } from '../../server/src/service/qapi/project';

const FIX = resolve(__dirname, '..', 'fixtures', 'qapi');
const ROOT = '/s/schema.json';

function check(text: string, qemuVersion = '10.2', extra: Record<string, string> = {}) {
  const project = new QapiProject(memoryFiles({ [ROOT]: text, ...extra }));
  return project.check(ROOT, { ...defaultSettings, qemuVersion });
}

function codes(c: ReturnType<typeof check>, path = ROOT): string[] {
  return (c.diagnostics.get(path) ?? []).map((d) => String(d.code));
}

const ENUM = "{ 'enum': 'Colour', 'data': [ 'red', 'green' ] }\n";

test('lexical errors carry QEMU columns and recover', () => {
  const c = check("{ 'enum': 'Ax', 'data': [ 1 ] }\n{ 'enum': 'Bx', 'data': [ 'x\n{ 'enum': 'Cx',\t'data': [ '\x01' ] }\n");
  assert.deepEqual(codes(c), ['stray-character', 'unterminated-string', 'invalid-character']);
  assert.deepEqual(c.firstError, { path: ROOT, line: 1, column: 27, message: "stray '1'" });
  const d = c.diagnostics.get(ROOT)!;
  assert.deepEqual(d[0].range, { start: { line: 0, character: 26 }, end: { line: 0, character: 27 } });
  assert.equal(d[1].range.start.line, 1);
  assert.equal(d[2].range.start.line, 2);
});

test('two independent errors in one file are both reported, and the valid parts are modelled', () => {
  const c = check(`${ENUM}{ 'struct': 'Sx' 'data': {} }\n{ 'struct': 'Tx', 'data': { 'a': 'Colur' } }\n{ 'struct': 'Ux', 'data': { 'c': 'Colour' } }\n`);
  assert.deepEqual(codes(c), ['syntax-error', 'unknown-type']);
  assert.equal(c.firstError?.line, 2);
  const unknown = c.diagnostics.get(ROOT)![1];
  assert.deepEqual(unknown.data, { suggestions: ['Colour'] });
  assert.equal(unknown.range.start.line, 2);
  assert.deepEqual(
    c.model.definitions.map((d) => d.name),
    ['Colour', 'Tx', 'Ux'],
  );
});

test('a broken definition is not reported again as an unknown type where it is used', () => {
  const c = check("{ 'struct': 'Broken', 'data': { 'a': 'int' }\n{ 'struct': 'User', 'data': { 'b': 'Broken' } }\n");
  assert.deepEqual(codes(c), ['syntax-error']);
});

test('top-level rules: non-object, include and pragma directives', () => {
  const c = check("[ 'x' ]\n{ 'include': 'nope.json' }\n{ 'include': 'a.json', 'x': 'y' }\n{ 'pragma': { 'bogus': true } }\n");
  assert.deepEqual(codes(c), ['top-level-not-object', 'unreadable-include', 'invalid-include', 'invalid-pragma']);
  assert.match(String(c.diagnostics.get(ROOT)![1].message), /can't read include file 'nope.json': no such file/);
});

test('expression shape: allowed keys, with the valid ones as quick-fix data', () => {
  const c = check("{ 'struct': 'Sx', 'data': {}, 'colour': 'red' }\n");
  const d = c.diagnostics.get(ROOT)![0];
  assert.equal(d.code, 'unknown-key');
  assert.deepEqual(d.data, { unknownKeys: ['colour'], validKeys: ['base', 'data', 'features', 'if', 'struct'] });
  assert.deepEqual(d.range.start, { line: 0, character: 30 });
});

test('if conditions: identifiers, operators and empty lists', () => {
  const c = check(
    [
      "{ 'struct': 'Ax', 'data': {}, 'if': 'lower' }",
      "{ 'struct': 'Bx', 'data': {}, 'if': { 'all': [] } }",
      "{ 'struct': 'Cx', 'data': {}, 'if': { 'not': 'X', 'any': ['Y'] } }",
      "{ 'struct': 'Dx', 'data': {}, 'if': { 'not': { 'any': [ 'CONFIG_A', 'CONFIG_B' ] } } }",
    ].join('\n') + '\n',
  );
  assert.deepEqual(codes(c), ['invalid-if', 'invalid-if', 'invalid-if']);
  assert.equal(c.model.byName.get('Dx')?.ifCond, 'not(any(CONFIG_A, CONFIG_B))');
  assert.ok(c.model.ifMacros.has('CONFIG_B'));
});

test('features: duplicates, special features on types, and the 10.2 limit of 64', () => {
  const c = check(
    "{ 'struct': 'Ax', 'data': {}, 'features': [ 'f', 'f' ] }\n{ 'struct': 'Bx', 'data': {}, 'features': [ 'deprecated' ] }\n{ 'command': 'c', 'features': [ 'deprecated' ] }\n",
  );
  assert.deepEqual(codes(c), ['member-clash', 'special-feature-on-type']);
  const many = Array.from({ length: 63 }, (_, i) => `'f${i}'`).join(', ');
  const text = `{ 'command': 'c', 'features': [ ${many} ] }\n`;
  assert.deepEqual(codes(check(text, '10.2')), ['too-many-features']);
  assert.deepEqual(codes(check(text, '9.2')), []);
});

test('naming rules, with pragma exceptions', () => {
  const c = check(
    "{ 'command': 'do_it' }\n{ 'event': 'lower' }\n{ 'struct': 'not-camel', 'data': {} }\n{ 'struct': 'ThingList', 'data': {} }\n{ 'struct': 'Sx', 'data': { 'has-x': 'int' } }\n",
  );
  assert.deepEqual(codes(c), ['name-case', 'name-case', 'name-case', 'reserved-name', 'reserved-name']);
  const ok = check("{ 'pragma': { 'command-name-exceptions': [ 'do_it' ] } }\n{ 'command': 'do_it' }\n");
  assert.equal(ok.firstError, null);
});

test('redefinition points at the earlier definition', () => {
  const c = check(`${ENUM}${ENUM}`);
  const d = c.diagnostics.get(ROOT)![0];
  assert.equal(d.code, 'redefinition');
  assert.equal(d.range.start.line, 1);
  assert.equal(d.relatedInformation?.[0].location.range.start.line, 0);
  assert.equal(d.relatedInformation?.[0].message, 'previous definition');
});

test('member clashes through bases and union branches, and base cycles', () => {
  const c = check(
    [
      "{ 'struct': 'Base', 'data': { 'name': 'str' } }",
      "{ 'struct': 'Sub', 'base': 'Base', 'data': { 'name': 'str' } }",
      "{ 'struct': 'Loop', 'base': 'Loop', 'data': {} }",
      "{ 'enum': 'Kind', 'data': [ 'a', 'b' ] }",
      "{ 'struct': 'Br', 'data': { 'kind': 'int' } }",
      "{ 'union': 'Ux', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'a': 'Br' } }",
      "{ 'union': 'Vx', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'c': 'Base' } }",
    ].join('\n') + '\n',
  );
  const d = c.diagnostics.get(ROOT)!;
  assert.deepEqual(
    d.map((x) => x.code),
    ['member-clash', 'base-cycle', 'member-clash', 'invalid-branch'],
  );
  assert.match(String(d[0].message), /member 'name' collides with member 'name' of type 'Base'/);
  assert.match(String(d[2].message), /member 'kind' of type 'Br' collides with base member 'kind'/);
  assert.deepEqual(d[3].data, { values: ['a', 'b'] });
});

test('alternates, commands and events', () => {
  const c = check(
    [
      "{ 'alternate': 'Alt', 'data': { 'a': 'str', 'b': 'int' } }",
      "{ 'command': 'c1', 'data': 'any' }",
      "{ 'command': 'c2', 'returns': 'int' }",
      "{ 'command': 'c3', 'allow-oob': true, 'coroutine': true }",
      "{ 'event': 'EV', 'data': { 'x': { 'type': 'int', 'if': 'COND' } } }",
    ].join('\n') + '\n',
  );
  // Expression checks (flags) all come before semantic checks, as in QEMU.
  assert.deepEqual(codes(c), ['incompatible-flags', 'alternate-ambiguous', 'invalid-data-type', 'invalid-returns', 'conditional-args-need-boxed']);
});

test('doc comments: undocumented members are an error from 9.2 on, with the member as quick-fix data', () => {
  const text = "##\n# @Sx:\n#\n# A struct.\n#\n# @a: the a\n##\n{ 'struct': 'Sx', 'data': { 'a': 'int', 'b': 'int' } }\n";
  const c = check(text, '10.2');
  assert.deepEqual(codes(c), ['doc-missing-member']);
  assert.deepEqual(c.diagnostics.get(ROOT)![0].data, { missingMember: 'b' });
  assert.equal(check(text, '8.2').firstError, null);
  const excepted = check(`{ 'pragma': { 'documentation-exceptions': [ 'Sx' ] } }\n${text}`, '9.2');
  assert.equal(excepted.firstError, null);
  assert.deepEqual(codes(check(`{ 'pragma': { 'documentation-exceptions': [ 'Sx' ] } }\n${text}`, '8.2')), ['invalid-pragma']);
});

test('doc comments: indentation, sections, documented things that do not exist', () => {
  const deindent = "##\n# @c:\n#\n# @a: one\n#   two\n# three\n##\n{ 'command': 'c', 'data': { 'a': 'int' } }\n";
  const c = check(deindent);
  assert.deepEqual(codes(c), ['doc-unexpected-deindent']);
  assert.deepEqual(c.firstError, { path: ROOT, line: 6, column: 1, message: 'unexpected de-indent (expected at least 2 spaces)' });
  const bogus = check("##\n# @c:\n#\n# @zz: gone\n##\n{ 'command': 'c' }\n");
  assert.deepEqual(codes(bogus), ['doc-unknown-member']);
  assert.equal(bogus.firstError?.line, 4);
  const note = "##\n# @c:\n#\n# Note: careful\n##\n{ 'command': 'c' }\n";
  assert.deepEqual(codes(check(note, '9.2')), ['doc-obsolete-section']);
  assert.equal(check(note, '8.2').firstError, null);
  const long = `##\n# ${'word '.repeat(15)}\n##\n`;
  assert.deepEqual(codes(check(long, '10.2')), ['doc-line-too-long']);
  assert.equal(check(long, '9.2').firstError, null);
  assert.deepEqual(codes(check('##\n# @c:\n##\n')), ['doc-without-definition']);
});

test('the model: definitions, ranges, docs, type uses, features, expressions', () => {
  const c = check(
    `##\n# @Colour:\n#\n# Colours.\n#\n# @red: warm\n#\n# @green: calm\n#\n# Since: 1.0\n##\n${ENUM}{ 'command': 'paint', 'data': { 'c': 'Colour', '*all': ['Colour'] }, 'features': [ 'unstable' ] }\n`,
    '8.2',
  );
  const colour = c.model.byName.get('Colour')!;
  assert.equal(colour.kind, 'enum');
  assert.deepEqual(colour.nameSpan.range, { start: { line: 11, character: 11 }, end: { line: 11, character: 17 } });
  assert.equal(colour.doc?.body, 'Colours.');
  assert.equal(colour.doc?.members.get('green'), 'calm');
  assert.equal(colour.doc?.since, '1.0');
  const paint = c.model.byName.get('paint')!;
  assert.deepEqual(
    paint.members.map((m) => [m.name, m.optional, m.type?.name, m.type?.array]),
    [
      ['c', false, 'Colour', false],
      ['all', true, 'Colour', true],
    ],
  );
  assert.equal(c.model.typeRefs.filter((t) => t.name === 'Colour').length, 2);
  assert.ok(c.model.featureNames.has('unstable'));
  assert.equal(c.model.expressions.get(ROOT)?.length, 2);
  assert.equal(c.model.expressions.get(ROOT)?.[0].doc?.lines[0], '@Colour:');
});

test('include trees: root discovery, repeated includes, diagnostics per file, pragmas for the whole tree', () => {
  const project = new QapiProject(diskFiles);
  const types = join(FIX, 'tree', 'sub', 'types.json');
  const root = project.rootFor(types, defaultSettings);
  assert.equal(root, join(FIX, 'tree', 'qapi-schema.json'));
  const c = project.check(root, defaultSettings);
  assert.equal(c.firstError, null, JSON.stringify(c.firstError));
  assert.deepEqual(
    c.model.files.map((f) => f.slice(FIX.length + 1)),
    ['tree/qapi-schema.json', 'tree/pragma.json', 'tree/sub/types.json'],
  );
  assert.equal(c.model.includes.length, 3);
  for (const f of c.model.files) assert.deepEqual(c.diagnostics.get(f), []);
  assert.equal(project.rootFor('/elsewhere/x.json', defaultSettings), '/elsewhere/x.json');
  assert.equal(project.rootFor(types, { ...defaultSettings, schemaRoot: '/configured.json' }), '/configured.json');
});

test('include loops are reported at the include line, in the file that has it', () => {
  const a = join(FIX, 'loop', 'a.json');
  const c = new QapiProject(diskFiles).check(a, defaultSettings);
  const b = join(FIX, 'loop', 'b.json');
  assert.deepEqual(c.firstError, { path: b, line: 2, column: undefined, message: 'inclusion loop for a.json' });
  assert.deepEqual(c.diagnostics.get(a), []);
});

test('re-checking after an edit re-parses only the edited file', () => {
  const texts = new Map([
    [ROOT, "{ 'include': 'b.json' }\n"],
    ['/s/b.json', ENUM],
  ]);
  const project = new QapiProject({ read: (p) => (texts.has(p) ? { text: texts.get(p)! } : { error: 'no such file' }), isFile: (p) => texts.has(p) });
  project.check(ROOT, defaultSettings);
  const rootParse = project.parsed(ROOT);
  const bParse = project.parsed('/s/b.json');
  texts.set('/s/b.json', ENUM.replace('green', 'blue'));
  const c = project.check(ROOT, defaultSettings);
  assert.equal(project.parsed(ROOT), rootParse);
  assert.notEqual(project.parsed('/s/b.json'), bParse);
  assert.deepEqual(
    c.model.byName.get('Colour')?.members.map((m) => m.name),
    ['red', 'blue'],
  );
});

test('bad input: binary data, deep nesting, an unterminated string at the end of a big file', () => {
  const binary = check(String.fromCharCode(...Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)));
  assert.ok(binary.firstError);
  const deep = check(`${'['.repeat(100000)}\n${ENUM}`);
  assert.equal(deep.firstError?.message.includes('nesting deeper'), true);
  assert.ok(deep.model.byName.has('Colour'), 'parsing goes on after the deep expression');
  const big = check(`${ENUM.replace('Colour', 'Ax')}${"{ 'struct': 'Sx', 'data': { 'a': 'int' } }\n".repeat(20000)}{ 'enum': 'Zx', 'data': [ 'x`);
  assert.ok(codes(big).includes('unterminated-string'));
  assert.ok(codes(big).includes('redefinition'));
});

test('bad input: a 20 MB file and a cancelled check', () => {
  const line = "{ 'struct': 'Sx', 'data': { 'a': 'int' } } # padding padding padding padding padding\n";
  const text = line.repeat(Math.ceil(20e6 / line.length));
  const c = check(text);
  assert.equal(c.firstError?.message, "'Sx' is already defined");
  const project = new QapiProject(memoryFiles({ [ROOT]: text }));
  const cancelled = project.check(ROOT, defaultSettings, { isCancellationRequested: true });
  assert.ok(cancelled.model.definitions.length < 2000, 'a cancelled check stops early, in the middle of parsing');
  // The abandoned parse is not cached: the next check sees the whole file.
  assert.equal(project.check(ROOT, defaultSettings).model.definitions.length, c.model.definitions.length);
});

test('an unreadable root is a diagnostic, not an exception', () => {
  const c = new QapiProject(memoryFiles({})).check('/missing.json', defaultSettings);
  assert.match(c.firstError?.message ?? '', /can't read schema file/);
  assert.deepEqual([...c.diagnostics.keys()], ['/missing.json']);
});

test('per-version doc rules: 7.2 indentation, 9.2 headings, tag recognition', () => {
  const indented = "##\n# @c:\n#\n# @a: one\n#   two\n##\n{ 'command': 'c', 'data': { 'a': 'int' } }\n";
  // 7.2 wants continuation lines aligned with the text after '@a: ' (4 columns); 8.2 takes the first continuation's indent.
  assert.deepEqual(codes(check(indented, '7.2')), ['doc-unexpected-deindent']);
  assert.equal(check(indented, '8.2').firstError, null);
  assert.equal(check(indented.replace('#   two', '#     two'), '7.2').firstError, null);
  const headings = '##\n# Intro text\n#\n# = Heading\n##\n';
  assert.deepEqual(codes(check(headings, '9.2')), ['doc-heading-not-first']);
  assert.equal(check(headings, '8.2').firstError, null);
  assert.equal(check(headings, '10.2').firstError, null);
  // 'Errors:' is a section from 9.2 on: on a non-command it is then misplaced, before that it is plain text.
  const errors = "##\n# @Ev:\n#\n# Errors: never\n##\n{ 'enum': 'Ev', 'data': [] }\n";
  assert.deepEqual(codes(check(errors, '9.2')), ['doc-errors-not-command']);
  assert.equal(check(errors, '8.2').firstError, null);
});
