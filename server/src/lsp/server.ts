// The language server: wires the pure language service to an LSP connection.
// Runs over IPC when started by the extension and over stdio with `--stdio`.
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CachedFiles, diskFiles, overlayFiles } from '../service/common/files';
import { pathToUri, uriToPath } from '../service/common/paths';
import { normalizeSettings, type Settings } from '../service/common/settings';
import { createLanguageService } from '../service/languageService';
import { StatusNotification } from '../protocol/lsp';
import { workerIndexBuilder } from './cIndexBuilder';
import { registerCustomRequests } from './customRequests';
import { liveLenses } from './liveLenses';
import { LiveSession, registerLiveRequests } from './liveRequests';
import { registerLiveWatch } from './liveWatch';
import { IdleCollector } from './idleCollector';
import { runSafe } from './runSafe';
import { ValidationScheduler } from './validationScheduler';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const openTexts = new Map<string, string>(); // path -> text of open documents
  const log = (m: string) => connection.console.error(m);
  const disk = new CachedFiles();
  const service = createLanguageService({
    files: overlayFiles(openTexts, disk),
    log,
    // A QEMU tree's C index is built by worker threads (or in slices between requests), never on one.
    cSource: {
      schedule: (work) => void setImmediate(work),
      buildIndex: workerIndexBuilder({ log }),
      indexReads: overlayFiles(openTexts, diskFiles),
      onIndexed: (tree, index, ms, how) => log(`indexed ${index.filesIndexed} C files of ${tree.root} in ${Math.round(ms)} ms (${how})`),
    },
  });
  /** Inside a QEMU tree, start its C index (in the background) as soon as one of its files opens. */
  const startCIndex = (path: string) => {
    const tree = service.cSource.treeOf(path);
    if (tree) service.cSource.indexOf(tree);
  };

  let pullConfiguration = false;
  let canRefreshLenses = false;
  const settingsCache = new Map<string, Promise<Settings>>();
  const resolvedSettings = new Map<string, Settings>();
  let workspaceRoots: string[] = [];

  async function settingsFor(uri: string): Promise<Settings> {
    let p = settingsCache.get(uri);
    if (!p) {
      p = (pullConfiguration ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'qapi' }).catch(() => ({})) : Promise.resolve({})).then(
        (raw) => {
          const { settings, problems } = normalizeSettings(raw);
          for (const problem of problems) connection.window.showWarningMessage(problem);
          settings.schemaRoot = absolute(settings.schemaRoot);
          settings.introspectionFile = absolute(settings.introspectionFile);
          scheduler.delayMs = delayOf(raw);
          resolvedSettings.set(uri, settings);
          return settings;
        },
      );
      settingsCache.set(uri, p);
    }
    return p;
  }
  const absolute = (p: string) => (!p || p.startsWith('/') || !workspaceRoots[0] ? p : `${workspaceRoots[0]}/${p}`);
  const delayOf = (raw: unknown) => {
    const d = (raw as { validation?: { delay?: unknown } })?.validation?.delay;
    return typeof d === 'number' && d >= 0 && d <= 5000 ? d : 300;
  };
  /** Settings already pulled for the document (requests are answered synchronously). */
  const live = new LiveSession();
  const settingsNow = (uri: string): Settings => live.apply(resolvedSettings.get(uri) ?? normalizeSettings({}).settings);

  const collector = new IdleCollector();
  /** Open documents whose validation included the doc-example warnings once. */
  const examplesShown = new Set<string>();
  const scheduler = new ValidationScheduler(
    {
      versionOf: (uri) => documents.get(uri)?.version,
      validate: (uri, isStale) => {
        const doc = documents.get(uri);
        if (!doc) return undefined;
        const settings = settingsNow(uri);
        // A newly opened file gets QEMU's verdict first; its doc-example warnings (QMP
        // checks of the examples, a cold start of the QMP side) come in a second publish.
        // Later runs send both at once, so the warnings never flicker while typing.
        const docExamples = doc.languageId !== 'qapi' || examplesShown.has(uri);
        const byPath = service.validate(
          doc,
          settings,
          {
            get isCancellationRequested() {
              return isStale();
            },
          },
          { docExamples },
        );
        if (!docExamples && !isStale()) {
          examplesShown.add(uri);
          setImmediate(() => documents.get(uri) && scheduler.scheduleIfIdle(uri, 0));
        }
        // What this document depends on, remembered until its next check: every file its
        // diagnostics cover (the include tree) plus what the language names (schema root,
        // introspection file). Asking all documents on every change would be quadratic.
        dependenciesOf.set(uri, new Set([...byPath.keys(), ...service.dependencies(doc, settings)]));
        const byUri = new Map<string, Diagnostic[]>();
        for (const [path, diags] of byPath) byUri.set(pathToUri(path), diags);
        if (!byUri.has(uri)) byUri.set(uri, []);
        sendStatus(doc);
        collector.touch();
        return byUri;
      },
      publish: (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics: diagnostics as Diagnostic[], version }),
    },
    300,
  );

  function sendStatus(doc: TextDocument) {
    const status = service.status(doc, settingsNow(doc.uri));
    if (status) void connection.sendNotification(StatusNotification, { uri: doc.uri, ...status });
  }

  /** Re-validate every open document that depends on `path` (an include, the root, an introspection file). */
  const dependenciesOf = new Map<string, Set<string>>();
  function revalidateDependents(path: string, except?: string) {
    for (const [uri, deps] of dependenciesOf) {
      if (uri !== except && deps.has(path) && documents.get(uri)) scheduler.schedule(uri);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ["'", '"', ':', ' ', '@', '=', '-'], resolveProvider: false },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentLinkProvider: { resolveProvider: false },
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'qapi-qmp' },
    };
  });

  connection.onInitialized(() => {
    if (pullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'qapi' });
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    resolvedSettings.clear();
    for (const doc of documents.all()) void settingsFor(doc.uri).then(() => scheduler.schedule(doc.uri, 0));
  });

  documents.onDidOpen(({ document }) => {
    openTexts.set(uriToPath(document.uri), document.getText());
    startCIndex(uriToPath(document.uri));
    void settingsFor(document.uri).then(() => scheduler.schedule(document.uri, 0));
  });
  documents.onDidChangeContent(({ document }) => {
    const path = uriToPath(document.uri);
    openTexts.set(path, document.getText());
    service.cSource.fileChanged(path, document.getText());
    scheduler.schedule(document.uri);
    revalidateDependents(path, document.uri);
  });
  documents.onDidClose(({ document }) => {
    const path = uriToPath(document.uri);
    openTexts.delete(path);
    settingsCache.delete(document.uri);
    resolvedSettings.delete(document.uri);
    scheduler.forget(document.uri);
    examplesShown.delete(document.uri);
    dependenciesOf.delete(document.uri);
    revalidateDependents(path);
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const c of changes) disk.invalidate(uriToPath(c.uri));
    for (const c of changes) service.cSource.fileChanged(uriToPath(c.uri));
    for (const c of changes) revalidateDependents(uriToPath(c.uri));
  });

  const withDoc = <T>(what: string, uri: string, token: Parameters<typeof runSafe>[2], fallback: T, f: (doc: TextDocument, s: Settings) => T) => {
    const doc = documents.get(uri);
    return doc ? runSafe(log, what, token, fallback, () => f(doc, settingsNow(uri))) : fallback;
  };

  connection.onHover((p, token) => withDoc('hover', p.textDocument.uri, token, null, (doc, s) => service.hover(doc, p.position, s)));
  connection.onCompletion((p, token) =>
    withDoc('completion', p.textDocument.uri, token, { isIncomplete: false, items: [] }, (doc, s) => service.completion(doc, p.position, s)),
  );
  connection.onDocumentSymbol((p, token) => withDoc('documentSymbol', p.textDocument.uri, token, [], (doc, s) => service.documentSymbols(doc, s)));
  connection.onDefinition((p, token) => withDoc('definition', p.textDocument.uri, token, [], (doc, s) => service.definition(doc, p.position, s)));
  connection.onReferences((p, token) =>
    withDoc('references', p.textDocument.uri, token, [], (doc, s) => service.references(doc, p.position, s, p.context.includeDeclaration)),
  );
  connection.onDocumentLinks((p, token) => withDoc('documentLinks', p.textDocument.uri, token, [], (doc, s) => service.documentLinks(doc, s)));
  connection.onFoldingRanges((p, token) => withDoc('foldingRanges', p.textDocument.uri, token, [], (doc, s) => service.foldingRanges(doc, s)));
  connection.onCodeAction((p, token) => withDoc('codeAction', p.textDocument.uri, token, [], (doc, s) => service.codeActions(doc, p.range, p.context, s)));
  connection.onCodeLens((p, token) =>
    withDoc('codeLens', p.textDocument.uri, token, [], (doc, s) => [...service.codeLenses(doc, s), ...liveLenses(doc, live)]),
  );
  connection.onWorkspaceSymbol((p, token) => {
    const any = documents.all()[0];
    return runSafe(log, 'workspaceSymbol', token, [], () => service.workspaceSymbols(p.query, any ? settingsNow(any.uri) : normalizeSettings({}).settings));
  });

  registerCustomRequests(connection, { documents, service, settingsNow, log });
  registerLiveRequests(connection, {
    live,
    documents,
    openTexts,
    log,
    canRefreshLenses: () => canRefreshLenses,
    revalidateAll: () => {
      for (const doc of documents.all()) scheduler.schedule(doc.uri, 0);
    },
  });

  registerLiveWatch(connection, { live, documents, service, settingsNow, log });

  connection.onShutdown(() => {
    scheduler.dispose();
    collector.dispose();
  });
  documents.listen(connection);
  connection.listen();
}

// Started as a program (the bundle's entry): --stdio, --node-ipc or --socket are read by createConnection.
if (require.main === module) {
  process.on('uncaughtException', (e) => process.stderr.write(`qapi-qmp server: uncaught ${e?.stack ?? e}\n`));
  startServer(createConnection(ProposedFeatures.all));
}
