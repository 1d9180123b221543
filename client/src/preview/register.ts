// The Convergence Preview: one webview panel beside the editor that follows the cursor
// in QMP and QAPI files, asks the language server for the simulation at the cursor and
// hands it to the page; the page's buttons come back as workload changes and edits.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ConvergencePreviewRequest,
  RecommendationEditRequest,
  type ConvergencePreviewParams,
  type ConvergencePreviewResponse,
} from '../../../server/src/protocol/lsp';
import {
  describeRejected,
  isToExtension,
  type ApplyRecommendationMessage,
  type Assumptions,
  type ThemeMessage,
  type ToExtension,
  type ToPage,
} from '../../../server/src/protocol/page';
import { previewHtml } from './html';

const VIEW_TYPE = 'qapi.convergencePreview';
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
    if (!this.ready || !target) return;
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
    }
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

export function registerPreview(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
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

  context.subscriptions.push(
    vscode.commands.registerCommand('qapi.openConvergencePreview', (uri?: unknown, position?: unknown) => {
      const target = targetFromArgs(uri, position) ?? editorTarget(vscode.window.activeTextEditor);
      if (current) current.panel.reveal(undefined, true);
      else adopt(vscode.window.createWebviewPanel(VIEW_TYPE, 'Convergence Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }));
      if (target) current!.follow(target, 0);
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
}
