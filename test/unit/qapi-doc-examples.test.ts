// Examples in QAPI doc comments are checked against the schema they document, as
// warnings: QEMU does not check them, so they never change its verdict.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { memoryFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';

const schema = `##
# @set-speed:
#
# Set the speed.
#
# @speed: bytes per second
#
# Since: 1.0
#
# .. qmp-example::
#
#     -> { "execute": "set-speed", "arguments": { "speed": "1G" } }
#     <- { "return": {} }
#
# .. qmp-example::
#
#     -> { "execute": "set-sped", "arguments": { "speed": 5 } }
#     <- { "return": {} }
#
# .. qmp-example::
#
#     -> { "execute": "set-speed", "arguments": { "speed": 1073741824 } }
#     <- { "return": {} }
##
{ 'command': 'set-speed', 'data': { 'speed': 'size' } }
`;

test('stale doc examples are warnings on their own lines; the schema still checks clean', () => {
  const path = '/q/qapi/qapi-schema.json';
  const service = createLanguageService({ files: memoryFiles({ [path]: schema, '/q/VERSION': '10.2.0\n' }) });
  const doc = TextDocument.create(`file://${path}`, 'qapi', 1, schema);
  const diags = service.validate(doc, defaultSettings).get(path) ?? [];
  assert.deepEqual(
    diags.map((d) => [d.range.start.line, d.severity, d.code]),
    [
      [11, DiagnosticSeverity.Warning, 'qmp-size-string'],
      [16, DiagnosticSeverity.Warning, 'qmp-command-not-found'],
    ],
  );
  assert.equal(service.qapi.checkSchemaOf(path, defaultSettings).firstError, null, 'QEMU accepts this schema');
});
