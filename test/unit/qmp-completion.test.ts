// QMP completion reads the text as the checker does (its statements, its JSON parser
// stopped at the caret, its word splitter): QEMU's single quotes, escapes, transcripts,
// a caret inside a complete (auto-closed) message, and quoted shell words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, service, settings } from '../helpers/qmp';

const svc = service();
const complete = (textWithCaret: string, s = settings({ qemuVersion: '10.2' })) => {
  const { d, pos } = at(textWithCaret);
  return svc.completion(d, pos, s).items;
};
const labels = (t: string) => complete(t).map((i) => i.label);

test('single-quoted JSON (QEMU accepts it): members in the same quotes', () => {
  const items = complete("{'execute': 'migrate-set-parameters', 'arguments': {'downtime-limit': 300, '|");
  const asb = items.find((i) => i.label === 'avail-switchover-bandwidth');
  assert.equal(asb?.textEdit?.newText, "'avail-switchover-bandwidth'");
  assert.ok(!items.some((i) => i.label === 'downtime-limit'));
});

test('inside a message that is already closed (the editor closed the brackets)', () => {
  assert.ok(labels('{"execute": "migrate-set-parameters", "arguments": {"|"}}').includes('max-bandwidth'));
  assert.ok(labels('{"execute": "migrate-set-parameters", "arguments": {"multifd-compression": "|"}}\n{"execute": "migrate"}').includes('zstd'));
  assert.ok(labels('{"execute": "|"}').includes('query-migrate'));
});

test('a transcript line, a message over several lines, an escaped quote before the caret', () => {
  assert.ok(labels('-> { "execute": "migrate-set-capabilities",\n     "arguments": { "capabilities": [ { "capability": "|').includes('postcopy-ram'));
  assert.ok(labels('{"execute": "migrate-set-parameters", "arguments": {"tls-hostname": "a\\"}{", "|').includes('downtime-limit'));
});

test('after a value, the next key only after a comma; booleans while typing one', () => {
  assert.deepEqual(labels('{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 30|'), []);
  assert.deepEqual(labels('{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "xbzrle", "state": tr|'), ['true', 'false']);
  assert.deepEqual(labels('{"execute": "migrate", "|').sort(), ['arguments', 'id']);
});

test('shell words as the checker splits them: quoted words, and nothing inside an open quote', () => {
  const items = complete('migrate-set-parameters "tls-hostname=a b" |');
  assert.ok(items.some((i) => i.label === 'downtime-limit'));
  assert.ok(!items.some((i) => i.label === 'tls-hostname'), 'a quoted key=value counts as given');
  assert.deepEqual(labels('migrate-set-parameters tls-hostname="a |'), []);
  const value = complete('migrate-set-parameters multifd-compression=z|');
  assert.ok(value.some((i) => i.label === 'zstd'));
  assert.equal(
    value[0].textEdit && 'range' in value[0].textEdit ? value[0].textEdit.range.start.character : -1,
    'migrate-set-parameters multifd-compression='.length,
  );
});
