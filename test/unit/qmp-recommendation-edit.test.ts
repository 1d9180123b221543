// Applying a recommendation to a script (the server computes the edit from its parse):
// the nearest migrate-set-parameters at or above the cursor is updated in its own
// format, or a new command line is added in the format of the statement under the cursor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { recommendationEdits, recommendationOffsetEdits, type RecommendationChange as Change } from '../../server/src/service/qmp/features/recommendationEdit';

let version = 0;
function apply(text: string, line: number, change: Change): string {
  const doc = TextDocument.create('file:///w/s.qmp', 'qmp', ++version, text);
  const edits = recommendationOffsetEdits(doc, line, change).sort((a, b) => b.start - a.start);
  for (let i = 1; i < edits.length; i++) assert.ok(edits[i].end <= edits[i - 1].start, 'edits overlap');
  const viaLsp = TextDocument.applyEdits(doc, recommendationEdits(doc, line, change));
  for (const e of edits) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  assert.equal(viaLsp, text, 'the LSP edits say the same as the offset edits');
  return text;
}
const asb = { parameters: { 'avail-switchover-bandwidth': 1250000000 } };

test('JSON: a parameter already there gets its new value', () => {
  const text =
    '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300, "avail-switchover-bandwidth": 0}}\n{"execute": "migrate", "arguments": {"uri": "tcp:h:4444"}}\n';
  assert.equal(
    apply(text, 1, asb),
    '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300, "avail-switchover-bandwidth": 1250000000}}\n{"execute": "migrate", "arguments": {"uri": "tcp:h:4444"}}\n',
  );
});

test('JSON: a missing parameter is added to the arguments, keeping the quote style', () => {
  const text = "{'execute': 'migrate-set-parameters', 'arguments': {'downtime-limit': 300}}\n{'execute': 'migrate', 'arguments': {'uri': 'tcp:h:4444'}}";
  assert.equal(
    apply(text, 1, { parameters: { 'avail-switchover-bandwidth': 5, 'tls-creds': "it's" } }),
    "{'execute': 'migrate-set-parameters', 'arguments': {'downtime-limit': 300, 'avail-switchover-bandwidth': 5, 'tls-creds': 'it\\'s'}}\n{'execute': 'migrate', 'arguments': {'uri': 'tcp:h:4444'}}",
  );
});

test('JSON: a multi-line command without arguments, and empty arguments', () => {
  const noArgs = '{\n  "execute": "migrate-set-parameters"\n}\n';
  assert.equal(apply(noArgs, 2, asb), '{\n  "execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1250000000}\n}\n');
  const empty = '{"execute": "migrate-set-parameters", "arguments": {}}\n';
  assert.equal(apply(empty, 0, asb), '{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1250000000}}\n');
});

test('JSON: the nearest command above the cursor is the one changed', () => {
  const text = [
    '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 100}}',
    '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 200}}',
    '{"execute": "migrate", "arguments": {"uri": "x"}}',
    '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300}}',
  ].join('\n');
  const out = apply(text, 2, { parameters: { 'downtime-limit': 500 } }).split('\n');
  assert.deepEqual(
    out.map((l) => /\d{3}/.exec(l)?.[0]),
    ['100', '500', undefined, '300'],
  );
});

test('transcript: a -> command spanning lines is edited in place', () => {
  const text =
    '-> { "execute": "migrate-set-parameters",\n     "arguments": { "downtime-limit": 300 } }\n<- { "return": {} }\n-> { "execute": "migrate", "arguments": { "uri": "tcp:h:1" } }\n';
  assert.equal(
    apply(text, 3, asb),
    '-> { "execute": "migrate-set-parameters",\n     "arguments": { "downtime-limit": 300, "avail-switchover-bandwidth": 1250000000 } }\n<- { "return": {} }\n-> { "execute": "migrate", "arguments": { "uri": "tcp:h:1" } }\n',
  );
});

test('qmp-shell: key=value is replaced or appended', () => {
  const text = 'migrate-set-parameters downtime-limit=300 avail-switchover-bandwidth=1\nmigrate uri=tcp:h:4444\n';
  assert.equal(
    apply(text, 1, { parameters: { 'avail-switchover-bandwidth': 99, 'max-bandwidth': 7 } }),
    'migrate-set-parameters downtime-limit=300 avail-switchover-bandwidth=99 max-bandwidth=7\nmigrate uri=tcp:h:4444\n',
  );
});

test('HMP: the parameter line is updated with a size suffix, or a new line is added', () => {
  const text = 'migrate_set_parameter downtime-limit 300\nmigrate_set_parameter avail-switchover-bandwidth 100\nmigrate -d tcp:h:4444\n';
  assert.equal(
    apply(text, 2, { parameters: { 'avail-switchover-bandwidth': 1024 ** 3 } }),
    'migrate_set_parameter downtime-limit 300\nmigrate_set_parameter avail-switchover-bandwidth 1G\nmigrate -d tcp:h:4444\n',
  );
  assert.equal(
    apply(text, 2, { parameters: { 'max-bandwidth': 1250000000, 'downtime-limit': 500 }, capabilities: { 'auto-converge': true } }),
    'migrate_set_parameter downtime-limit 500\nmigrate_set_parameter avail-switchover-bandwidth 100\nmigrate_set_parameter max-bandwidth 1250000000B\nmigrate_set_capability auto-converge on\nmigrate -d tcp:h:4444\n',
  );
});

test('HMP: byte sizes get a suffix from the facts (MiB is the default for some), other numbers stay plain', () => {
  const text = 'migrate -d tcp:h:1\n';
  assert.equal(
    apply(text, 0, { parameters: { 'max-postcopy-bandwidth': 3 * 2 ** 20, 'xbzrle-cache-size': 2 ** 26, 'announce-initial': 500, 'downtime-limit': 1024 } }),
    'migrate_set_parameter max-postcopy-bandwidth 3M\nmigrate_set_parameter xbzrle-cache-size 64M\nmigrate_set_parameter announce-initial 500\nmigrate_set_parameter downtime-limit 1024\nmigrate -d tcp:h:1\n',
  );
});

test('no migrate-set-parameters above the cursor: a new command before the statement under the cursor', () => {
  const text = '# target: 10.2\n{"execute": "migrate",\n "arguments": {"uri": "tcp:h:4444"}}\n';
  assert.equal(
    apply(text, 2, asb),
    '# target: 10.2\n{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1250000000}}\n{"execute": "migrate",\n "arguments": {"uri": "tcp:h:4444"}}\n',
  );
  const shell = 'migrate uri=tcp:h:4444\n';
  assert.equal(
    apply(shell, 0, { parameters: { 'downtime-limit': 500 }, capabilities: { 'auto-converge': true } }),
    'migrate-set-parameters downtime-limit=500\nmigrate-set-capabilities capabilities=[{"capability":"auto-converge","state":true}]\nmigrate uri=tcp:h:4444\n',
  );
});

test('a capability becomes a migrate-set-capabilities command; CRLF and indentation are kept', () => {
  const text = '  -> { "execute": "migrate", "arguments": { "uri": "x" } }\r\n';
  assert.equal(
    apply(text, 0, { capabilities: { 'auto-converge': true } }),
    '  -> {"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "auto-converge", "state": true}]}}\r\n  -> { "execute": "migrate", "arguments": { "uri": "x" } }\r\n',
  );
});

test('an unterminated command is left alone and a new line is added instead', () => {
  const text = '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 3\n';
  const out = apply(text, 0, asb);
  assert.ok(out.endsWith(text));
  assert.match(out, /^\{"execute": "migrate-set-parameters", "arguments": \{"avail-switchover-bandwidth": 1250000000\}\}\n/);
});

test('braces and quotes inside strings do not confuse the edit (read by the checker’s parser)', () => {
  const text = '{"execute": "migrate-set-parameters", "arguments": {"tls-hostname": "}{\\"", "downtime-limit": 300}}\n';
  assert.equal(
    apply(text, 0, { parameters: { 'downtime-limit': 500 } }),
    '{"execute": "migrate-set-parameters", "arguments": {"tls-hostname": "}{\\"", "downtime-limit": 500}}\n',
  );
});

test('a mixed script: the format of the statement under the cursor is the one written', () => {
  const text = '{"execute": "qmp_capabilities"}\nmigrate_set_capability events on\nmigrate -d tcp:h:1\n';
  assert.equal(
    apply(text, 2, { capabilities: { 'auto-converge': true } }),
    '{"execute": "qmp_capabilities"}\nmigrate_set_capability events on\nmigrate_set_capability auto-converge on\nmigrate -d tcp:h:1\n',
  );
});

test("qmp-shell: a quoted key=value word is not that key (qmp-shell keeps the quotes: its key is '\"tls-hostname'), so the key is added", () => {
  const text = 'migrate-set-parameters "tls-hostname=a b" downtime-limit=1\n';
  assert.equal(
    apply(text, 0, { parameters: { 'tls-hostname': 'c', 'downtime-limit': 2 } }),
    'migrate-set-parameters "tls-hostname=a b" downtime-limit=2 tls-hostname=c\n',
  );
});
