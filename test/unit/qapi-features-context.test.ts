// The text-level pieces of QAPI completion and folding: the forgiving tokenizer and
// the cursor context read from half-typed text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cursorContext } from '../../server/src/service/qapi/features/cursorContext';
import { scanTokens, type Token } from '../../server/src/service/qapi/features/lexer';
import { caret } from '../helpers/qapiFeatures';

const ctxOf = (s: string) => {
  const { text, offset } = caret(s);
  return cursorContext(text, offset);
};

test('tokenizer: strings with the only escape, comments, punctuation, words, unterminated strings', () => {
  const tokens: Token[] = [];
  scanTokens("{ 'a\\\\b': true, # note\n 'open\n}", 0, (t) => {
    tokens.push(t);
  });
  assert.deepEqual(
    tokens.map((t) => [t.kind, t.value]),
    [
      ['punct', '{'],
      ['string', 'a\\b'],
      ['punct', ':'],
      ['word', 'true'],
      ['punct', ','],
      ['comment', '# note'],
      ['string', 'open'],
      ['punct', '}'],
    ],
  );
  assert.equal(tokens[1].closed, true);
  assert.equal(tokens[6].closed, false);
});

test('context: top-level key slot before any key, and after the definition key', () => {
  assert.deepEqual(ctxOf('{ |')?.path, []);
  assert.equal(ctxOf('{ |')?.slot, 'key');
  const c = ctxOf("{ 'struct': 'Foo', '|' }")!;
  assert.equal(c.slot, 'key');
  assert.equal(c.quoted, true);
  assert.deepEqual(c.topKeys, ['struct']);
  assert.equal(c.top.get('struct'), 'Foo');
});

test('context: the key being typed is not its own sibling, keys after the cursor are', () => {
  const c = ctxOf("{ 'struct': 'Foo', 'ba|se': 'B', 'data': {} }")!;
  assert.deepEqual(c.siblings, ['struct', 'data']);
  assert.deepEqual(c.replace, { start: 20, end: 24 });
});

test('context: member type value, member object key, type inside an array', () => {
  const v = ctxOf("{ 'struct': 'S', 'data': { 'a': 'In|' } }")!;
  assert.equal(v.slot, 'value');
  assert.deepEqual(v.path, ['data', 'a']);
  const k = ctxOf("{ 'struct': 'S', 'data': { 'a': { 'type': 'int', | } } }")!;
  assert.equal(k.slot, 'key');
  assert.deepEqual(k.path, ['data', 'a']);
  assert.deepEqual(k.siblings, ['type']);
  assert.deepEqual(ctxOf("{ 'struct': 'S', 'data': { 'a': { 'type': ['|'] } } }")!.path, ['data', 'a', 'type', '[]']);
});

test('context: condition, features, and union base/discriminator seen after the cursor', () => {
  assert.deepEqual(ctxOf("{ 'struct': 'S', 'if': { 'all': [ 'CONFIG_A', '|' ] } }")!.path, ['if', 'all', '[]']);
  assert.deepEqual(ctxOf("{ 'command': 'c', 'features': [ '|' ] }")!.path, ['features', '[]']);
  const u = ctxOf("{ 'union': 'U', 'data': { | }, 'base': { 'kind': 'K', '*x': 'int' }, 'discriminator': 'kind' }")!;
  assert.deepEqual(u.path, ['data']);
  assert.equal(u.top.get('discriminator'), 'kind');
  assert.deepEqual(
    [...u.inlineBase!],
    [
      ['kind', 'K'],
      ['*x', 'int'],
    ],
  );
});

test('context: none outside expressions, in comments, or between a key and its colon', () => {
  assert.equal(ctxOf('# just a comment |\n'), null);
  assert.equal(ctxOf("{ 'struct': 'S' }\n|\n"), null);
  assert.equal(ctxOf("{ 'struct': 'S', # here |\n 'data': {} }"), null);
  assert.equal(ctxOf("{ 'struct' | : 'S' }"), null);
});

test('context: an unclosed expression stops at the next column-0 brace', () => {
  const c = ctxOf("{ 'struct': 'S', 'data': { 'a': '|'\n{ 'enum': 'E', 'data': [] }\n")!;
  assert.deepEqual(c.path, ['data', 'a']);
  assert.deepEqual(c.topKeys, ['struct', 'data']);
});

test('context: never throws on arbitrary text', () => {
  const samples = ['{', '}', '{{{', "'", "{ '", "{ 'a': [ } ] :", '\u0000{\n', "{ 'a' 'b' 'c' }", ']]]{'];
  for (const s of samples) for (let i = 0; i <= s.length; i++) assert.doesNotThrow(() => cursorContext(s, i));
});
