// The extension side of the preview's live mode with a recorded `vscode` API: when it
// starts watching (only in a trusted workspace, with the panel open while a migration
// runs; not again after the user left it), what it sends the server, Apply now behind a
// modal that names the command (cancelled: nothing sent; a change the page was not shown:
// ignored), Stop watching, malformed views from the server, and a replay through the
// server's real handler. The LSP side against real QEMUs is test/live/lsp-live-preview.test.ts;
// the real modal in VS Code is test/e2e/live.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { LiveSession } from '../../server/src/lsp/liveRequests';
import { registerLiveWatch } from '../../server/src/lsp/liveWatch';
import {
  ConvergencePreviewRequest,
  LiveApplyRequest,
  LiveReplayRequest,
  LiveWatchStartRequest,
  LiveWatchStopRequest,
  type LiveWatchParams,
} from '../../server/src/protocol/lsp';
import type { LiveMessage } from '../../server/src/protocol/page';
import type { PreviewHooks } from '../../client/src/preview/register';
import * as fake from '../helpers/webview/fakeVscode';
import { liveMessage } from '../helpers/webview/liveSamples';
import { REPO } from '../helpers/shared';

const URI = 'file:///w/vm.qmp';
const sent: { method: string; params: unknown }[] = [];
const logs: { level: string; message: string }[] = [];

// The server's real replay handler behind a connection that only records; the watch
// requests are answered as a connected server answers them (recorded here).
const handlers = new Map<string, (p: unknown) => unknown>();
registerLiveWatch(
  {
    onRequest: (t: { method: string }, h: (p: unknown) => unknown) => handlers.set(t.method, h),
    sendNotification: async () => undefined,
  } as never,
  { live: new LiveSession(), documents: { get: () => undefined } as never, service: {} as never, settingsNow: () => ({}) as never, log: () => {} },
);
const client = {
  isRunning: () => true,
  sendRequest: async (type: { method: string }, p: unknown) => {
    sent.push({ method: type.method, params: p });
    switch (type.method) {
      case LiveWatchStartRequest.method:
        return { intervalMs: 500 };
      case LiveApplyRequest.method:
        return { ok: true };
      case LiveWatchStopRequest.method:
        return null;
      case ConvergencePreviewRequest.method:
        return null;
      default:
        return JSON.parse(JSON.stringify(await handlers.get(type.method)!(p === undefined ? null : JSON.parse(JSON.stringify(p)))));
    }
  },
};
const output = Object.fromEntries(['info', 'warn', 'error'].map((level) => [level, (message: string) => logs.push({ level, message })]));

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `never happened: ${what}`);
}
const count = (method: string) => sent.filter((s) => s.method === method).length;
const lives = (p: fake.FakeWebviewPanel) => p.posted.filter((m): m is LiveMessage => (m as LiveMessage).type === 'live');
let hooks: PreviewHooks;
let panel: fake.FakeWebviewPanel;
const stuck = liveMessage('seed-10.2', 'stuck').view;

before(async () => {
  fake.installFakeVscode();
  const { registerPreview } = await import('../../client/src/preview/register');
  const doc = new fake.FakeDocument(fake.Uri.parse(URI), 'qmp', '# workload: link=8Gbit/s\nquery-migrate\n');
  fake.state.documents.set(URI, doc);
  fake.state.activeTextEditor = { document: doc, selection: { active: new fake.Position(1, 0) } };
  hooks = registerPreview({ subscriptions: [], extensionUri: fake.Uri.parse('file:///ext') } as never, () => client as never, output as never);
  // No panel: a migration seen by the status poll starts nothing.
  hooks.migrationStatus('active');
  assert.equal(count(LiveWatchStartRequest.method), 0);
  await fake.state.commands.get('qapi.openConvergencePreview')!();
  panel = fake.state.panels[0];
  panel.received.fire({ type: 'ready' });
});

test('in an untrusted workspace the preview never starts watching', async () => {
  fake.state.trusted = false;
  hooks.migrationStatus('active');
  await until(() => fake.state.warnings.some((w) => /untrusted workspace/.test(w)), 'the refusal');
  assert.equal(count(LiveWatchStartRequest.method), 0);
  fake.state.trusted = true;
  hooks.migrationStatus('none');
});

test('with the panel open, a migration starts the watch with the raw interval setting and the followed script', async () => {
  fake.state.settings['qapi.live.pollInterval'] = 'fast';
  hooks.migrationStatus('none');
  assert.equal(count(LiveWatchStartRequest.method), 0, 'no migration, no watch');
  hooks.migrationStatus('active');
  await until(() => count(LiveWatchStartRequest.method) === 1, 'the watch request');
  const p = sent.find((s) => s.method === LiveWatchStartRequest.method)!.params as LiveWatchParams;
  assert.deepEqual(p, { pollInterval: 'fast', textDocument: { uri: URI }, position: { line: 1, character: 0 } });
  hooks.liveView(stuck);
  await until(() => lives(panel).length === 1, 'the view posted to the page');
  assert.deepEqual(lives(panel)[0].view, stuck);
  // A malformed view from the server is logged and not posted.
  hooks.liveView({ ...stuck, points: 'many' } as never);
  assert.equal(lives(panel).length, 1);
  assert.ok(logs.some((l) => l.level === 'warn' && /malformed live view/.test(l.message)));
});

test('Apply now asks first, naming the command and values; cancelled sends nothing; a change not shown is ignored', async () => {
  const rec = stuck.recommendations.find((r) => r.command)!;
  panel.received.fire({ type: 'liveApply', kind: rec.kind, arguments: { [rec.kind]: 1 } });
  await until(() => logs.some((l) => /ignored Apply now/.test(l.message)), 'the forged change ignored');
  assert.equal(fake.state.modals.length, 0, 'not even asked');

  fake.state.answers.push(undefined); // the user closes the dialog
  panel.received.fire({ type: 'liveApply', kind: rec.kind, arguments: rec.arguments });
  await until(() => fake.state.modals.length === 1, 'the confirmation');
  assert.ok(fake.state.modals[0].message.includes(`migrate-set-parameters ${JSON.stringify(rec.arguments)}`), fake.state.modals[0].message);
  assert.deepEqual(fake.state.modals[0].items, ['Apply now']);
  assert.equal(count(LiveApplyRequest.method), 0);

  fake.state.answers.push('Apply now');
  panel.received.fire({ type: 'liveApply', kind: rec.kind, arguments: rec.arguments });
  await until(() => count(LiveApplyRequest.method) === 1, 'the apply request');
  assert.deepEqual(sent.find((s) => s.method === LiveApplyRequest.method)!.params, { kind: rec.kind, arguments: rec.arguments });
});

test('Stop watching stops the watch and goes back to the script; the same migration is not followed again', async () => {
  const asked = count(ConvergencePreviewRequest.method);
  panel.received.fire({ type: 'liveStop' });
  await until(() => count(LiveWatchStopRequest.method) === 1, 'the stop request');
  await until(() => count(ConvergencePreviewRequest.method) > asked, 'the simulation at the cursor again');
  hooks.migrationStatus('active');
  hooks.liveView(stuck);
  assert.equal(count(LiveWatchStartRequest.method), 1, 'not restarted during the migration the user left');
  assert.equal(lives(panel).length, 1, 'views of a stopped watch are not drawn');
  hooks.migrationStatus('completed');
  hooks.migrationStatus('active');
  await until(() => count(LiveWatchStartRequest.method) === 2, 'the next migration followed');
});

test('Save as recording with no watched migration says so', async () => {
  panel.received.fire({ type: 'liveSave' });
  await until(() => fake.state.errors.some((e) => /no migration was watched in the preview yet/.test(e)), 'the message');
});

test('a recording replays through the server into the panel, stopping a running watch', async () => {
  const path = '/w/seed-10.2.jsonl';
  fake.state.files.set(path, readFileSync(join(REPO, 'bench/recordings-live/seed-10.2.jsonl'), 'utf8'));
  const stops = count(LiveWatchStopRequest.method);
  await fake.state.commands.get('qapi.replayRecording')!(path);
  assert.equal(count(LiveReplayRequest.method), 1);
  assert.equal(count(LiveWatchStopRequest.method), stops + 1);
  const last = lives(panel).at(-1)!;
  assert.equal(last.view.source, 'replay');
  assert.equal(last.view.end?.status, 'completed');
  fake.state.files.set('/w/bad.jsonl', 'not json\n');
  await fake.state.commands.get('qapi.replayRecording')!('/w/bad.jsonl');
  assert.ok(
    fake.state.errors.some((e) => /cannot replay \/w\/bad\.jsonl: line 1 is not JSON/.test(e)),
    fake.state.errors.join('; '),
  );
});
