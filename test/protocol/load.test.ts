// The server under load and abuse: bursts of edits, many open documents, a 1,000-file
// include graph, files changing on disk, malformed JSON-RPC. It must keep answering,
// publish only fresh results, and give memory back after the burst.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspClient } from '../helpers/lspClient';

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

describe('server under load', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-load-'));
  const qapiDir = join(dir, 'qapi');
  let client: LspClient;

  before(async () => {
    mkdirSync(qapiDir);
    // A chain-and-fan include graph of 1,000 files, each defining one struct that uses the previous one.
    for (let i = 0; i < 1000; i++) {
      const inc = i + 1 < 1000 ? `{ 'include': 'm${i + 1}.json' }\n` : '';
      const uses = i > 0 ? `'prev': 'T${i - 1}', ` : '';
      writeFileSync(join(qapiDir, `m${i}.json`), `${inc}{ 'struct': 'T${i}', 'data': { ${uses}'x${i}': 'int' } }\n`);
    }
    writeFileSync(join(qapiDir, 'qapi-schema.json'), "{ 'include': 'm0.json' }\n");
    // Started as the extension starts it (--expose-gc: memory is given back after bursts).
    client = new LspClient({
      workspaceFolder: dir,
      settings: { qemuVersion: '10.2', validation: { delay: 50 } },
    });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a 1,000-file include graph is checked, and an error deep inside lands in its file', async () => {
    writeFileSync(join(qapiDir, 'm700.json'), "{ 'include': 'm701.json' }\n{ 'struct': 'T700', 'data': { 'prev': 'NoSuchType' } }\n");
    const uri = `file://${join(qapiDir, 'qapi-schema.json')}`;
    await client.open(uri, 'qapi', readFileSync(join(qapiDir, 'qapi-schema.json'), 'utf8'));
    const m700 = `file://${join(qapiDir, 'm700.json')}`;
    const d = await client.waitForDiagnostics(m700, (ds) => ds.length > 0, 60_000);
    assert.equal(d[0].range.start.line, 1);
  });

  test('2,000 rapid edits: only the last version is published, and the server still answers', async () => {
    const uri = `file://${join(qapiDir, 'burst.json')}`;
    await client.open(uri, 'qapi', "{ 'enum': 'E', 'data': [ 'a' ] }\n", 1);
    const rssBefore = rssKiB(client.proc.pid!);
    const answered: Promise<unknown>[] = [];
    const cancelled: Promise<unknown>[] = [];
    const hover = { textDocument: { uri }, position: { line: 0, character: 12 } };
    for (let v = 2; v <= 2001; v++) {
      const broken = v % 2 === 0;
      await client.change(uri, v, broken ? `{ 'enum': 'Enum${v}', 'data': [ 'a' ] \n` : `{ 'enum': 'Enum${v}', 'data': [ 'a' ] }\n`);
      // Requests in flight during the burst: some answered, some cancelled by the client.
      if (v % 50 === 0) answered.push(client.request('textDocument/hover', hover));
      if (v % 50 === 25) cancelled.push(client.requestCancelledInFlight('textDocument/hover', hover).then((r) => r.error?.code ?? r));
    }
    assert.equal((await Promise.all(answered)).length, 40, 'every request not cancelled is answered');
    assert.deepEqual(await Promise.all(cancelled), Array(40).fill(-32800), 'every cancelled request answers RequestCancelled');
    const final = await client.waitForDiagnostics(uri, (_d, v) => v === 2001, 30_000);
    assert.deepEqual(
      final.filter((x) => x.severity === 1),
      [],
      'version 2001 is valid',
    );
    const rssPeak = rssKiB(client.proc.pid!);
    // Once the server is idle, its memory comes back near the level before the burst.
    const settled = await client.waitFor(
      () => {
        const now = rssKiB(client.proc.pid!);
        return now < rssBefore + 64 * 1024 ? now : undefined;
      },
      20_000,
      `RSS to return within 64 MiB of ${rssBefore} KiB (peak ${rssPeak} KiB)`,
      500,
    );
    console.log(`server RSS before burst ${rssBefore} KiB, peak ${rssPeak} KiB, settled ${settled} KiB`);
  });

  test('200 documents open at once are all validated; closing them clears their diagnostics', async () => {
    const uris: string[] = [];
    for (let i = 0; i < 200; i++) {
      const uri = `file://${join(qapiDir, `open${i}.json`)}`;
      uris.push(uri);
      await client.open(uri, 'qapi', `{ 'struct': 'Open${i}', 'data': { 'a': 'Missing${i}' } }\n`);
    }
    for (const uri of uris) await client.waitForDiagnostics(uri, (d) => d.length > 0, 60_000);
    for (const uri of uris) await client.close(uri);
    for (const uri of uris) await client.waitForDiagnostics(uri, (d) => d.length === 0, 60_000);
  });

  test('an include deleted on disk is reported once the watcher says so', async () => {
    const root = `file://${join(qapiDir, 'qapi-schema.json')}`;
    rmSync(join(qapiDir, 'm0.json'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${join(qapiDir, 'm0.json')}`, type: 3 }] });
    const d = await client.waitForDiagnostics(root, (ds) => ds.some((x) => x.severity === 1), 30_000);
    assert.equal(d[0].range.start.line, 0);
  });

  test('malformed JSON-RPC does not take the server down', async () => {
    const body = '{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":'; // cut short
    client.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const garbage = '{"jsonrpc": "2.0", "method": 42}';
    client.proc.stdin.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    const r = await client.request('textDocument/hover', { textDocument: { uri: 'file:///nope.json' }, position: { line: 0, character: 0 } });
    assert.equal(r, null);
    assert.equal(client.proc.exitCode, null, 'server still running');
  });
});
