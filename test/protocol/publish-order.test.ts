// What the server publishes, and when: a newly opened QAPI file gets QEMU's verdict
// first and its doc-example warnings in a second publish (they need the QMP side);
// an edit publishes both at once (no flicker while typing); files of the include tree
// whose diagnostics did not change are not sent again on every keystroke.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LspClient } from '../helpers/lspClient';

const dir = mkdtempSync(join(tmpdir(), 'qapi-publish-'));
const root = join(dir, 'qapi-schema.json');
const mod = join(dir, 'thing.json');
const rootText = "{ 'include': 'thing.json' }\n";
const modText = `##
# @query-thing:
#
# Get the thing.
#
# Since: 10.2
#
# .. qmp-example::
#
#     -> { "execute": "query-thingy" }
#     <- { "return": {} }
##
{ 'command': 'query-thing' }
`;
writeFileSync(root, rootText);
writeFileSync(mod, modText);

const client = new LspClient({ workspaceFolder: dir, settings: { qemuVersion: '10.2', validation: { delay: 0 } } });
after(() => client.stop());

const isExample = (d: { source?: string }) => d.source === 'qapi-doc-example';

test('open: QEMU verdict first, doc-example warnings next; edit: both at once; unchanged include-tree files not re-sent', async () => {
  await client.initialize();
  const uri = `file://${mod}`;
  const rootUri = `file://${root}`;
  await client.open(uri, 'qapi', modText, 1);
  const withExample = await client.waitForDiagnostics(uri, (d) => d.some(isExample), 20_000);
  assert.match(String(withExample.find(isExample)?.message), /query-thingy/);
  const mine = () => client.publishes.filter((p) => p.uri === uri);
  assert.ok(mine().length >= 2, `two publishes on open, got ${mine().length}`);
  assert.equal(mine()[0].version, 1);
  assert.ok(!mine()[0].diagnostics.some(isExample), "the first publish is QEMU's verdict alone");
  const rootPublishes = client.publishes.filter((p) => p.uri === rootUri).length;
  assert.ok(rootPublishes >= 1, 'the root file (no diagnostics) was published once');

  const before = mine().length;
  await client.change(uri, 2, modText.replace("'query-thing' }", "'query-thing'  }"));
  await client.waitForDiagnostics(uri, (_d, v) => v === 2, 20_000);
  const afterEdit = mine().slice(before);
  assert.ok(afterEdit[0].diagnostics.some(isExample), 'the first publish after an edit has the doc-example warning');
  assert.equal(client.publishes.filter((p) => p.uri === rootUri).length, rootPublishes, "the root's empty list is not sent again");
});
