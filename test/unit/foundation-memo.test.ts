// Caches keyed by document text stay bounded however many distinct keys arrive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remember } from '../../server/src/service/common/memo';
import { factsSchema } from '../../server/src/service/qmp/schema/facts';

test('remember computes once per key and forgets all once full', () => {
  const m = new Map<string, number>();
  let calls = 0;
  const f = (k: string) => remember(m, k, () => ++calls, 3);
  assert.equal(f('a'), 1);
  assert.equal(f('a'), 1);
  f('b');
  f('c');
  assert.equal(m.size, 3);
  f('d');
  assert.equal(m.size, 1, 'cleared when full');
  assert.equal(calls, 4);
});

test('the facts schema is shared by every spelling of a version', () => {
  assert.equal(factsSchema('8.2'), factsSchema('8.2.0'));
  assert.equal(factsSchema(' 8.2.1 '), factsSchema('8.2'));
  assert.notEqual(factsSchema('8.2'), factsSchema('10.2'));
});
