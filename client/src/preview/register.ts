// The Convergence Preview: one webview panel beside the editor that follows the cursor
// in QMP and QAPI files, asks the language server for the simulation at the cursor and
// hands it to the page; the page's buttons come back as workload changes and edits.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ConvergencePreviewRequest,
  LiveApplyRequest,
  LiveRecordingRequest,
  LiveReplayRequest,
  LiveWatchStartRequest,
  LiveWatchStopRequest,
  RecommendationEditRequest,
  type ConvergencePreviewParams,
  type ConvergencePreviewResponse,
} from '../../../server/src/protocol/lsp';
import {
  describeRejected,
  isLiveView,
  isToExtension,
  type ApplyRecommendationMessage,
  type Assumptions,
  type LiveApplyMessage,
  type LiveView,
  type ThemeMessage,
  type ToExtension,
  type ToPage,
} from '../../../server/src/protocol/page';
import { previewHtml } from './html';

const VIEW_TYPE = 'qapi.convergencePreview';
/** query-migrate states in which the preview follows a migration live. */
const MIGRATING = new Set(['setup', 'active', 'pre-switchover', 'device', 'postcopy-active', 'wait-unplug']);
/** Recordings above this size are refused before reading (the server refuses above 32 MiB too). */
const MAX_RECORDING_BYTES = 32 * 2 ** 20;
const LANGUAGES = new Set(['qmp', 'qapi']);
/** Cursor moves settle for this long before a new simulation (typing moves the cursor too). */
const CURSOR_DEBOUNCE_MS = 120;

interface Target {
  uri: vscode.Uri;
  position: vscode.Position;
}

const THEMES: Record<vscode.ColorThemeKind, ThemeMessage['kind']> = {
  [vscode.ColorThemeKind.Light]: 'light',
  [vscode.ColorThemeKind.Dark]: 'dark',
  [vscode.ColorThemeKind.HighContrast]: 'high-contrast',
  [vscode.ColorThemeKind.HighContrastLight]: 'high-contrast-light',
};

class PreviewPanel implements vscode.Disposable {
  private target?: Target;
  private overrides: Assumptions = {};
  private ready = false;
  /** Live mode: a watch of the connected QEMU's migration, or a replayed recording; 'off' follows the cursor. */
  liveMode: 'off' | 'watch' | 'replay' = 'off';
  /** The user left live mode during this migration: do not start again until it is over. */
  declined = false;
  private liveView?: LiveView;
  private seq = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
    onDispose: () => void,
  ) {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [root] };
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.css')).toString(),
    });
    this.subs.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      vscode.window.onDidChangeActiveColorTheme(() => this.postTheme()),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  /** Follow a position (the cursor, or a code lens' argument). */
  follow(target: Target, delayMs = CURSOR_DEBOUNCE_MS): void {
    this.target = target;
    this.schedule(delayMs);
  }

  isFollowing(uri: vscode.Uri): boolean {
    return this.target?.uri.toString() === uri.toString();
  }

  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private post(m: ToPage): void {
    void this.panel.webview.postMessage(m);
  }

  private postTheme(): void {
    if (this.ready) this.post({ type: 'theme', kind: THEMES[vscode.window.activeColorTheme.kind] ?? 'dark' });
  }

  /**
   * Asks for the quick answer (the plain simulation) and draws it; when the run does not
   * converge, asks again for the recommendations, which cost a dozen simulations more.
   */
  private async refresh(): Promise<void> {
    const target = this.target;
    if (!this.ready || !target || this.liveMode !== 'off') return;
    const id = ++this.seq;
    const client = this.client();
    if (!client?.isRunning()) {
      this.post({ type: 'empty', reason: 'The QAPI/QMP language server is not running (QEMU: Restart Language Server).' });
      return;
    }
    const overrides = this.overrides;
    const ask = async (recommendations: boolean): Promise<ConvergencePreviewResponse | undefined> => {
      const params: ConvergencePreviewParams = {
        textDocument: { uri: target.uri.toString() },
        position: { line: target.position.line, character: target.position.character },
        overrides,
        recommendations,
      };
      try {
        const res = await client.sendRequest(ConvergencePreviewRequest, params);
        return id === this.seq ? res : undefined; // undefined: a newer position is already on its way
      } catch (e) {
        this.output.error(`convergence preview request failed: ${(e as Error)?.message ?? e}`);
        return undefined;
      }
    };
    const file = vscode.workspace.asRelativePath(target.uri);
    const where = `${file} at line ${target.position.line + 1}`;
    /** Posts what an answer says; true when the recommendations are still to come. */
    const show = (res: ConvergencePreviewResponse | undefined): boolean => {
      if (res === undefined) return false;
      if (!res) {
        this.post({ type: 'empty', reason: `No live migration in ${where}: put the cursor on or after a migrate command.` });
      } else if ('error' in res) {
        // Workload values from the page may be the cause: drop them, so the next answer shows the script's own.
        const dropped = Object.keys(overrides).length > 0;
        if (dropped) this.overrides = {};
        this.post({
          type: 'empty',
          reason: `Cannot simulate ${where}: ${res.error}${dropped ? ' (the workload values changed in the preview were dropped)' : ''}`,
        });
      } else {
        const { complete, ...rest } = res;
        this.post({ type: 'update', ...rest, focus: res.inputs.focus, source: { file, line: target.position.line }, overrides, pending: !complete });
        return !complete;
      }
      return false;
    };
    if (show(await ask(false))) show(await ask(true));
  }

  private receive(m: unknown): void {
    if (!isToExtension(m)) {
      this.output.warn(`convergence preview: ${describeRejected(m)}`);
      return;
    }
    this.handle(m);
  }

  private handle(m: ToExtension): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.postTheme();
        if (this.liveView) this.post({ type: 'live', view: this.liveView });
        this.schedule(0);
        break;
      case 'setAssumptions':
        this.overrides = m.assumptions;
        this.schedule(0);
        break;
      case 'applyRecommendation':
        void this.apply(m);
        break;
      case 'log':
        this.output[m.level](`convergence preview page: ${m.message}`);
        break;
      case 'liveApply':
        void this.applyLive(m);
        break;
      case 'liveStop':
        void this.leaveLive();
        break;
      case 'liveSave':
        void vscode.commands.executeCommand('qapi.saveRecording');
        break;
    }
  }

  /**
   * Live mode on the connected QEMU: the server polls query-migrate (qapi.live.pollInterval)
   * and sends the view; the link comes from the followed script's header.
   */
  async startWatch(): Promise<void> {
    const client = this.client();
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('QEMU: live connections are disabled in an untrusted workspace (trust it first).');
      return;
    }
    if (!client?.isRunning()) return;
    const target = this.target;
    const raw = vscode.workspace.getConfiguration('qapi', target?.uri).get<unknown>('live.pollInterval');
    this.liveMode = 'watch';
    this.declined = false;
    this.liveView = undefined; // the last watch's view is over; the new one comes with the request's answer
    this.seq++; // an answer for the cursor still on its way is dropped
    const r = await client.sendRequest(LiveWatchStartRequest, {
      pollInterval: raw,
      ...(target ? { textDocument: { uri: target.uri.toString() }, position: { line: target.position.line, character: target.position.character } } : {}),
    });
    if ('error' in r) {
      this.liveMode = 'off';
      void vscode.window.showErrorMessage(`QEMU: cannot watch the migration: ${r.error}`);
      this.schedule(0);
      return;
    }
    if (r.problem) void vscode.window.showWarningMessage(`QEMU: ${r.problem}`);
    this.output.info(`convergence preview: watching the migration live (query-migrate every ${r.intervalMs} ms)`);
  }

  /** A view from the server (live watch) or a replay. */
  showLive(view: LiveView, mode: 'watch' | 'replay'): void {
    if (this.liveMode !== mode) return;
    this.liveView = view;
    // Over: the view stays; the next migration is followed once the status poll has seen this one end.
    if (mode === 'watch' && (view.phase === 'ended' || view.phase === 'stopped')) this.declined = true;
    if (this.ready) this.post({ type: 'live', view });
  }

  watchOver(): boolean {
    return this.liveView?.phase === 'ended' || this.liveView?.phase === 'stopped';
  }

  replayed(view: LiveView): void {
    if (this.liveMode === 'watch') void this.client()?.sendRequest(LiveWatchStopRequest);
    this.liveMode = 'replay';
    this.seq++;
    this.showLive(view, 'replay');
  }

  /** Back to the simulation at the cursor (a live watch is stopped). */
  async leaveLive(): Promise<void> {
    if (this.liveMode === 'watch') {
      this.declined = true;
      await this.client()
        ?.sendRequest(LiveWatchStopRequest)
        .then(undefined, () => undefined);
    }
    this.liveMode = 'off';
    this.liveView = undefined;
    this.schedule(0);
  }

  /**
   * Apply now: only a recommendation the page was shown, after a modal confirmation that
   * names the command and its values; the server sends it only if it is one it offered.
   */
  private async applyLive(m: LiveApplyMessage): Promise<void> {
    const shown = this.liveView?.recommendations.find((r) => r.kind === m.kind && r.command && r.arguments);
    const same =
      !!shown?.arguments &&
      Object.keys(shown.arguments).length === Object.keys(m.arguments).length &&
      Object.entries(shown.arguments).every(([k, v]) => m.arguments[k] === v);
    if (this.liveMode !== 'watch' || !shown || !same || !this.liveView?.canApply) {
      this.output.warn(`convergence preview: ignored Apply now for ${m.kind.slice(0, 60)} (not a change the preview offers now)`);
      // A real click on a view that has just changed (the recommendation was made again from newer numbers): say so.
      if (this.liveMode === 'watch' && shown)
        void vscode.window.showInformationMessage('QEMU: the recommendation changed with the latest numbers; look at the preview and apply again.');
      return;
    }
    const command = `${shown.command} ${JSON.stringify(shown.arguments)}`;
    const ok = await vscode.window.showWarningMessage(
      `QEMU: send ${command} to the migrating QEMU (${this.liveView.title})? It changes ${shown.change} while the migration runs.`,
      { modal: true },
      'Apply now',
    );
    if (ok !== 'Apply now') return;
    const client = this.client();
    if (!client?.isRunning()) return;
    const r = await client.sendRequest(LiveApplyRequest, { kind: shown.kind, arguments: shown.arguments! });
    if ('error' in r) void vscode.window.showErrorMessage(`QEMU: ${shown.kind} was not applied: ${r.error}`);
    else this.output.info(`convergence preview: sent ${command}`);
  }

  /**
   * The server computes the edit from its parse of the script (one WorkspaceEdit, so one
   * undo takes the whole recommendation back); the client only applies it.
   */
  private async apply(m: ApplyRecommendationMessage): Promise<void> {
    const target = this.target;
    const client = this.client();
    if (!target) return;
    if (!client?.isRunning()) {
      void vscode.window.showWarningMessage('The recommendation could not be applied: the QAPI/QMP language server is not running.');
      return;
    }
    try {
      const res = await client.sendRequest(RecommendationEditRequest, {
        textDocument: { uri: target.uri.toString() },
        position: { line: target.position.line, character: target.position.character },
        change: { parameters: m.parameters, capabilities: m.capabilities },
      });
      if ('error' in res) {
        void vscode.window.showWarningMessage(`The recommendation could not be applied: ${res.error}.`);
        return;
      }
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(res.edit);
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showWarningMessage('The recommendation could not be applied: the script changed or is read-only.');
      }
    } catch (e) {
      this.output.error(`applying a recommendation failed: ${(e as Error)?.message ?? e}`);
    }
  }

  dispose(): void {
    if (this.liveMode === 'watch')
      void this.client()
        ?.sendRequest(LiveWatchStopRequest)
        .then(undefined, () => undefined);
    this.liveMode = 'off';
    clearTimeout(this.timer);
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

/** `[uri, position]` from a code lens (JSON over LSP, or VS Code objects). */
function targetFromArgs(uri: unknown, position: unknown): Target | undefined {
  const u = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
  const p = position as { line?: unknown; character?: unknown } | undefined;
  if (!u || typeof p?.line !== 'number' || typeof p.character !== 'number') return undefined;
  return { uri: u, position: new vscode.Position(p.line, p.character) };
}

function editorTarget(editor: vscode.TextEditor | undefined): Target | undefined {
  if (!editor || !LANGUAGES.has(editor.document.languageId)) return undefined;
  return { uri: editor.document.uri, position: editor.selection.active };
}

/** What the rest of the extension tells the preview: live views from the server, and the migration status the status bar item polls. */
export interface PreviewHooks {
  liveView(view: LiveView): void;
  migrationStatus(status: string | undefined): void;
}

export function registerPreview(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.LogOutputChannel): PreviewHooks {
  let current: PreviewPanel | undefined;
  const adopt = (panel: vscode.WebviewPanel) => {
    const p = new PreviewPanel(panel, context.extensionUri, client, output, () => {
      if (current === p) current = undefined;
    });
    current = p;
    const t = editorTarget(vscode.window.activeTextEditor);
    if (t) p.follow(t, 0);
    return p;
  };

  const openPanel = (): PreviewPanel => {
    if (current) current.panel.reveal(undefined, true);
    else adopt(vscode.window.createWebviewPanel(VIEW_TYPE, 'Convergence Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }));
    return current!;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('qapi.openConvergencePreview', (uri?: unknown, position?: unknown) => {
      const target = targetFromArgs(uri, position) ?? editorTarget(vscode.window.activeTextEditor);
      openPanel();
      if (target) current!.follow(target, 0);
    }),
    vscode.commands.registerCommand('qapi.watchMigration', async () => {
      const target = editorTarget(vscode.window.activeTextEditor);
      const p = openPanel();
      if (target) p.follow(target, 0);
      await p.startWatch();
    }),
    // The last migration watched in the preview, as `watch --record` writes it (replayable; the simulator calibrates from it).
    vscode.commands.registerCommand('qapi.saveRecording', async (given?: unknown) => {
      const c = client();
      if (!c?.isRunning()) {
        void vscode.window.showErrorMessage('QEMU: the language server is not running.');
        return;
      }
      const r = await c.sendRequest(LiveRecordingRequest);
      if ('error' in r) {
        void vscode.window.showErrorMessage(`QEMU: ${r.error}`);
        return;
      }
      const uri =
        given instanceof vscode.Uri
          ? given
          : typeof given === 'string'
            ? vscode.Uri.file(given)
            : await vscode.window.showSaveDialog({ title: 'Save the watched migration as a recording', filters: { 'Migration recordings': ['jsonl'] } });
      if (!uri) return;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(r.text));
      void vscode.window.showInformationMessage(`QEMU: ${r.polls} polls saved to ${uri.fsPath} (QEMU: Replay Migration Recording… draws it again).`);
    }),
    vscode.commands.registerCommand('qapi.replayRecording', async (given?: unknown) => {
      const c = client();
      if (!c?.isRunning()) {
        void vscode.window.showErrorMessage('QEMU: the language server is not running.');
        return;
      }
      let uri = given instanceof vscode.Uri ? given : typeof given === 'string' ? vscode.Uri.file(given) : undefined;
      if (!uri) {
        const picked = await vscode.window.showOpenDialog({
          title: 'Replay a migration recording (qapi-qmp watch --record)',
          canSelectMany: false,
          filters: { 'Migration recordings': ['jsonl'], 'All files': ['*'] },
        });
        uri = picked?.[0];
      }
      if (!uri) return;
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_RECORDING_BYTES) throw new Error(`it is larger than ${MAX_RECORDING_BYTES / 2 ** 20} MiB`);
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const name = uri.path.split('/').pop() ?? 'recording';
        const r = await c.sendRequest(LiveReplayRequest, { name, text });
        if ('error' in r) throw new Error(r.error);
        openPanel().replayed(r.view);
      } catch (e) {
        void vscode.window.showErrorMessage(`QEMU: cannot replay ${uri.fsPath}: ${(e as Error).message}`);
      }
    }),
    // After a reload VS Code recreates the panel; the page restores its own drawing from its state.
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => void adopt(panel),
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const t = editorTarget(e.textEditor);
      if (t) current?.follow(t);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const t = editorTarget(editor);
      if (t) current?.follow(t, 0);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (current?.isFollowing(e.document.uri)) current.schedule(CURSOR_DEBOUNCE_MS);
    }),
    { dispose: () => current?.panel.dispose() },
  );
  return {
    liveView: (view) => {
      if (isLiveView(view)) current?.showLive(view, 'watch');
      else output.warn('convergence preview: ignored a malformed live view from the server');
    },
    migrationStatus: (status) => {
      const p = current;
      if (!p) return;
      if (!status || !MIGRATING.has(status)) {
        p.declined = false;
        return;
      }
      // The user connected and has the preview open: follow the migration live (once; not again after they left it).
      if (!p.declined && (p.liveMode === 'off' || (p.liveMode === 'watch' && p.watchOver()))) void p.startWatch();
    },
  };
}
