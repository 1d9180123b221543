// A broken schema source never stops a script from being checked: the script is
// checked against the next source, and a warning says what was wrong with the first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { memoryFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';

const script = '# qemu: 10.2\n{"execute": "migrate-set-parameters", "arguments": {"downtime_limit": 300}}\n';

function check(files: Record<string, string>, settings: Partial<typeof defaultSettings>) {
  const service = createLanguageService({ files: memoryFiles({ ...files, '/w/s.qmp': script }) });
  const doc = TextDocument.create('file:///w/s.qmp', 'qmp', 1, script);
  const s = { ...defaultSettings, ...settings };
  return { diags: service.validate(doc, s).get('/w/s.qmp') ?? [], status: service.status(doc, s) };
}

for (const [name, text, reason] of [
  ['not JSON', '{ this is not json', /not JSON/],
  ['JSON but not a schema reply', '{"greeting": "hello"}', /no query-qmp-schema reply/],
  ['a reply without commands', '[{"name": "int", "meta-type": "builtin", "json-type": "int"}]', /lists no commands/],
] as const) {
  test(`an introspection file that is ${name}: warned, and the script still checked`, () => {
    const { diags, status } = check({ '/w/schema.json': text }, { introspectionFile: '/w/schema.json' });
    const warning = diags.find((d) => d.code === 'qmp-schema-source');
    assert.ok(warning, JSON.stringify(diags));
    assert.equal(warning.severity, DiagnosticSeverity.Warning);
    assert.match(String(warning.message), reason);
    // The script itself is still judged (by the shipped facts): the underscore is an error.
    assert.ok(
      diags.some((d) => d.code === 'qmp-unknown-argument' && d.range.start.line === 1),
      JSON.stringify(diags),
    );
    assert.doesNotMatch(status?.text ?? '', /introspection/i);
  });
}

test('a QAPI schema root that does not parse: warned, and the script checked by the shipped facts', () => {
  const { diags, status } = check(
    { '/w/qapi/qapi-schema.json': "{ 'command': 'migrate-set-parameters', 'data': { \n" },
    { schemaRoot: '/w/qapi/qapi-schema.json' },
  );
  const warning = diags.find((d) => d.code === 'qmp-schema-source');
  assert.ok(warning, JSON.stringify(diags));
  assert.match(String(warning.message), /qapi-schema\.json gave no definitions/);
  assert.ok(
    diags.some((d) => d.code === 'qmp-unknown-argument' && d.range.start.line === 1),
    JSON.stringify(diags),
  );
  assert.match(status?.text ?? '', /shipped facts/);
});
