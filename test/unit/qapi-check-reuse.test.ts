// Re-checking after an edit reuses what was computed for unchanged files (kept with
// their cached parse) and recomputes the edited file, with the same verdicts as a
// fresh check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings } from '../../server/src/service/common/settings';
import { QapiProject } from '../../server/src/service/qapi/project';

const settings = { ...defaultSettings, qemuVersion: '10.2' };
const ROOT = '/r/schema.json';
const A = '/r/a.json';
const B = '/r/b.json';

function project(texts: Map<string, string>): QapiProject {
  return new QapiProject({
    read: (p) => (texts.has(p) ? { text: texts.get(p)! } : { error: 'no such file' }),
    isFile: (p) => texts.has(p),
  });
}

test('an edit in one file recomputes that file only, and gives the verdict of a fresh check', () => {
  const texts = new Map([
    [ROOT, "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n"],
    [A, "##\n# @Colour:\n#\n# @red: warm\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n"],
    [B, "##\n# @Paint:\n#\n# @c: its colour\n##\n{ 'struct': 'Paint', 'data': { 'c': 'Colour' } }\n"],
  ]);
  const p = project(texts);
  const first = p.check(ROOT, settings);
  assert.equal(first.firstError, null);

  texts.set(B, "##\n# @Paint:\n#\n# @c: its colour\n##\n{ 'struct': 'Paint', 'data': { 'c': 'Color' } }\n");
  const second = p.check(ROOT, settings);
  assert.equal(second.model.byName.get('Colour'), first.model.byName.get('Colour'), 'unchanged file: same definition object');
  assert.notEqual(second.model.byName.get('Paint'), first.model.byName.get('Paint'), 'edited file: new definition');
  assert.deepEqual(
    second.diagnostics.get(B)!.map((d) => d.code),
    ['unknown-type'],
  );
  assert.deepEqual(second.firstError, project(new Map(texts)).check(ROOT, settings).firstError);

  // Back to the first text: clean again.
  texts.set(B, "##\n# @Paint:\n#\n# @c: its colour\n##\n{ 'struct': 'Paint', 'data': { 'c': 'Colour' } }\n");
  assert.equal(p.check(ROOT, settings).firstError, null);
});

test('a file is found under its root again after the include tree changes', () => {
  // The root is found by its name, qapi-schema.json, in the file's folder or above.
  const root = '/r/qapi-schema.json';
  const texts = new Map([
    [root, "{ 'include': 'a.json' }\n"],
    [A, "{ 'enum': 'Colour', 'data': [ 'red' ] }\n"],
    [B, "{ 'struct': 'Paint', 'data': {} }\n"],
  ]);
  const p = project(texts);
  const noRoot = { ...settings, schemaRoot: '' };
  assert.equal(p.rootFor(A, noRoot), root);
  assert.equal(p.rootFor(B, noRoot), B);
  texts.set(root, "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n");
  assert.equal(p.rootFor(B, noRoot), root);
});

test('doc connections reused between checks follow a change of the documentation-exceptions pragma', () => {
  const pragma = (names: string) => `{ 'pragma': { 'documentation-exceptions': [ ${names} ] } }\n`;
  const texts = new Map([
    [ROOT, `${pragma("'Paint'")}{ 'include': 'a.json' }\n`],
    // A section after the member descriptions: without one, QEMU 10.0+ crash adding the excepted member's stub.
    [A, "##\n# @Paint:\n#\n# @c: its colour\n#\n# Since: 1.0\n##\n{ 'struct': 'Paint', 'data': { 'c': 'str', 'd': 'int' } }\n"],
  ]);
  const p = project(texts);
  const codes = () => (p.check(ROOT, settings).diagnostics.get(A) ?? []).map((d) => d.code);
  assert.deepEqual(codes(), []);
  assert.deepEqual(codes(), [], 'reused connection, still clean');
  texts.set(ROOT, `${pragma('')}{ 'include': 'a.json' }\n`);
  assert.deepEqual(codes(), ['doc-missing-member']);
  assert.deepEqual(codes(), ['doc-missing-member'], 'the failure is found again');
  texts.set(ROOT, `${pragma("'Paint'")}{ 'include': 'a.json' }\n`);
  assert.deepEqual(codes(), []);
});

test('an edited file keeps the expressions and doc blocks the edit did not touch, and holds few old versions of its text', () => {
  const enums = (said: (i: number) => string) =>
    Array.from({ length: 12 }, (_, i) => `##\n# @Colour${i}:\n#\n# ${said(i)}\n#\n# @a: a value\n##\n{ 'enum': 'Colour${i}', 'data': [ 'a' ] }\n`).join('');
  const texts = new Map([
    [ROOT, "{ 'include': 'a.json' }\n"],
    [A, enums(() => 'plain')],
  ]);
  const p = project(texts);
  assert.equal(p.check(ROOT, settings).firstError, null);
  const items = () => {
    const f = p.parsed(A);
    assert.ok(!('error' in f));
    return f.items;
  };
  const first = items();
  // One word of block 5 changed: its block is new; every other item is the very same object.
  texts.set(
    A,
    enums((i) => (i === 5 ? 'other' : 'plain')),
  );
  const second = items();
  assert.equal(second.length, first.length);
  const kept = second.filter((item, i) => item === first[i]);
  assert.equal(kept.length, first.length - 1);
  assert.equal(second.indexOf(second.find((item, i) => item !== first[i])!), 10, 'the doc block of Colour5 is the one read again');
  assert.equal(p.check(ROOT, settings).firstError, null);
  // Each edit touches another block: blocks of many versions would keep each version's text alive.
  for (let k = 0; k < 12; k++) {
    texts.set(
      A,
      enums((i) => (i <= k ? `edit ${i}` : 'plain')),
    );
    assert.equal(p.check(ROOT, settings).firstError, null);
  }
  const versions = new Set(items().flatMap((item) => (item.kind === 'doc' ? [item.block.text] : [])));
  assert.ok(versions.size <= 4, `doc blocks hold ${versions.size} versions of the file's text`);
  // A line added at the top moves everything: nothing is kept.
  const moved = `\n${texts.get(A)!}`;
  const before = items();
  texts.set(A, moved);
  assert.ok(items().every((item) => !before.includes(item)));
});
