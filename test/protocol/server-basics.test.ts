// The server over stdio: the LSP lifecycle, diagnostics per file, and survival of
// bad input. Feature-specific protocol cases live in their own files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspClient } from '../helpers/lspClient';

describe('language server over stdio', () => {
  let client: LspClient;
  const dir = mkdtempSync(join(tmpdir(), 'qapi-lsp-'));

  before(async () => {
    client = new LspClient({ workspaceFolder: dir, settings: { qemuVersion: '10.2' } });
  });
  after(async () => {
    await client.stop();
  });

  test('initialize announces the features the extension relies on', async () => {
    const init = await client.initialize();
    const caps = init.capabilities;
    assert.equal(init.serverInfo?.name, 'qapi-qmp');
    for (const cap of [
      'hoverProvider',
      'documentSymbolProvider',
      'definitionProvider',
      'referencesProvider',
      'foldingRangeProvider',
      'workspaceSymbolProvider',
    ] as const) {
      assert.ok(caps[cap], `${cap} missing`);
    }
    assert.ok(caps.completionProvider, 'completionProvider missing');
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
  });

  test('a broken schema gets an error diagnostic, published with its version', async () => {
    const uri = `file://${join(dir, 'qapi-schema.json')}`;
    writeFileSync(join(dir, 'qapi-schema.json'), '');
    await client.open(uri, 'qapi', "{ 'enum': 'Color', 'data': [ 'red' ] \n", 7);
    const diags = await client.waitForDiagnostics(uri, (d, v) => v === 7 && d.length > 0);
    assert.ok(
      diags.some((d) => d.severity === 1),
      `expected an error, got ${JSON.stringify(diags)}`,
    );
    // Fixing the text clears them, and only the newest version is published.
    await client.change(uri, 8, "{ 'enum': 'Color', 'data': [ 'red' ] }\n");
    await client.waitForDiagnostics(uri, (d, v) => v === 8 && d.length === 0);
  });

  test('requests on unknown documents and garbage parameters answer without killing the server', async () => {
    const nothing = await client.request('textDocument/hover', { textDocument: { uri: 'file:///never/opened.json' }, position: { line: 0, character: 0 } });
    assert.equal(nothing, null);
    await assert.rejects(client.request('textDocument/hover', { nonsense: true }));
    await assert.rejects(client.request('no/such/method', {}), /Unhandled method|not found/i);
    const symbols = await client.request<unknown[]>('workspace/symbol', { query: '' });
    assert.ok(Array.isArray(symbols));
  });

  test('binary junk in a document is diagnosed, not fatal', async () => {
    const uri = `file://${join(dir, 'qapi', 'junk.json')}`;
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    await client.open(uri, 'qapi', junk, 1);
    const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.ok(diags.length > 0);
    const again = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(again));
  });

  test('shutdown and exit end the process cleanly', async () => {
    const code = await client.stop();
    assert.equal(code, 0);
  });
});
