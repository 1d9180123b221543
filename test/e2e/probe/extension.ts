// The probe: a tiny extension loaded next to the product in the same extension host.
// It asks the test process (over loopback HTTP) what to do, does it through the
// public `vscode` API, and posts the plain result back. It never asserts anything.
import * as vscode from 'vscode';
import { BRIDGE_ENV, type DiagnosticInfo, type Operations, type OpName, type Request, type Response } from './protocol';

const POLL_TIMEOUT_MS = 30_000;

/** `finished` resolves when the test process says it is done (the test-electron entry awaits it). */
export function activate(context: vscode.ExtensionContext): { finished: Promise<void> } {
  const bridge = process.env[BRIDGE_ENV];
  if (!bridge) return { finished: Promise.resolve() };
  let stopped = false;
  context.subscriptions.push({
    dispose: () => {
      stopped = true;
    },
  });
  const finished = (async () => {
    while (!stopped) {
      let req: Request | undefined;
      try {
        const r = await fetch(`${bridge}/next`, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS + 5_000) });
        if (r.status === 410) return; // the test process is done with us
        if (r.status !== 200) continue;
        req = (await r.json()) as Request;
      } catch {
        // The test process may be between suites; try again shortly.
        await new Promise((res) => setTimeout(res, 500));
        continue;
      }
      let res: Response;
      try {
        res = { id: req.id, ok: true, value: await run(req) };
      } catch (e) {
        res = { id: req.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      }
      await fetch(`${bridge}/result`, { method: 'POST', body: JSON.stringify(res) }).catch(() => undefined);
    }
  })();
  return { finished };
}

type Handler<K extends OpName> = (args: Operations[K]['args']) => Promise<Operations[K]['result']>;
const handlers: { [K in OpName]: Handler<K> } = {
  extension: async ({ extensionId }) => {
    const ext = vscode.extensions.getExtension(extensionId);
    return { vscode: vscode.version, version: ext?.packageJSON.version, active: !!ext?.isActive, trusted: vscode.workspace.isTrusted };
  },
  open: async ({ path, select }) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    if (select) {
      const p = new vscode.Position(select.line, select.character);
      editor.selection = new vscode.Selection(p, p);
      editor.revealRange(new vscode.Range(p, p), vscode.TextEditorRevealType.InCenter);
    }
    return { uri: doc.uri.toString(), languageId: doc.languageId, lineCount: doc.lineCount };
  },
  waitDiagnostics: (w) => waitDiagnostics(w),
  hover: async ({ path, line, character }) => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      vscode.Uri.file(path),
      new vscode.Position(line, character),
    );
    return (hovers ?? []).flatMap((h) => h.contents.map(markdownText));
  },
  completion: async ({ path, line, character, trigger }) => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      vscode.Uri.file(path),
      new vscode.Position(line, character),
      trigger,
    );
    return (list?.items ?? []).map((i) => ({
      label: typeof i.label === 'string' ? i.label : i.label.label,
      detail: i.detail,
      documentation: i.documentation === undefined ? undefined : markdownText(i.documentation),
    }));
  },
  definition: async ({ path, line, character }) => {
    const locs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      vscode.Uri.file(path),
      new vscode.Position(line, character),
    );
    return (locs ?? []).map((l) => {
      const uri = 'targetUri' in l ? l.targetUri : l.uri;
      const range = 'targetUri' in l ? (l.targetSelectionRange ?? l.targetRange) : l.range;
      return { path: uri.fsPath, line: range.start.line, character: range.start.character };
    });
  },
  references: async ({ path, line, character }) => {
    const locs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      vscode.Uri.file(path),
      new vscode.Position(line, character),
    );
    return (locs ?? []).map((l) => ({ path: l.uri.fsPath, line: l.range.start.line, character: l.range.start.character }));
  },
  command: async ({ command, args }) => {
    const r = await vscode.commands.executeCommand(command, ...(args ?? []));
    // Only JSON survives the trip; a webview panel or similar object is reported by its kind.
    try {
      return JSON.parse(JSON.stringify(r ?? null));
    } catch {
      return String(r);
    }
  },
  waitWebviewTab: ({ viewType, timeoutMs }) =>
    waitFor(
      () => {
        const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
        const found = tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType));
        return { done: found, value: { found, tabs: tabs.map(describeTab) } };
      },
      (fire) => vscode.window.tabGroups.onDidChangeTabs(fire),
      timeoutMs,
    ),
  config: async ({ section, key, value }) => {
    const changed = new Promise<void>((res) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${section}.${key}`)) {
          sub.dispose();
          res();
        }
      });
    });
    await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
    if (vscode.workspace.getConfiguration(section).get(key) !== value) await changed;
    return { value: vscode.workspace.getConfiguration(section).get(key) };
  },
  replace: async ({ path, find, text, after }) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const src = doc.getText();
    const from = after === undefined ? 0 : src.indexOf(after);
    const at = from < 0 ? -1 : src.indexOf(find, from);
    if (at < 0) throw new Error(`"${find}" not found in ${path}`);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + find.length)), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`edit of ${path} was refused`);
    return { version: doc.version };
  },
  append: async ({ path, text }) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().length), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`edit of ${path} was refused`);
    return { version: doc.version };
  },
  revert: async ({ path }) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    return { dirty: doc.isDirty };
  },
  breakFeature: async ({ feature }) => {
    const ext = vscode.extensions.getExtension<{ client(): { middleware: Record<string, unknown> } | undefined }>('qapi-qmp.qapi-qmp');
    const client = (await ext?.activate())?.client();
    if (!client) throw new Error('the product extension exposes no language client');
    // Language client middleware sits between VS Code and the server: answering
    // nothing here is what a user would see if the server's feature were broken.
    const broken: Record<typeof feature, [string, unknown]> = {
      hover: ['provideHover', () => null],
      completion: ['provideCompletionItem', () => []],
      definition: ['provideDefinition', () => null],
      diagnostics: ['handleDiagnostics', () => undefined],
    };
    const [name, fn] = broken[feature];
    client.middleware[name] = fn;
    return { broken: name };
  },
};

function run(req: Request): Promise<unknown> {
  const h = handlers[req.op] as Handler<OpName> | undefined;
  if (!h) throw new Error(`unknown operation ${req.op}`);
  return h(req.args);
}

async function waitDiagnostics(w: Operations['waitDiagnostics']['args']): Promise<Operations['waitDiagnostics']['result']> {
  const uri = vscode.Uri.file(w.path);
  const re = new RegExp(w.message ?? '');
  return waitFor(
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri).map(describeDiagnostic);
      const hit = diagnostics.some((d) => re.test(d.message) && (!w.severity || d.severity === w.severity));
      const matched = w.expect === 'present' ? hit : !hit;
      return { done: matched, value: { matched, diagnostics } };
    },
    (fire) =>
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) fire();
      }),
    w.timeoutMs,
  );
}

/** Re-checks `probe` whenever `subscribe` fires, until done or the timeout; returns the last value. */
function waitFor<T>(probe: () => { done: boolean; value: T }, subscribe: (fire: () => void) => vscode.Disposable, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve) => {
    const first = probe();
    if (first.done) return resolve(first.value);
    const finish = (v: T) => {
      sub.dispose();
      clearTimeout(timer);
      resolve(v);
    };
    const sub = subscribe(() => {
      const r = probe();
      if (r.done) finish(r.value);
    });
    const timer = setTimeout(() => finish(probe().value), timeoutMs);
  });
}

function describeDiagnostic(d: vscode.Diagnostic): DiagnosticInfo {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  const severity = (['error', 'warning', 'information', 'hint'] as const)[d.severity];
  return {
    message: d.message,
    severity,
    code: code === undefined ? undefined : String(code),
    source: d.source,
    line: d.range.start.line,
    character: d.range.start.character,
  };
}

function describeTab(t: vscode.Tab): string {
  const kind =
    t.input instanceof vscode.TabInputWebview ? `webview:${t.input.viewType}` : t.input instanceof vscode.TabInputText ? `text:${t.input.uri.fsPath}` : 'other';
  return `${t.label} (${kind})`;
}

function markdownText(c: vscode.MarkdownString | vscode.MarkedString | string): string {
  return typeof c === 'string' ? c : c.value;
}
