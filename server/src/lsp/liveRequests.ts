// The live QEMU session of the language server: one connection at a time, made and used
// only when the client asks (each request follows a user action in the editor). While
// connected, QMP scripts are checked against that QEMU's own query-qmp-schema (kept in
// memory under a virtual path the schema chooser reads like an introspection file).
import { CodeLensRefreshRequest, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { connectTo } from '../live/connect';
import type { QmpConnection } from '../live/qmpClient';
import { isQuery, planScript, runPlan, transcriptLines, type Plan } from '../live/runScript';
import { measureWorkload, workloadLine } from '../live/measure';
import { fetchSchema, schemaText } from '../live/schema';
import {
  LiveConnectRequest,
  LiveDisconnectRequest,
  LiveMeasureRequest,
  LivePlanRequest,
  LiveRunRequest,
  LiveSchemaRequest,
  LiveStatusRequest,
  type LiveConnectResponse,
  type LiveMeasureResponse,
  type LivePlanResponse,
  type LiveSchemaResponse,
  type LiveScriptParams,
  type LiveStatusResponse,
} from '../protocol/lsp';
import type { Settings } from '../service/common/settings';
import { uriToPath } from '../service/common/paths';

/** Where the connected QEMU's schema lives for the checker (never a real file). */
export const LIVE_SCHEMA_PATH = '/\0qapi-qmp-live/connected-qemu-schema.json';

export class LiveSession {
  conn: QmpConnection | null = null;
  schema = '';
  version = '';
  /** Ends the preview's live watch (lsp/liveWatch.ts) when the connection goes. */
  stopWatch: ((note: string) => void) | null = null;

  /** The settings a document is checked with: the connected QEMU's schema wins while connected. */
  apply(s: Settings): Settings {
    return this.conn && !this.conn.closed ? { ...s, introspectionFile: LIVE_SCHEMA_PATH, qemuVersion: this.version } : s;
  }
}

export function registerLiveRequests(
  connection: Connection,
  ctx: {
    live: LiveSession;
    documents: TextDocuments<TextDocument>;
    /** The overlay the service reads files through (the schema is put there while connected). */
    openTexts: Map<string, string>;
    revalidateAll: () => void;
    /** The client handles workspace/codeLens/refresh. */
    canRefreshLenses?: () => boolean;
    log: (m: string) => void;
  },
): void {
  const { live } = ctx;
  // The "▶ Send" lenses (liveLenses.ts) come and go with the connection.
  const refreshLenses = () => {
    if (ctx.canRefreshLenses?.()) void connection.sendRequest(CodeLensRefreshRequest.type).then(undefined, () => undefined);
  };
  const drop = () => {
    live.stopWatch?.('disconnected from the QEMU');
    live.conn = null;
    ctx.openTexts.delete(LIVE_SCHEMA_PATH);
    ctx.revalidateAll();
    refreshLenses();
  };

  connection.onRequest(LiveConnectRequest, async (p): Promise<LiveConnectResponse> => {
    if (typeof p?.address !== 'string' || !p.address.trim()) return { error: 'no address given' };
    if (live.conn) {
      await live.conn.close();
      drop();
    }
    try {
      const conn = await connectTo(p.address);
      const schema = await fetchSchema(conn);
      live.conn = conn;
      live.version = `${conn.version.major}.${conn.version.minor}`;
      live.schema = schemaText(schema);
      ctx.openTexts.set(LIVE_SCHEMA_PATH, live.schema);
      conn.onClose((r) => {
        if (live.conn === conn) {
          ctx.log(`live: ${r.message}`);
          drop();
        }
      });
      ctx.revalidateAll();
      refreshLenses();
      return { label: conn.label, version: `${conn.version.major}.${conn.version.minor}.${conn.version.micro}` };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });

  connection.onRequest(LiveDisconnectRequest, async () => {
    const c = live.conn;
    if (c) {
      live.conn = null;
      await c.close();
      drop();
    }
    return null;
  });

  connection.onRequest(LiveStatusRequest, async (): Promise<LiveStatusResponse> => {
    const c = live.conn;
    if (!c || c.closed) return { connected: false };
    try {
      const [vm, mig] = await Promise.all([
        c.execute('query-status', undefined, { timeoutMs: 5000 }),
        c.execute('query-migrate', undefined, { timeoutMs: 5000 }),
      ]);
      return {
        connected: true,
        label: c.label,
        version: live.version,
        vmStatus: String((vm as { status?: unknown })?.status ?? '?'),
        migrationStatus: String((mig as { status?: unknown })?.status ?? 'none'),
      };
    } catch (e) {
      return { connected: false, reason: (e as Error).message };
    }
  });

  const plan = (p: LiveScriptParams): Plan | { error: string } => {
    if (!live.conn || live.conn.closed) return { error: 'not connected to a QEMU (QEMU: Connect to QMP…)' };
    const doc = typeof p?.textDocument?.uri === 'string' ? ctx.documents.get(p.textDocument.uri) : undefined;
    if (!doc || doc.languageId !== 'qmp') return { error: 'open a QMP script (.qmp) to run it' };
    const full = planScript(uriToPath(doc.uri), doc.getText(), JSON.stringify(JSON.parse(live.schema)), live.version);
    const lines = p.lines;
    if (!lines) return full;
    return { ...full, commands: full.commands.filter((c) => c.endLine - 1 >= lines.start && c.line - 1 <= lines.end) };
  };

  connection.onRequest(LivePlanRequest, (p): LivePlanResponse => {
    const r = plan(p);
    if ('error' in r) return r;
    return {
      commands: r.commands.map((c) => ({
        line: c.line,
        endLine: c.endLine,
        command: c.hmp ? `HMP ${c.hmp}` : c.command,
        isQuery: isQuery(c),
        errors: c.errors.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)),
      })),
    };
  });

  connection.onRequest(LiveRunRequest, async (p) => {
    const r = plan(p);
    if ('error' in r) return r;
    try {
      const outcomes = await runPlan(live.conn!, r, { yes: p.yes === true, force: p.force === true });
      return {
        outcomes: outcomes.map((o, i) => ({
          line: o.line,
          endLine: r.commands[i].endLine,
          command: o.command,
          reply: o.reply,
          ...(o.skipped ? { skipped: o.skipped } : {}),
          ok: o.ok,
        })),
        transcript: `# ${live.conn?.label ?? 'QEMU'}: QEMU ${live.version}\n` + outcomes.map(transcriptLines).join(''),
      };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });

  connection.onRequest(LiveSchemaRequest, (): LiveSchemaResponse => (live.conn ? { text: live.schema } : { error: 'not connected to a QEMU' }));

  connection.onRequest(LiveMeasureRequest, async (p): Promise<LiveMeasureResponse> => {
    if (!live.conn || live.conn.closed) return { error: 'not connected to a QEMU (QEMU: Connect to QMP…)' };
    const calc = Number(p?.calcTimeSeconds);
    if (!(calc >= 1 && calc <= 60)) return { error: 'the calc time must be 1 to 60 seconds' };
    try {
      const m = await measureWorkload(live.conn, calc);
      return { line: workloadLine(m, typeof p.previous === 'string' ? p.previous : undefined), ...m };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
}
