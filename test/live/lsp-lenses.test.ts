// "▶ Send" code lenses (server/src/lsp/liveLenses.ts) over stdio against a real QEMU: none
// before connecting, one above each command to send (not above `<-` replies) while
// connected, each running qapi.runScript on its own line, and none after disconnecting.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import test from 'node:test';
import type { CodeLens } from 'vscode-languageserver-types';
import { LiveConnectRequest, type LiveConnectResponse, LiveDisconnectRequest, LiveRunRequest, type LiveRunResponse } from '../../server/src/protocol/lsp';
import { LspClient } from '../helpers/lspClient';
import { qemu102, qemu72, startQemu } from './qemus';

const bin = [qemu72(), qemu102()].find((b) => !b.skip);

test(
  '▶ Send lenses appear only while connected, one per command, and each sends its own line',
  { skip: bin ? false : 'no QEMU (7.2 or 10.2) found', timeout: 60_000 },
  async () => {
    const q = await startQemu(bin!);
    const client = new LspClient();
    try {
      await client.initialize();
      const uri = `file://${join(q.dir, 'lenses.qmp')}`;
      const text = [
        '# two commands, a reply and a multi-line command',
        '{ "execute": "query-status" }',
        '<- { "return": { "status": "prelaunch", "running": false } }',
        'migrate-set-parameters downtime-limit=400',
        '{ "execute": "query-name",',
        '  "arguments": {} }',
        '',
      ].join('\n');
      await client.open(uri, 'qmp', text);
      const sends = async () =>
        (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).filter((l) => l.command?.command === 'qapi.runScript');
      assert.deepEqual(await sends(), [], 'lenses offered before any connection');

      const ok = await client.request<LiveConnectResponse>(LiveConnectRequest.method, { address: `unix:${q.socket}` });
      assert.ok('version' in ok, JSON.stringify(ok));
      const lenses = await sends();
      assert.deepEqual(
        lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.arguments]),
        [
          [1, '▶ Send', [uri, 1]],
          [3, '▶ Send', [uri, 3]],
          [4, '▶ Send', [uri, 4]],
        ],
      );
      // What a lens asks the client to run selects exactly its own command (the multi-line one too).
      for (const [line, command] of [
        [1, 'query-status'],
        [4, 'query-name'],
      ] as const) {
        const run = await client.request<LiveRunResponse>(LiveRunRequest.method, {
          textDocument: { uri },
          lines: { start: line, end: line },
          yes: false,
          force: false,
        });
        assert.ok('outcomes' in run && run.outcomes.length === 1 && run.outcomes[0].command === command && run.outcomes[0].ok, JSON.stringify(run));
      }

      await client.request(LiveDisconnectRequest.method, null);
      assert.deepEqual(await sends(), [], 'lenses remain after disconnecting');
    } finally {
      await client.stop();
      await q.stop();
    }
  },
);
