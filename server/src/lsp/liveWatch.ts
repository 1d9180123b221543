// The live mode of the convergence preview on the server side: while connected (and only
// when the client asks, after the user opened the preview or ran the watch command), one
// watch of the connected QEMU's migration at a time, polling query-migrate through the
// same watcher and predictor as `qapi-qmp watch`, its view sent to the client after each
// poll. Apply now sends a change only when it is exactly one this watch offered.
// Replays of a recording go through the same view builder, with no QEMU.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LiveViewBuilder } from '../live/liveView';
import { parseRecordingText, RecordingWriter, replay } from '../live/recording';
import { pollInterval, WatchControl, watchMigration } from '../live/watch';
import {
  LiveApplyRequest,
  LiveRecordingRequest,
  LiveReplayRequest,
  LiveViewNotification,
  LiveWatchStartRequest,
  LiveWatchStopRequest,
  type LiveApplyResponse,
  type LiveRecordingResponse,
  type LiveReplayResponse,
  type LiveWatchResponse,
} from '../protocol/lsp';
import type { Settings } from '../service/common/settings';
import type { LanguageService } from '../service/languageService';
import type { LiveSession } from './liveRequests';

/** Recordings larger than this are refused (the committed ones are a few kB; an hour at 100 ms is ~20 MB). */
export const MAX_RECORDING_BYTES = 32 * 2 ** 20;
/** Lines kept of a live watch's recording (an hour of polls at 100 ms, ~15 MB); later polls are not recorded. */
export const MAX_RECORDING_LINES = 36_000;

interface Running {
  builder: LiveViewBuilder;
  control: WatchControl;
  abort: AbortController;
  /** An Apply now on its way to QEMU: a second one waits for its answer (never two changes at once). */
  applying: boolean;
  /** The session as `watch --record` writes it (kept after the watch ends, for Save as recording). */
  recording: { writer: RecordingWriter; lines: string[]; polls: number; truncated: boolean };
}

function record(r: Running, o: Parameters<RecordingWriter['observe']>[0]): void {
  const rec = r.recording;
  if (rec.truncated) return;
  rec.writer.observe(o);
  for (const line of rec.writer.drain()) {
    if (rec.lines.length >= MAX_RECORDING_LINES) {
      rec.truncated = true;
      return;
    }
    rec.lines.push(line);
  }
  if (o.type === 'sample') rec.polls++;
}

export function registerLiveWatch(
  connection: Connection,
  ctx: {
    live: LiveSession;
    documents: TextDocuments<TextDocument>;
    service: LanguageService;
    settingsNow: (uri: string) => Settings;
    log: (m: string) => void;
  },
): void {
  const { live } = ctx;
  let running: Running | null = null;
  /** The last watch, running or over: its recording can be saved. */
  let last: Running | null = null;
  const send = (r: Running) => void connection.sendNotification(LiveViewNotification, { view: r.builder.get() }).catch(() => undefined);

  const stop = (note: string) => {
    const r = running;
    if (!r) return;
    running = null;
    r.abort.abort();
    r.control.close(note);
    r.builder.stop(note);
    send(r);
  };
  live.stopWatch = stop;

  /** The link the user wrote in the script's `# workload:` header at the position (QMP cannot measure it). */
  const linkAt = (p: { textDocument?: { uri?: unknown }; position?: unknown }): { link: number | null; note: string } => {
    const uri = p?.textDocument?.uri;
    const pos = p?.position as { line?: unknown; character?: unknown } | undefined;
    const doc = typeof uri === 'string' ? ctx.documents.get(uri) : undefined;
    const unknown =
      "unknown: write link=… in the script's # workload: header (QMP cannot measure the link; without it a busy migration thread cannot be told from a slow link)";
    if (!doc || typeof pos?.line !== 'number' || typeof pos.character !== 'number') return { link: null, note: unknown };
    try {
      const inputs = ctx.service.migrationInputsAt(doc, { line: pos.line, character: pos.character }, ctx.settingsNow(doc.uri));
      const link = inputs?.link?.bytesPerSecond;
      if (typeof link === 'number' && Number.isFinite(link) && link > 0) return { link, note: `from the # workload: header of ${doc.uri.split('/').pop()}` };
    } catch (e) {
      ctx.log(`live watch: no link from ${doc.uri}: ${(e as Error).message}`);
    }
    return { link: null, note: unknown };
  };

  connection.onRequest(LiveWatchStartRequest, async (p): Promise<LiveWatchResponse> => {
    const conn = live.conn;
    if (!conn || conn.closed) return { error: 'not connected to a QEMU (QEMU: Connect to QMP…)' };
    const interval = pollInterval(p?.pollInterval);
    const { link, note } = linkAt(p ?? {});
    stop('replaced by a new watch');
    const r: Running = {
      builder: new LiveViewBuilder({ source: 'live', title: `QEMU ${live.version} at ${conn.label}`, linkNote: note, intervalMs: interval.ms }),
      control: new WatchControl(),
      abort: new AbortController(),
      applying: false,
      recording: { writer: new RecordingWriter(conn.label, 'editor'), lines: [], polls: 0, truncated: false },
    };
    running = r;
    last = r;
    send(r);
    void watchMigration(conn, { linkBytesPerSecond: link, intervalMs: interval.ms, apply: false, signal: r.abort.signal, control: r.control }, (o) => {
      if (running !== r) return;
      r.builder.observe(o);
      record(r, o);
      send(r);
    }).then(
      () => {
        if (running !== r) return; // stopped or replaced: its last view was sent then
        running = null;
        send(r);
      },
      (e: Error) => {
        if (running !== r) return;
        running = null;
        r.control.close(e.message);
        r.builder.stop(r.abort.signal.aborted ? 'stopped' : `the watch ended: ${e.message}`);
        send(r);
      },
    );
    return interval.problem ? { intervalMs: interval.ms, problem: interval.problem } : { intervalMs: interval.ms };
  });

  connection.onRequest(LiveRecordingRequest, (): LiveRecordingResponse => {
    const r = last;
    if (!r || !r.recording.polls) return { error: 'no migration was watched in the preview yet (nothing to save)' };
    return { text: r.recording.lines.join(''), polls: r.recording.polls };
  });

  connection.onRequest(LiveWatchStopRequest, () => {
    stop('stopped');
    return null;
  });

  connection.onRequest(LiveApplyRequest, async (p): Promise<LiveApplyResponse> => {
    const r = running;
    if (!r || !live.conn || live.conn.closed) return { error: 'no migration is being watched on a connected QEMU' };
    if (typeof p?.kind !== 'string' || !p.arguments || typeof p.arguments !== 'object') return { error: 'malformed request' };
    if (r.applying) return { error: 'another change is being applied; look at the preview again' };
    const rec = r.builder.offered(p.kind, p.arguments);
    if (!rec) return { error: `${p.kind} with these values is not a change this watch offers now (already applied, or the view is out of date)` };
    r.applying = true;
    try {
      return await r.control.apply(rec);
    } finally {
      r.applying = false;
    }
  });

  connection.onRequest(LiveReplayRequest, (p): LiveReplayResponse => {
    if (typeof p?.text !== 'string' || typeof p.name !== 'string') return { error: 'malformed request' };
    if (p.text.length > MAX_RECORDING_BYTES) return { error: `the recording is larger than ${MAX_RECORDING_BYTES / 2 ** 20} MiB` };
    try {
      const rec = parseRecordingText(p.text);
      const builder = new LiveViewBuilder({ source: 'replay', title: `${p.name.slice(0, 200)} (replay)`, linkNote: 'from the recording' });
      let polls = 0;
      for (const o of replay(rec)) {
        builder.observe(o);
        if (o.type === 'sample') polls++;
      }
      if (!polls) return { error: 'the recording has no query-migrate poll' };
      return { view: builder.get() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
}
