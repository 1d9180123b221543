// The QAPI/C edge over LSP (stdio), on QEMU's own 8.2 and 10.2 trees: hover with the
// generated C names, schema -> C and C -> schema navigation once the server has indexed
// the tree in the background, and the wiring check following an edit of options.c in the
// editor (a seed hunk taken out, then put back) without touching the files on disk.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { SEED_HUNKS, withoutHunk } from '../helpers/seedHunks';
import { sharedQemu } from '../helpers/shared';
import { LspClient } from '../helpers/lspClient';

function at(text: string, needle: string, shift = 1, from = 0) {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `${needle} not found`);
  const before = text.slice(0, i + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
const markdown = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';
const wiring = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'c-wiring').map((d) => d.message as string);
const lineOf = (l: Location) => readFileSync(new URL(l.uri), 'utf8').split('\n')[l.range.start.line];

for (const v of ['v8.2.0', 'v10.2.0']) {
  const tree = sharedQemu(`c-trees/${v}`);
  describe(`QAPI/C edge over LSP on QEMU ${v}`, { skip: tree.skip }, () => {
    const jsonPath = join(tree.path, 'qapi/migration.json');
    const jsonUri = `file://${jsonPath}`;
    const json = tree.skip ? '' : readFileSync(jsonPath, 'utf8');
    const optionsPath = join(tree.path, 'migration/options.c');
    const optionsUri = `file://${optionsPath}`;
    const options = tree.skip ? '' : readFileSync(optionsPath, 'utf8');
    let client: LspClient;

    before(async () => {
      client = new LspClient({ workspaceFolder: tree.path, settings: { qemuVersion: 'auto' } });
      await client.initialize();
      await client.open(jsonUri, 'qapi', json);
      await client.open(optionsUri, 'c', options);
      await client.waitForDiagnostics(jsonUri, () => true, 30000);
      // The server reports when its background index of the tree's C files is complete.
      await client.waitFor(
        () => client.notifications.find((n) => n.method === 'window/logMessage' && /indexed \d+ C files of /.test((n.params as { message: string }).message)),
        30000,
        'the C index',
      );
    });
    after(() => client.stop());

    test('the index is built by worker threads, off the thread that answers requests', () => {
      const done = client.notifications.find(
        (n) => n.method === 'window/logMessage' && /indexed \d+ C files of /.test((n.params as { message: string }).message),
      )!;
      assert.match((done.params as { message: string }).message, /indexed \d{4,} C files of .* \(\d worker threads?\)$/);
    });

    test("QEMU's own tree: no wiring warning", () => {
      assert.deepEqual(wiring(client.diagnostics.get(jsonUri)!.diagnostics), []);
    });

    test('hover on a schema member shows the generated C; hover in C leads back', async () => {
      const params = json.indexOf("{ 'struct': 'MigrationParameters'");
      const h = await client.request<Hover>('textDocument/hover', {
        textDocument: { uri: jsonUri },
        position: at(json, "'*avail-switchover-bandwidth'", 3, params),
      });
      assert.match(markdown(h), /bool has_avail_switchover_bandwidth;/);
      const c = await client.request<Hover>('textDocument/hover', {
        textDocument: { uri: optionsUri },
        position: at(options, 'qmp_query_migrate_parameters(Error', 4),
      });
      assert.match(markdown(c), /command `query-migrate-parameters`/);
      const none = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: optionsUri },
        position: at(options, 'migrate_get_current()', 3),
      });
      assert.equal(none, null);
    });

    test('definition and references across the edge', async () => {
      const defs = await client.request<Location[]>('textDocument/definition', {
        textDocument: { uri: jsonUri },
        position: at(json, "'query-migrate-parameters'", 3),
      });
      assert.ok(
        defs.some((l) => l.uri === optionsUri && /qmp_query_migrate_parameters\(Error \*\*errp\)/.test(lineOf(l))),
        JSON.stringify(defs),
      );
      const refs = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: jsonUri },
        position: at(json, "'avail-switchover-bandwidth'", 3),
        context: { includeDeclaration: false },
      });
      assert.ok(refs.some((l) => l.uri.endsWith('/migration/migration-hmp-cmds.c') && /case MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH/.test(lineOf(l))));
      const back = await client.request<Location[]>('textDocument/definition', {
        textDocument: { uri: optionsUri },
        position: at(options, 'params->has_avail_switchover_bandwidth', 10),
      });
      assert.ok(back.length >= 1 && back.every((l) => l.uri === jsonUri), JSON.stringify(back));
    });

    test('editing options.c in the editor: a removed seed hunk is warned on the schema member, putting it back clears it', async () => {
      const hunk = SEED_HUNKS.find((h) => h.id === 'options.c apply')!;
      await client.change(optionsUri, 2, withoutHunk(tree.path, hunk).text);
      const ds = await client.waitForDiagnostics(jsonUri, (d) => wiring(d).length > 0, 30000);
      assert.equal(wiring(ds).length, 1, wiring(ds).join('\n'));
      assert.match(wiring(ds)[0], hunk.expect);
      const d = ds.find((x) => x.code === 'c-wiring')!;
      assert.equal(d.relatedInformation?.[0].location.uri, optionsUri);
      await client.change(optionsUri, 3, options);
      await client.waitForDiagnostics(jsonUri, (x) => wiring(x).length === 0, 30000);
    });
  });
}
