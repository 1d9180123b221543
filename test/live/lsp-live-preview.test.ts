// The live mode of the convergence preview at the protocol level: the language server
// (dist/server.js over stdio) connected to a real QEMU whose tiny guest migrates and never
// converges (cases.ts); the view it sends names the case, offers what that QEMU has, and
// Apply now (qapi/liveApply, what the client sends after the user confirmed) unblocks the
// migration, which completes with the change marked on the view. QEMU 10.2 (the seed's
// case: avail-switchover-bandwidth) and Debian's 7.2 (downtime-limit; 7.2 has no
// avail-switchover-bandwidth). Plus the poll-interval setting and replays of the
// committed recordings (no QEMU). Waits are on notifications with deadlines.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import {
  LiveApplyRequest,
  LiveConnectRequest,
  LiveRecordingRequest,
  LiveReplayRequest,
  LiveViewNotification,
  LiveWatchStartRequest,
  LiveWatchStopRequest,
  type LiveApplyResponse,
  type LiveConnectResponse,
  type LiveRecordingResponse,
  type LiveReplayResponse,
  type LiveWatchResponse,
} from '../../server/src/protocol/lsp';
import { isLiveView, type LiveView } from '../../server/src/protocol/page';
import { parseRecordingText, replay } from '../../server/src/live/recording';
import { LspClient } from '../helpers/lspClient';
import { REPO } from '../helpers/shared';
import { GUEST, LINK_BYTES_PER_S, PARAMS } from './cases';
import { bootGuest, migrationSkip, startMigration } from './migration';
import { qemu102, qemu72, type QemuBinary } from './qemus';

const DEADLINE_MS = 90_000;

/** The newest live view the server sent that satisfies `ok`. */
function waitView(client: LspClient, ok: (v: LiveView) => boolean, what: string, from = 0): Promise<LiveView> {
  return client.waitFor(
    () => {
      const views = client.notifications
        .slice(from)
        .filter((n) => n.method === LiveViewNotification.method)
        .map((n) => (n.params as { view: LiveView }).view);
      return views.reverse().find(ok);
    },
    DEADLINE_MS,
    what,
  );
}

async function stuckThenApplied(bin: QemuBinary, expectedKind: string) {
  const m = await bootGuest(bin, GUEST, PARAMS);
  const client = new LspClient();
  try {
    await client.initialize();
    const path = join(m.qemu.dir, 'm.qmp');
    const uri = `file://${path}`;
    // 8 Gbit/s = the 1 GB/s the local pipe gives (cases.ts).
    const text = `# workload: link=${(LINK_BYTES_PER_S * 8) / 1e9}Gbit/s\nquery-migrate\n`;
    writeFileSync(path, text);
    await client.open(uri, 'qmp', text);
    const refused = await client.request<LiveWatchResponse>(LiveWatchStartRequest.method, { pollInterval: 200 });
    assert.ok('error' in refused && /not connected/.test(refused.error), 'no watch before the user connected');
    const c = await client.request<LiveConnectResponse>(LiveConnectRequest.method, { address: `unix:${m.watchSocket}` });
    assert.ok('version' in c, JSON.stringify(c));

    // A nonsense interval: the default and a message; too fast: clamped.
    const nonsense = await client.request<LiveWatchResponse>(LiveWatchStartRequest.method, { pollInterval: 'fast' });
    assert.deepEqual(nonsense, { intervalMs: 500, problem: 'qapi.live.pollInterval: "fast" is not a number of milliseconds; using 500.' });
    const fast = await client.request<LiveWatchResponse>(LiveWatchStartRequest.method, { pollInterval: 5 });
    assert.ok('intervalMs' in fast && fast.intervalMs === 100 && /faster/.test(fast.problem ?? ''));

    // Stopped: its last view says so, and nothing of it comes after (the views below are the next watch's).
    await client.request(LiveWatchStopRequest.method, null);
    await waitView(client, (v) => v.phase === 'stopped' && v.note === 'stopped', 'the stopped view');
    const start = client.notifications.length;
    const r = await client.request<LiveWatchResponse>(LiveWatchStartRequest.method, {
      pollInterval: 200,
      textDocument: { uri },
      position: { line: 1, character: 0 },
    });
    assert.deepEqual(r, { intervalMs: 200 });
    const waiting = await waitView(client, (v) => v.phase === 'waiting' && /^no migration in progress/.test(v.note), 'the view waiting for a migration', start);
    assert.equal(waiting.linkBytesPerSecond, LINK_BYTES_PER_S, 'the link from the script header');
    await startMigration(m);

    let stuck = await waitView(client, (v) => v.diagnosis?.stuck === true, 'the view saying the migration is stuck', start);
    assert.ok(isLiveView(stuck), "the view passes the page's validator");
    assert.equal(stuck.phase, 'migrating');
    assert.ok(stuck.diagnosis!.seedCase, `the seed's case named: ${stuck.diagnosis!.message}`);
    assert.match(stuck.diagnosis!.message, /the seed's case: QEMU measures .* MiB\/s on a 954 MiB\/s link/);
    assert.ok(stuck.points.length >= 5 && stuck.syncs.length >= 3, 'the real curve and its dirty syncs');
    assert.ok(stuck.points.every((p) => p.remainingBytes > 0 && p.thresholdBytes > 0));
    assert.ok(stuck.prediction && !stuck.prediction.converges && stuck.prediction.curve.length > 2, 'a prediction drawn over it');
    assert.ok(stuck.predictions.length >= 3, 're-predicted at each dirty sync');
    assert.ok(stuck.canApply);
    let best = stuck.recommendations.find((x) => x.command)!;
    assert.equal(best.kind, expectedKind);
    if (bin.name === '7.2') {
      const asb = stuck.recommendations.find((x) => x.kind === 'avail-switchover-bandwidth');
      assert.ok(!asb || (asb.command === null && /8\.2/.test(asb.notApplicable ?? '')), '7.2 is not offered avail-switchover-bandwidth');
    }
    const cap = stuck.recommendations.find((x) => x.kind === 'auto-converge');
    assert.ok(!cap || cap.command === null, 'a capability is not offered mid-migration (QEMU refuses it)');

    // Only exactly what was offered is sent.
    const forged = Object.fromEntries(Object.entries(best.arguments!).map(([k, v]) => [k, typeof v === 'number' ? v * 100 : v]));
    const no = await client.request<LiveApplyResponse>(LiveApplyRequest.method, { kind: best.kind, arguments: forged });
    assert.ok('error' in no && /not a change this watch offers/.test(no.error));
    const sentAt = client.notifications.length;
    let ok = await client.request<LiveApplyResponse>(LiveApplyRequest.method, { kind: best.kind, arguments: best.arguments });
    // As a user would: when the watch has just made its recommendations again from newer numbers, apply what the newest view shows.
    for (let i = 0; i < 3 && 'error' in ok && /not a change this watch offers/.test(ok.error); i++) {
      stuck = await waitView(client, (v) => v.diagnosis?.stuck === true, 'the newest stuck view', start);
      best = stuck.recommendations.find((x) => x.command)!;
      ok = await client.request<LiveApplyResponse>(LiveApplyRequest.method, { kind: best.kind, arguments: best.arguments });
    }
    assert.deepEqual(ok, { ok: true });
    const again = await client.request<LiveApplyResponse>(LiveApplyRequest.method, { kind: best.kind, arguments: best.arguments });
    assert.ok('error' in again, 'applied once');

    const end = await waitView(client, (v) => v.phase === 'ended', 'the migration to end', sentAt);
    assert.equal(end.end?.status, 'completed', end.note);
    assert.ok(end.end!.switchoverAt! > stuck.diagnosis!.at, 'it completed after the change');
    const mark = end.marks.find((x) => x.kind === 'applied')!;
    assert.ok(mark && mark.label.includes(best.kind), 'the moment applied is marked');
    assert.ok(end.recommendations.find((x) => x.kind === best.kind)!.appliedAt! >= stuck.diagnosis!.at);
    assert.equal(end.canApply, false);
    assert.match(end.note, /^migration completed: switchover at/);
    // Saved as a recording: it replays to the same diagnosis, change and outcome.
    const saved = await client.request<LiveRecordingResponse>(LiveRecordingRequest.method, null);
    assert.ok('text' in saved, JSON.stringify(saved));
    // Every poll (a poll still in setup has no total-time, so no point on the chart).
    assert.ok(saved.polls >= end.points.length && saved.polls <= end.points.length + 5, `${saved.polls} polls, ${end.points.length} points`);
    const replayed = [...replay(parseRecordingText(saved.text))];
    assert.ok(replayed.some((o) => o.type === 'stuck' && o.diagnosis.seedCase));
    assert.ok(replayed.some((o) => o.type === 'applied' && o.recommendation.kind === best.kind));
    assert.ok(replayed.some((o) => o.type === 'end' && o.status === 'completed'));
    return end;
  } finally {
    await client.stop();
    await m.stop();
  }
}

const skip102 = migrationSkip(qemu102());
test(
  "live preview on QEMU 10.2: the seed's case named, Apply now sets avail-switchover-bandwidth, the migration completes",
  { skip: skip102, timeout: 180_000 },
  async (t) => {
    const end = await stuckThenApplied(qemu102(), 'avail-switchover-bandwidth');
    t.diagnostic(`switchover ${end.end?.switchoverAt} s, last prediction ${end.end?.predictedSwitchoverAt} s`);
  },
);

const skip72 = migrationSkip(qemu72());
test('live preview on QEMU 7.2: stuck, Apply now raises downtime-limit, the migration completes', { skip: skip72, timeout: 180_000 }, async (t) => {
  const end = await stuckThenApplied(qemu72(), 'downtime-limit');
  t.diagnostic(`switchover ${end.end?.switchoverAt} s, last prediction ${end.end?.predictedSwitchoverAt} s`);
});

test('a recording replays into the same view (no QEMU); a broken one is refused with the line', { timeout: 60_000 }, async () => {
  const client = new LspClient();
  try {
    await client.initialize();
    for (const [name, kind] of [
      ['seed-10.2', 'avail-switchover-bandwidth'],
      ['stuck-7.2', 'downtime-limit'],
    ]) {
      const text = readFileSync(join(REPO, 'bench/recordings-live', `${name}.jsonl`), 'utf8');
      const r = await client.request<LiveReplayResponse>(LiveReplayRequest.method, { name: `${name}.jsonl`, text });
      assert.ok('view' in r, JSON.stringify(r));
      const v = r.view;
      assert.ok(isLiveView(v));
      assert.equal(v.source, 'replay');
      assert.equal(v.canApply, false, 'nothing to apply to in a replay');
      assert.ok(v.diagnosis?.seedCase);
      assert.equal(v.marks.filter((x) => x.kind === 'applied').length, 1);
      assert.match(v.marks[0].label, new RegExp(kind));
      assert.equal(v.end?.status, 'completed');
      assert.ok(v.recommendations.every((x) => x.command === null));
      // Deterministic: the same file gives the same view.
      const again = await client.request<LiveReplayResponse>(LiveReplayRequest.method, { name: `${name}.jsonl`, text });
      assert.deepEqual(again, r);
    }
    const bad = await client.request<LiveReplayResponse>(LiveReplayRequest.method, { name: 'x.jsonl', text: '{"type":"header"}\nnot json\n' });
    assert.deepEqual(bad, { error: 'line 2 is not JSON' });
    const none = await client.request<LiveReplayResponse>(LiveReplayRequest.method, { name: 'x.jsonl', text: '{"type":"header"}\n' });
    assert.ok('error' in none && /no query-migrate poll/.test(none.error));
    const nothing = await client.request<LiveRecordingResponse>(LiveRecordingRequest.method, null);
    assert.deepEqual(nothing, { error: 'no migration was watched in the preview yet (nothing to save)' });
    const malformed = await client.request<LiveReplayResponse>(LiveReplayRequest.method, { name: 3 });
    assert.deepEqual(malformed, { error: 'malformed request' });
    assert.equal(await client.request(LiveWatchStopRequest.method, null), null, 'stopping with no watch is harmless');
  } finally {
    await client.stop();
  }
});
