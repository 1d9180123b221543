// The editor side of a live QEMU: QEMU: Connect to QMP… / Disconnect / Save Schema… /
// Run QMP Script (or selection), a status bar item while connected, QEMU's errors as
// diagnostics (source "QEMU"), replies inline after each command, and the transcript in
// a new QMP document. Safety: nothing connects or is sent without the user's command,
// never in an untrusted workspace, and anything but query-* asks first (once per run).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  LiveConnectRequest,
  LiveDisconnectRequest,
  LiveMeasureRequest,
  LivePlanRequest,
  LiveRunRequest,
  LiveSchemaRequest,
  LiveStatusRequest,
  type LiveOutcome,
  type LiveScriptParams,
} from '../../server/src/protocol/lsp';

const RECENT_KEY = 'qapi.live.recentAddresses';
const STATUS_POLL_MS = 2000;

export function registerLive(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
  /** The migration status at each status poll (undefined once disconnected): the preview follows a migration live. */
  onMigrationStatus?: (status: string | undefined) => void,
): void {
  const item = vscode.window.createStatusBarItem('qapi.live', vscode.StatusBarAlignment.Left, 50);
  item.name = 'QEMU live connection';
  item.command = 'qapi.disconnect';
  const diagnostics = vscode.languages.createDiagnosticCollection('QEMU');
  const replyDecoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  let timer: NodeJS.Timeout | undefined;

  const trusted = () => {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('QEMU: live connections are disabled in an untrusted workspace (trust it first).');
    return false;
  };
  const server = () => {
    const c = client();
    if (!c) void vscode.window.showErrorMessage('QEMU: the language server is not running.');
    return c;
  };

  const refresh = async () => {
    const c = client();
    if (!c) return;
    const s = await c.sendRequest(LiveStatusRequest).catch(() => ({ connected: false as const }));
    if (!s.connected) {
      item.hide();
      if (timer) {
        clearInterval(timer);
        timer = undefined;
      }
      void vscode.commands.executeCommand('setContext', 'qapi.live.connected', false);
      onMigrationStatus?.(undefined);
      return;
    }
    onMigrationStatus?.(s.migrationStatus);
    item.text = `$(plug) QEMU ${s.version} · ${s.vmStatus}${s.migrationStatus !== 'none' ? ` · migration ${s.migrationStatus}` : ''}`;
    item.tooltip = `Connected to ${s.label}: QMP scripts are checked against this QEMU's schema. Click to disconnect.`;
    item.show();
  };

  context.subscriptions.push(
    item,
    diagnostics,
    replyDecoration,
    { dispose: () => timer && clearInterval(timer) },
    vscode.commands.registerCommand('qapi.connect', async (given?: string) => {
      if (!trusted()) return;
      const c = server();
      if (!c) return;
      const recent = context.globalState.get<string[]>(RECENT_KEY, []);
      let address = typeof given === 'string' ? given : undefined;
      if (!address) {
        const pick = await vscode.window.showQuickPick(
          [
            ...recent.map((a) => ({ label: a, description: 'recent' })),
            { label: '$(edit) Enter an address…', description: 'unix:PATH, tcp:HOST:PORT, libvirt:DOMAIN' },
          ],
          { title: 'QEMU: Connect to QMP', placeHolder: 'unix:/run/qemu/vm.qmp' },
        );
        if (!pick) return;
        address = pick.label.startsWith('$(edit)')
          ? await vscode.window.showInputBox({ title: 'QMP address', prompt: 'unix:PATH, tcp:HOST:PORT or libvirt:DOMAIN[?URI]', value: recent[0] ?? 'unix:' })
          : pick.label;
      }
      if (!address) return;
      const r = await c.sendRequest(LiveConnectRequest, { address });
      if ('error' in r) {
        void vscode.window.showErrorMessage(`QEMU: cannot connect: ${r.error}`);
        return;
      }
      await context.globalState.update(RECENT_KEY, [address, ...recent.filter((a) => a !== address)].slice(0, 8));
      void vscode.commands.executeCommand('setContext', 'qapi.live.connected', true);
      void vscode.window.showInformationMessage(`QEMU: connected to ${r.label} (QEMU ${r.version}).`);
      await refresh();
      // Read-only polling (query-status, query-migrate), only after the user connected.
      timer ??= setInterval(() => void refresh(), STATUS_POLL_MS);
    }),
    vscode.commands.registerCommand('qapi.disconnect', async () => {
      await client()?.sendRequest(LiveDisconnectRequest);
      diagnostics.clear();
      for (const e of vscode.window.visibleTextEditors) e.setDecorations(replyDecoration, []);
      await refresh();
    }),
    vscode.commands.registerCommand('qapi.saveSchema', async () => {
      const c = server();
      if (!c) return;
      const r = await c.sendRequest(LiveSchemaRequest);
      if ('error' in r) {
        void vscode.window.showErrorMessage(`QEMU: ${r.error}`);
        return;
      }
      const target = await vscode.window.showSaveDialog({ title: "Save the connected QEMU's schema", filters: { JSON: ['json'] } });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, Buffer.from(r.text));
      const use = await vscode.window.showInformationMessage(`QEMU: schema saved to ${target.fsPath}.`, 'Use it offline (qapi.introspectionFile)');
      if (use) await vscode.workspace.getConfiguration('qapi').update('introspectionFile', target.fsPath, vscode.ConfigurationTarget.Workspace);
    }),
    vscode.commands.registerCommand('qapi.runScript', async (uriArg?: string, lineArg?: number) => {
      if (!trusted()) return;
      const c = server();
      const editor = vscode.window.activeTextEditor;
      if (!c || !editor || editor.document.languageId !== 'qmp') {
        void vscode.window.showWarningMessage('QEMU: open a QMP script to run it.');
        return;
      }
      const doc = editor.document;
      const sel = editor.selection;
      const params: LiveScriptParams = { textDocument: { uri: typeof uriArg === 'string' ? uriArg : doc.uri.toString() } };
      if (typeof lineArg === 'number') params.lines = { start: lineArg, end: lineArg };
      else if (!sel.isEmpty) params.lines = { start: sel.start.line, end: sel.end.line };
      const plan = await c.sendRequest(LivePlanRequest, params);
      if ('error' in plan) {
        void vscode.window.showErrorMessage(`QEMU: ${plan.error}`);
        return;
      }
      if (!plan.commands.length) {
        void vscode.window.showInformationMessage('QEMU: no command to send there.');
        return;
      }
      const refused = plan.commands.filter((p) => p.errors.length);
      let force = false;
      if (refused.length) {
        const a = await vscode.window.showWarningMessage(
          `QEMU: the checker refuses ${refused.length} command(s) (line ${refused.map((p) => p.line).join(', ')}): ${refused[0].errors[0]}`,
          { modal: true },
          'Skip them',
          'Send anyway',
        );
        if (!a) return;
        force = a === 'Send anyway';
      }
      const changing = plan.commands.filter((p) => !p.isQuery && (force || !p.errors.length));
      let yes = false;
      if (changing.length) {
        const a = await vscode.window.showWarningMessage(
          `QEMU: send ${changing.length} command(s) that change the QEMU (${[...new Set(changing.map((p) => p.command))].join(', ')})?`,
          { modal: true },
          'Send',
          'Queries only',
        );
        if (!a) return;
        yes = a === 'Send';
      }
      const r = await c.sendRequest(LiveRunRequest, { ...params, yes, force });
      if ('error' in r) {
        void vscode.window.showErrorMessage(`QEMU: ${r.error}`);
        return;
      }
      showOutcomes(doc, r.outcomes);
      const transcript = await vscode.workspace.openTextDocument({ language: 'qmp', content: r.transcript });
      await vscode.window.showTextDocument(transcript, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('qapi.measureWorkload', async () => {
      if (!trusted()) return;
      const c = server();
      const editor = vscode.window.activeTextEditor;
      if (!c || !editor || editor.document.languageId !== 'qmp') {
        void vscode.window.showWarningMessage('QEMU: open the QMP script whose # workload: header to fill.');
        return;
      }
      const calc = vscode.workspace.getConfiguration('qapi', editor.document.uri).get<number>('live.calcDirtyRateSeconds', 1);
      const ok = await vscode.window.showWarningMessage(
        `QEMU: run calc-dirty-rate for ${calc} s on the connected QEMU (it samples guest pages), then read its memory and vCPUs? QMP cannot measure the link: your link value is kept.`,
        { modal: true },
        'Measure',
      );
      if (ok !== 'Measure') return;
      const doc = editor.document;
      const existing = [...Array(Math.min(doc.lineCount, 20)).keys()].map((i) => doc.lineAt(i)).find((l) => /^\s*#\s*workload\s*:/i.test(l.text));
      const r = await c.sendRequest(LiveMeasureRequest, { calcTimeSeconds: calc, previous: existing?.text });
      if ('error' in r) {
        void vscode.window.showErrorMessage(`QEMU: ${r.error}`);
        return;
      }
      await editor.edit((e) => (existing ? e.replace(existing.range, r.line) : e.insert(new vscode.Position(0, 0), r.line + '\n')));
    }),
  );

  function showOutcomes(doc: vscode.TextDocument, outcomes: LiveOutcome[]): void {
    const diags: vscode.Diagnostic[] = [];
    const decorations: vscode.DecorationOptions[] = [];
    for (const o of outcomes) {
      const line = doc.lineAt(Math.min(doc.lineCount - 1, o.endLine - 1));
      const text = o.skipped
        ? `not sent: ${o.skipped}`
        : o.reply && 'error' in o.reply
          ? `<- ${o.reply.error.class}: ${o.reply.error.desc}`
          : `<- ${JSON.stringify(o.reply?.return)}`;
      // contentText is shown as plain text (never markup); long replies are cut.
      decorations.push({
        range: new vscode.Range(line.range.end, line.range.end),
        renderOptions: { after: { contentText: text.length > 160 ? text.slice(0, 160) + '…' : text } },
      });
      if (o.reply && 'error' in o.reply) {
        const range = new vscode.Range(o.line - 1, 0, o.endLine - 1, doc.lineAt(o.endLine - 1).text.length);
        const d = new vscode.Diagnostic(range, `${o.reply.error.class}: ${o.reply.error.desc}`, vscode.DiagnosticSeverity.Error);
        d.source = 'QEMU';
        diags.push(d);
      }
    }
    diagnostics.set(doc.uri, diags);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    editor?.setDecorations(replyDecoration, decorations);
  }
}
