// The server reads files as text and does nothing else: no programs, no network,
// no file writes, whatever the documents and settings say (see SECURITY.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/shared';
import { LspClient } from '../helpers/lspClient';

test('a full editing session runs no program, opens no connection and writes no file', { timeout: 60_000 }, async () => {
  const examples = join(REPO, 'examples', 'qapi');
  const client = new LspClient({
    workspaceFolder: examples,
    nodeArgs: ['--require', join(__dirname, 'trust-preload.cjs')],
    // Hostile settings: a schema root and an introspection file that point at odd places.
    settings: { qemuVersion: 'auto', schemaRoot: '/etc/passwd', introspectionFile: 'http://example.invalid/schema.json' },
  });
  await client.initialize();
  const migration = join(examples, 'migration.json');
  const uri = `file://${migration}`;
  await client.open(uri, 'qapi', readFileSync(migration, 'utf8'));
  // Includes pointing at devices, URLs and command substitutions are only ever read as text.
  const hostile = `file://${join(examples, 'hostile.json')}`;
  await client.open(hostile, 'qapi', "{ 'include': '/dev/zero' }\n{ 'include': 'http://example.invalid/x.json' }\n{ 'include': '$(touch /tmp/pwned)' }\n");
  const script = 'file:///tmp/trust.qmp';
  await client.open(
    script,
    'qmp',
    '{ "execute": "migrate", "arguments": { "uri": "exec:touch /tmp/pwned" } }\n{"execute": "human-monitor-command", "arguments": {"command-line": "info status"}}\n',
  );
  await client.waitForDiagnostics(uri);
  await client.waitForDiagnostics(hostile);
  await client.waitForDiagnostics(script);
  for (const u of [uri, hostile, script]) {
    await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 5 } });
    await client.request('textDocument/completion', { textDocument: { uri: u }, position: { line: 0, character: 5 } });
    await client.request('textDocument/documentLink', { textDocument: { uri: u } });
    await client.request('textDocument/codeLens', { textDocument: { uri: u } });
  }
  await client.stop();
  const violations = client.stderr
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('TRUST-VIOLATION'));
  assert.deepEqual(violations, []);
});

test('the trust preload really catches what it guards (so the test above can fail)', async () => {
  const { spawnSync } = await import('node:child_process');
  const probe =
    "try{require('node:child_process').execSync('true')}catch{};try{require('node:net').connect(9,'127.0.0.1')}catch{};require('node:fs').writeFileSync('/tmp/x-trust','x')";
  const r = spawnSync(process.execPath, ['--require', join(__dirname, 'trust-preload.cjs'), '-e', probe], { encoding: 'utf8' });
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('TRUST-VIOLATION'));
  assert.equal(lines.length, 3, r.stderr);
});
