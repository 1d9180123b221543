// The extension side of the preview with a recorded `vscode` API: the panel's options
// and page, the ready handshake, the two-step answer, following the cursor, workload
// overrides, bad messages, the one-edit apply, the code lens arguments and the serializer.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { memoryFiles } from '../../server/src/service/common/files';
import { normalizeSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';
import { registerCustomRequests } from '../../server/src/lsp/customRequests';
import { ConvergencePreviewRequest, type ConvergencePreviewParams } from '../../server/src/protocol/lsp';
import type { UpdateMessage } from '../../server/src/protocol/page';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import * as fake from '../helpers/webview/fakeVscode';

const SCRIPT = [
  '# qemu: 10.2',
  '# workload: ram=8G working-set=1G dirty-rate=150M/s link=10Gbit/s sending-efficiency=0.5',
  '{"execute": "qmp_capabilities"}',
  '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300}}',
  '{"execute": "migrate", "arguments": {"uri": "tcp:dst:4444"}}',
  '',
].join('\n');
const URI = 'file:///w/busy.qmp';

const service = createLanguageService({ files: memoryFiles({}), log: () => {} });
const requests: ConvergencePreviewParams[] = [];
const logs: { level: string; message: string }[] = [];

// The server's real request handlers, behind a connection that only records them.
const handlers = new Map<string, (p: unknown, token: unknown) => unknown>();
let version = 0;
registerCustomRequests({ onRequest: (t: { method: string }, h: (p: unknown, token: unknown) => unknown) => handlers.set(t.method, h) } as never, {
  documents: {
    get: (uri: string) => {
      const d = fake.state.documents.get(uri);
      return d && TextDocument.create(uri, d.languageId, ++version, d.text);
    },
  } as never,
  service,
  settingsNow: () => normalizeSettings({}).settings,
  log: (message) => logs.push({ level: 'server', message }),
});
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
/** The LanguageClient's part the panel uses: requests go to the handlers as JSON, as over the wire. */
const client = {
  isRunning: () => true,
  sendRequest: async (type: { method: string }, p: unknown) => {
    if (type.method === ConvergencePreviewRequest.method) requests.push(p as ConvergencePreviewParams);
    return JSON.parse(JSON.stringify(await handlers.get(type.method)!(JSON.parse(JSON.stringify(p)), token)));
  },
  protocol2CodeConverter: {
    asWorkspaceEdit: async (e: WorkspaceEdit) => {
      const edit = new fake.WorkspaceEdit();
      const pos = (p: { line: number; character: number }) => new fake.Position(p.line, p.character);
      for (const dc of e.documentChanges ?? []) {
        if (!('edits' in dc)) continue;
        for (const x of dc.edits)
          edit.replace(fake.Uri.parse(dc.textDocument.uri), new fake.Range(pos(x.range.start), pos(x.range.end)), (x as TextEdit).newText);
      }
      return edit;
    },
  },
};
const output = Object.fromEntries(['info', 'warn', 'error'].map((level) => [level, (message: string) => logs.push({ level, message })]));

/** Waits for the panel's timers and requests to settle into `cond` (gives up after 10 s). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `never happened: ${what}`);
}
const updates = (p: fake.FakeWebviewPanel) => p.posted.filter((m): m is UpdateMessage => (m as UpdateMessage).type === 'update');
let doc: fake.FakeDocument;
let panel: fake.FakeWebviewPanel;

before(async () => {
  fake.installFakeVscode();
  const { registerPreview } = await import('../../client/src/preview/register');
  doc = new fake.FakeDocument(fake.Uri.parse(URI), 'qmp', SCRIPT);
  fake.state.documents.set(URI, doc);
  fake.state.activeTextEditor = { document: doc, selection: { active: new fake.Position(4, 2) } };
  const subscriptions: { dispose(): void }[] = [];
  registerPreview({ subscriptions, extensionUri: fake.Uri.parse('file:///ext') } as never, () => client as never, output as never);
  await fake.state.commands.get('qapi.openConvergencePreview')!();
  panel = fake.state.panels[0];
});

test('the panel loads only dist/webview under a nonce CSP and keeps no hidden context', () => {
  assert.equal(panel.viewType, 'qapi.convergencePreview');
  assert.equal(panel.options.retainContextWhenHidden, undefined);
  assert.equal(panel.webview.options.enableScripts, true);
  assert.deepEqual((panel.webview.options.localResourceRoots as fake.Uri[]).map(String), ['file:///ext/dist/webview']);
  const html = panel.webview.html;
  const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
  assert.ok(nonce && nonce.length >= 16);
  assert.match(html, /default-src 'none'/);
  assert.ok(html.includes(`<script nonce="${nonce}" src="https://webview/ext/dist/webview/preview.js">`));
  assert.ok(html.includes('href="https://webview/ext/dist/webview/preview.css"'));
  assert.doesNotMatch(html, /https?:\/\/(?!webview\/)/, 'no remote origin');
});

test('nothing is sent before the page is ready; then the theme, the plain run, and the recommendations', async () => {
  assert.equal(panel.posted.length, 0);
  panel.received.fire({ type: 'ready' });
  await until(() => updates(panel).some((u) => !u.pending), 'a complete update');
  assert.deepEqual(panel.posted[0], { type: 'theme', kind: 'dark' });
  const [first, second] = updates(panel);
  assert.equal(first.pending, true, 'the busy-thread run does not converge: recommendations follow');
  assert.equal(first.result.converged, false);
  assert.equal(second.pending, false);
  assert.ok(second.result.recommendations.some((r) => r.parameters));
  assert.deepEqual(
    requests.slice(-2).map((r) => r.recommendations),
    [false, true],
  );
  assert.deepEqual(first.source, { file: 'busy.qmp', line: 4 });
});

test('moving the cursor asks again for the new position', async () => {
  const before = requests.length;
  const editor = { document: doc, selection: { active: new fake.Position(3, 10) } };
  fake.state.selection.fire({ textEditor: editor });
  await until(() => requests.length > before, 'a request after the cursor moved');
  assert.deepEqual(requests[requests.length - 1].position, { line: 3, character: 10 });
  // Editors of other languages are not followed.
  const other = { document: new fake.FakeDocument(fake.Uri.parse('file:///w/a.txt'), 'plaintext', ''), selection: { active: new fake.Position(0, 0) } };
  const count = requests.length;
  fake.state.selection.fire({ textEditor: other });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(requests.length, count);
});

test('workload changes from the page are sent with every request and shown as overrides', async () => {
  const n = updates(panel).length;
  panel.received.fire({ type: 'setAssumptions', assumptions: { sendingEfficiency: 1 } });
  await until(() => updates(panel).length > n && updates(panel).at(-1)!.pending === false, 'an update with the override');
  assert.deepEqual(requests.at(-1)!.overrides, { sendingEfficiency: 1 });
  const last = updates(panel).at(-1)!;
  assert.equal(last.scenario.link.sendingEfficiency, 1);
  assert.deepEqual(last.overrides, { sendingEfficiency: 1 });
  panel.received.fire({ type: 'setAssumptions', assumptions: {} });
  await until(() => updates(panel).at(-1)!.scenario.link.sendingEfficiency === 0.5, "back to the script's workload");
});

test('workload values the simulator cannot take give a message and are dropped', async () => {
  const n = panel.posted.length;
  panel.received.fire({ type: 'setAssumptions', assumptions: { ramBytes: 1024 } }); // smaller than the 1 GiB working set
  await until(() => panel.posted.slice(n).some((m) => (m as { type: string }).type === 'empty'), 'an explanation');
  const empty = panel.posted.slice(n).find((m) => (m as { type: string }).type === 'empty') as { reason: string };
  assert.match(empty.reason, /^Cannot simulate busy\.qmp at line \d+: guest\.workingSetBytes.*dropped\)$/);
  fake.state.selection.fire({ textEditor: { document: doc, selection: { active: new fake.Position(4, 1) } } });
  await until(() => requests.at(-1)!.position.character === 1, 'the next request');
  assert.deepEqual(requests.at(-1)!.overrides, {});
});

test('malformed messages from the page are logged and ignored; log messages reach the output', () => {
  const before = requests.length;
  for (const m of [null, 7, { type: 'setAssumptions', assumptions: { ramBytes: -1 } }, { type: 'applyRecommendation' }, { type: 'rm -rf' }]) {
    panel.received.fire(m);
  }
  assert.equal(logs.filter((l) => l.level === 'warn' && /ignored a malformed or unknown message/.test(l.message)).length, 5);
  panel.received.fire({ type: 'log', level: 'error', message: 'page trouble' });
  assert.ok(logs.some((l) => l.level === 'error' && l.message.includes('page trouble')));
  assert.equal(requests.length, before);
});

test('applying a recommendation is one WorkspaceEdit on the followed script', async () => {
  fake.state.selection.fire({ textEditor: { document: doc, selection: { active: new fake.Position(4, 0) } } });
  await until(() => requests.at(-1)!.position.line === 4, 'following line 5');
  panel.received.fire({ type: 'applyRecommendation', parameters: { 'avail-switchover-bandwidth': 446e6 } });
  await until(() => fake.state.applied.length === 1, 'an applied edit');
  assert.equal(fake.state.applied[0].replacements.length, 1);
  assert.equal(doc.text.split('\n')[3], '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300, "avail-switchover-bandwidth": 446000000}}');
  doc.text = SCRIPT;
});

test('a recommendation the server cannot write into the document is a warning, not an edit', async () => {
  const qapi = new fake.FakeDocument(fake.Uri.parse('file:///w/migration.json'), 'qapi', "{ 'command': 'migrate' }\n");
  fake.state.documents.set(qapi.uri.toString(), qapi);
  fake.state.selection.fire({ textEditor: { document: qapi, selection: { active: new fake.Position(0, 0) } } });
  await until(() => requests.at(-1)!.textDocument.uri === qapi.uri.toString(), 'following the QAPI file');
  const applied = fake.state.applied.length;
  panel.received.fire({ type: 'applyRecommendation', parameters: { 'downtime-limit': 500 } });
  await until(() => fake.state.warnings.some((w) => /QMP scripts only/.test(w)), 'a warning');
  assert.equal(fake.state.applied.length, applied);
  assert.equal(qapi.text, "{ 'command': 'migrate' }\n");
  fake.state.selection.fire({ textEditor: { document: doc, selection: { active: new fake.Position(4, 0) } } });
  await until(() => requests.at(-1)!.textDocument.uri === URI, 'back on the script');
});

test("a code lens' [uri, position] is followed", async () => {
  await fake.state.commands.get('qapi.openConvergencePreview')!(URI, { line: 3, character: 0 });
  assert.equal(fake.state.panels.length, 1, 'the one panel is reused');
  assert.equal(panel.revealed, 1);
  await until(() => requests.at(-1)!.position.line === 3, 'a request for the lens position');
});

test('after a reload the serializer adopts the restored panel', async () => {
  const restored = new fake.FakeWebviewPanel('qapi.convergencePreview');
  await fake.state.serializers.get('qapi.convergencePreview')!.deserializeWebviewPanel(restored, {});
  assert.match(restored.webview.html, /preview\.js/);
  restored.received.fire({ type: 'ready' });
  await until(() => updates(restored).length > 0, 'the restored panel draws');
});
