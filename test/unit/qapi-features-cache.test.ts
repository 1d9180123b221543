// The remembered checks behind the editor features: reused while no file of the tree
// changed (so per-check indexes stay warm), redone when any file, the document's text
// or the VERSION file changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overlayFiles } from '../../server/src/service/common/files';
import { defaultSettings as settings } from '../../server/src/service/common/settings';
import { CheckCache } from '../../server/src/service/qapi/features/checkCache';
import { QapiProject } from '../../server/src/service/qapi/project';

const none = { read: () => ({ error: 'no such file' }), isFile: () => false };

function tree() {
  const files = new Map([
    ['/q/qapi-schema.json', "{ 'include': 'a.json' }\n"],
    ['/q/a.json', "{ 'enum': 'E', 'data': [ 'x' ] }\n"],
  ]);
  const access = overlayFiles(files, none);
  return { files, cache: new CheckCache(new QapiProject(access), access) };
}

test('the same check while nothing changed, from any file of the tree', () => {
  const { cache } = tree();
  const first = cache.check('/q/a.json', settings);
  assert.equal(first.model.root, '/q/qapi-schema.json');
  assert.equal(cache.check('/q/a.json', settings), first);
  assert.equal(cache.check('/q/qapi-schema.json', settings), first);
  assert.equal(cache.forDocument('/q/a.json', "{ 'enum': 'E', 'data': [ 'x' ] }\n", settings), first);
  assert.deepEqual(cache.recent(), [first]);
});

test('a new check when a file of the tree, the document text, the settings or the VERSION file change', () => {
  const { files, cache } = tree();
  const first = cache.check('/q/a.json', settings);
  files.set('/q/a.json', "{ 'enum': 'E', 'data': [ 'x', 'y' ] }\n");
  const second = cache.check('/q/qapi-schema.json', settings);
  assert.notEqual(second, first);
  assert.deepEqual(
    second.model.byName.get('E')!.members.map((m) => m.name),
    ['x', 'y'],
  );
  // An editor buffer that differs from what the check saw (the server overlays it on the files).
  files.set('/q/a.json', "{ 'enum': 'E', 'data': [ 'z' ] }\n");
  const third = cache.forDocument('/q/a.json', "{ 'enum': 'E', 'data': [ 'z' ] }\n", settings);
  assert.deepEqual(
    third.model.byName.get('E')!.members.map((m) => m.name),
    ['z'],
  );
  const pinned = cache.check('/q/a.json', { ...settings, qemuVersion: '8.2' });
  assert.equal(pinned.rules, '8.2');
  files.set('/q/VERSION', '9.2.0\n');
  assert.equal(cache.check('/q/a.json', settings).rules, '9.2');
});

test('a cancelled check is used once and not remembered', () => {
  const { cache } = tree();
  const cancelled = cache.check('/q/a.json', settings, { isCancellationRequested: true });
  assert.notEqual(cache.check('/q/a.json', settings), cancelled);
});

test('many standalone files are remembered together (each is its own root)', () => {
  const files = new Map<string, string>();
  for (let i = 0; i < 100; i++) files.set(`/s/f${i}.json`, `{ 'enum': 'E${i}', 'data': [ 'x' ] }\n`);
  const access = overlayFiles(files, none);
  const cache = new CheckCache(new QapiProject(access), access);
  const checks = [...files.keys()].map((p) => cache.check(p, settings));
  assert.equal(cache.recent().length, 100);
  [...files.keys()].forEach((p, i) => assert.equal(cache.check(p, settings), checks[i]));
});
