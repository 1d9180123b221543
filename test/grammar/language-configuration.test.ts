// The language configurations are valid and their patterns do what they are for:
// comments, brackets, auto-closing quotes, and folding of definition doc comments.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/shared';

const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'syntaxes', `${name}.language-configuration.json`), 'utf8'));

test('both languages: # line comments, bracket pairs, quotes auto-close outside strings and comments', () => {
  for (const [name, quotes] of [
    ['qapi', ["'"]],
    ['qmp', ["'", '"']],
  ] as const) {
    const c = load(name);
    assert.equal(c.comments.lineComment, '#');
    assert.deepEqual(c.brackets.slice(0, 2), [
      ['{', '}'],
      ['[', ']'],
    ]);
    for (const q of quotes) {
      const pair = c.autoClosingPairs.find((p: { open: string }) => p.open === q);
      assert.deepEqual(pair, { open: q, close: q, notIn: ['string', 'comment'] }, `${name} ${q}`);
    }
    new RegExp(c.wordPattern);
    new RegExp(c.indentationRules.increaseIndentPattern);
    new RegExp(c.indentationRules.decreaseIndentPattern);
  }
});

test('qapi: a definition doc comment folds from its # @Name: line to the closing ##', () => {
  const { start, end } = load('qapi').folding.markers;
  const lines = ['##', '# @MigrationParameters:', '#', '# @tls-creds: credentials', '#     more text', '# Since: 2.4', '##'];
  assert.deepEqual(
    lines.map((l) => new RegExp(start).test(l)),
    [false, true, false, false, false, false, false],
  );
  assert.deepEqual(
    lines.map((l) => new RegExp(end).test(l)),
    [true, false, false, false, false, false, true],
  );
});

test('qapi: Enter on a doc comment line continues it, not on a ## marker or code', () => {
  const [rule] = load('qapi').onEnterRules;
  const before = new RegExp(rule.beforeText);
  assert.equal(rule.action.appendText, '# ');
  assert.deepEqual(
    ['# @x: text', '#', '##', "{ 'struct': 'S' }"].map((l) => before.test(l)),
    [true, true, false, false],
  );
});
