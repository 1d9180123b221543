// Settings from the user's settings.json and the choice of QEMU rules.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memoryFiles } from '../../server/src/service/common/files';
import { defaultSettings, normalizeSettings } from '../../server/src/service/common/settings';
import { parseVersion, resolveVersion, ruleSetFor } from '../../server/src/service/common/versions';

describe('normalizeSettings', () => {
  test('nonsense values fall back to defaults and say what was wrong', () => {
    const { settings, problems } = normalizeSettings({ qemuVersion: 'newest please', schemaRoot: 42, maxItemsComputed: -3 });
    assert.deepEqual(settings, defaultSettings);
    assert.equal(problems.length, 3);
    assert.match(problems[0], /qapi.qemuVersion/);
    assert.match(problems[1], /qapi.schemaRoot/);
    assert.match(problems[2], /qapi.maxItemsComputed/);
  });
  test('valid values are kept', () => {
    const { settings, problems } = normalizeSettings({ qemuVersion: ' 8.2 ', schemaRoot: '/q/qapi-schema.json', maxItemsComputed: 10.7 });
    assert.deepEqual(problems, []);
    assert.equal(settings.qemuVersion, '8.2');
    assert.equal(settings.schemaRoot, '/q/qapi-schema.json');
    assert.equal(settings.maxItemsComputed, 10);
  });
  for (const raw of [null, undefined, 'x', 7, [], { qemuVersion: null }]) {
    test(`accepts ${JSON.stringify(raw)} without throwing`, () => {
      assert.equal(normalizeSettings(raw).settings.qemuVersion, 'auto');
    });
  }
});

describe('QEMU version resolution', () => {
  test('rule set for a version is the newest one not newer than it', () => {
    assert.equal(ruleSetFor(parseVersion('7.2.0')!), '7.2');
    assert.equal(ruleSetFor(parseVersion('8.1')!), '8.1');
    assert.equal(ruleSetFor(parseVersion('9.0')!), '9.0');
    assert.equal(ruleSetFor(parseVersion('9.2.4')!), '9.2');
    assert.equal(ruleSetFor(parseVersion('10.0')!), '10.0');
    assert.equal(ruleSetFor(parseVersion('10.2.0')!), '10.2');
    assert.equal(ruleSetFor(parseVersion('6.0')!), '7.2');
  });
  const files = memoryFiles({ '/qemu/VERSION': '8.2.1\n', '/qemu/qapi/migration.json': '' });
  test('setting wins', () => {
    const r = resolveVersion('9.2', '/qemu/qapi/migration.json', files);
    assert.deepEqual([r.rules, r.source], ['9.2', 'setting']);
  });
  test('else the VERSION file at the top of the tree', () => {
    const r = resolveVersion('auto', '/qemu/qapi/migration.json', files);
    assert.deepEqual([r.rules, r.source, r.versionFile], ['8.2', 'VERSION file', '/qemu/VERSION']);
  });
  test('else the newest rules', () => {
    const r = resolveVersion('auto', '/elsewhere/x.json', files);
    assert.deepEqual([r.rules, r.source], ['10.2', 'default']);
  });
});

describe('CachedFiles', () => {
  test('reads once until invalidated or expired', async () => {
    const { CachedFiles } = await import('../../server/src/service/common/files');
    let reads = 0;
    let now = 0;
    let text = 'one';
    const files = new CachedFiles(
      {
        read: () => {
          reads++;
          return { text };
        },
        isFile: () => true,
      },
      1000,
      10,
      () => now,
    );
    assert.deepEqual(files.read('/a'), { text: 'one' });
    text = 'two';
    assert.deepEqual(files.read('/a'), { text: 'one' }, 'served from the cache');
    files.invalidate('/a');
    assert.deepEqual(files.read('/a'), { text: 'two' }, 'invalidated by a watcher event');
    text = 'three';
    now = 1001;
    assert.deepEqual(files.read('/a'), { text: 'three' }, 'expired');
    assert.equal(reads, 3);
  });
});
