// The editor features end to end over LSP (stdio), on the example schema tree and a
// QMP script: what a client really receives, not what the service returns in-process.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionList, DocumentSymbol, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { ConvergencePreviewRequest, MigrationInputsRequest, RecommendationEditRequest, StatusNotification } from '../../server/src/protocol/lsp';
import { REPO } from '../helpers/shared';
import { LspClient } from '../helpers/lspClient';

const examples = join(REPO, 'examples');
const migration = join(examples, 'qapi', 'migration.json');
const migrationUri = `file://${migration}`;
const migrationText = readFileSync(migration, 'utf8');
const seed = join(examples, 'qmp', 'avail-switchover-bandwidth.qmp');
const seedUri = `file://${seed}`;
const seedText = readFileSync(seed, 'utf8');

/** Position of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
function at(text: string, needle: string, shift = 1, nth = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not found`);
  const before = text.slice(0, i + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
const markdown = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('editor features over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient({ workspaceFolder: examples, settings: { qemuVersion: 'auto' } });
    await client.initialize();
    await client.open(migrationUri, 'qapi', migrationText);
    await client.open(seedUri, 'qmp', seedText);
    await client.waitForDiagnostics(migrationUri);
    await client.waitForDiagnostics(seedUri);
  });
  after(() => client.stop());

  test('the example schema is clean and the QEMU rules in force are announced', async () => {
    assert.deepEqual(client.diagnostics.get(migrationUri)?.diagnostics, []);
    const status = await client.waitFor(
      () => client.notifications.find((n) => n.method === StatusNotification.method && (n.params as { uri: string }).uri === migrationUri),
      5000,
      'the status notification',
    );
    assert.match((status.params as { text: string }).text, /10\.2/);
  });

  test('QAPI hover on avail-switchover-bandwidth: type, since, unit and doc', async () => {
    const h = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: migrationUri },
      position: at(migrationText, "'*avail-switchover-bandwidth'", 3),
    });
    const md = markdown(h);
    assert.match(md, /avail-switchover-bandwidth/);
    assert.match(md, /size/);
    assert.match(md, /8\.2/);
    assert.match(md, /B\/s|bytes per second/);
  });

  test('QAPI completion of a member type offers defined and built-in types', async () => {
    const pos = at(migrationText, "'*downtime-limit': 'uint64'", "'*downtime-limit': '".length);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: migrationUri }, position: pos });
    const labels = list.items.map((i) => i.label);
    for (const want of ['uint64', 'StrOrNull', 'MigrationStatus']) assert.ok(labels.includes(want), `${want} missing from ${labels.slice(0, 20)}`);
  });

  test('go to definition across an include, and references back', async () => {
    const pos = at(migrationText, "'StrOrNull'", 2);
    const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: migrationUri }, position: pos });
    assert.equal(defs.length, 1);
    assert.ok(defs[0].uri.endsWith('/examples/qapi/common.json'), defs[0].uri);
    await client.open(defs[0].uri, 'qapi', readFileSync(join(examples, 'qapi', 'common.json'), 'utf8'));
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: defs[0].uri },
      position: defs[0].range.start,
      context: { includeDeclaration: false },
    });
    assert.ok(
      refs.some((r) => r.uri === migrationUri),
      JSON.stringify(refs),
    );
  });

  test('outline lists definitions with their members', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: migrationUri } });
    const params = symbols.find((s) => s.name === 'MigrationParameters');
    assert.ok(params, symbols.map((s) => s.name).join(', '));
    assert.ok(params.children?.some((c) => c.name === 'avail-switchover-bandwidth'));
  });

  test('QMP hover converts the value under the cursor', async () => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: seedUri }, position: at(seedText, '1250000000', 2) });
    const md = markdown(h);
    assert.match(md, /1\.25 GB\/s/);
    assert.match(md, /10 Gbit\/s/);
  });

  test('QMP completion inside migrate-set-parameters offers avail-switchover-bandwidth', async () => {
    const text = '# qemu: 10.2\n{"execute": "migrate-set-parameters", "arguments": {"" }}\n';
    const uri = 'file:///tmp/protocol-completion.qmp';
    await client.open(uri, 'qmp', text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: at(text, '{"" }', 2) });
    assert.ok(
      list.items.some((i) => i.label === 'avail-switchover-bandwidth'),
      list.items.map((i) => i.label).join(', '),
    );
  });

  test('QMP quick fix turns a size string into a number', async () => {
    const text = '{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": "1G"}}\n';
    const uri = 'file:///tmp/protocol-fix.qmp';
    await client.open(uri, 'qmp', text);
    const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const d = diags.find((x) => x.code === 'qmp-size-string');
    assert.ok(d, JSON.stringify(diags));
    const actions = await client.request<{ title: string; edit?: { changes?: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const fix = actions.find((a) => a.edit?.changes?.[uri]?.some((e) => e.newText === '1073741824'));
    assert.ok(fix, JSON.stringify(actions));
  });

  test('code lens on migrate-set-parameters opens the preview, and the preview request answers', async () => {
    const lenses = await client.request<{ command?: { command: string; arguments?: unknown[] } }[]>('textDocument/codeLens', {
      textDocument: { uri: seedUri },
    });
    const lens = lenses.find((l) => l.command?.command === 'qapi.openConvergencePreview');
    assert.ok(lens, JSON.stringify(lenses));
    const position = at(seedText, 'avail-switchover-bandwidth"', 2, 0);
    const inputs = await client.connection.sendRequest(MigrationInputsRequest, { textDocument: { uri: seedUri }, position });
    assert.ok(inputs);
    assert.equal(inputs.qemuVersion, '8.2');
    assert.equal(inputs.parameters['avail-switchover-bandwidth'], 1250000000);
    const preview = await client.connection.sendRequest(ConvergencePreviewRequest, { textDocument: { uri: seedUri }, position, recommendations: false });
    assert.ok(preview && !('error' in preview));
    assert.equal(preview.scenario.parameters['avail-switchover-bandwidth'], 1250000000);
    assert.equal(preview.units['avail-switchover-bandwidth'], 'B/s');
    assert.ok(preview.result.windows.length > 0);
  });

  test('a recommendation comes back as a WorkspaceEdit for the document version the server has', async () => {
    const position = at(seedText, 'avail-switchover-bandwidth"', 2, 0);
    const res = await client.connection.sendRequest(RecommendationEditRequest, {
      textDocument: { uri: seedUri },
      position,
      change: { parameters: { 'avail-switchover-bandwidth': 2500000000 } },
    });
    assert.ok('edit' in res, JSON.stringify(res));
    const [change] = res.edit.documentChanges ?? [];
    assert.ok(change && 'edits' in change);
    assert.deepEqual(change.textDocument, { uri: seedUri, version: 1 });
    assert.deepEqual(
      change.edits.map((e) => ('newText' in e ? e.newText : '')),
      ['2500000000'],
    );
    const bad = await client.connection.sendRequest(RecommendationEditRequest, {
      textDocument: { uri: seedUri },
      position,
      change: { parameters: { 'downtime-limit': { rm: 1 } } } as never,
    });
    assert.ok('error' in bad);
    const qapi = await client.connection.sendRequest(RecommendationEditRequest, {
      textDocument: { uri: migrationUri },
      position: { line: 0, character: 0 },
      change: { parameters: { 'downtime-limit': 1 } },
    });
    assert.ok('error' in qapi && /QMP scripts only/.test(qapi.error));
  });
});
