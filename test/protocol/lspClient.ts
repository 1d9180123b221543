// A real LSP client for tests: spawns the bundled server (`node dist/server.js --stdio`)
// and speaks JSON-RPC to it over pipes. Waits are event-driven with timeouts.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import {
  CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { REPO } from '../helpers/shared';

export interface LspClientOptions {
  /** Answer to workspace/configuration for section 'qapi'. */
  settings?: Record<string, unknown>;
  workspaceFolder?: string;
  /** Extra node flags for the server process (e.g. a `--require` preload in trust tests). */
  nodeArgs?: string[];
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly stderr: string[] = [];
  private waiters: (() => void)[] = [];
  settings: Record<string, unknown>;

  constructor(private readonly options: LspClientOptions = {}) {
    this.settings = options.settings ?? {};
    this.proc = spawn(process.execPath, [...(options.nodeArgs ?? []), join(REPO, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d) => this.stderr.push(String(d)));
    this.connection = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.wake();
    });
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'qapi' ? this.settings : null)));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const folder = this.options.workspaceFolder;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: folder ? `file://${folder}` : null,
      workspaceFolders: folder ? [{ uri: `file://${folder}`, name: 'ws' }] : null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version }, contentChanges: [{ text }],
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /**
   * Sends a request and cancels it before the server can start on it: both messages are
   * held in the pipe (corked) and reach the server in one read, so the cancellation is
   * known when the request is dispatched. Resolves with the server's answer, or rejects
   * with its error (for a cancelled request: code -32800, RequestCancelled).
   */
  async requestCancelledInFlight<T>(method: string, params: unknown): Promise<T> {
    const source = new CancellationTokenSource();
    const stdin = this.proc.stdin;
    stdin.cork();
    const answer = this.connection.sendRequest<T>(method, params, source.token);
    const written = () => new Promise<void>((r) => setImmediate(r));   // the writer's queue runs on promises
    await written();
    source.cancel();
    await written();
    stdin.uncork();
    return answer;
  }

  /** Resolves with the first diagnostics published for `uri` that satisfy `accept`. */
  waitForDiagnostics(uri: string, accept: (d: Diagnostic[], version?: number) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    return this.waitFor(() => {
      const p = this.diagnostics.get(uri);
      return p && accept(p.diagnostics, p.version) ? p.diagnostics : undefined;
    }, timeoutMs, `diagnostics for ${uri}`);
  }

  /** Resolves when `probe` returns a value; re-probes on every message, and every `pollMs` if given. */
  waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string, pollMs?: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const poll = pollMs ? setInterval(() => onWake(), pollMs) : undefined;
      const check = () => {
        const v = probe();
        if (v === undefined) return false;
        clearTimeout(timer);
        clearInterval(poll);
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters = this.waiters.filter((w) => w !== onWake);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr: ${this.stderr.join('').slice(-2000)}`));
      }, timeoutMs);
      const onWake = () => { if (check()) this.waiters = this.waiters.filter((w) => w !== onWake); };
      if (!check()) this.waiters.push(onWake);
    });
  }

  private wake() {
    for (const w of [...this.waiters]) w();
  }

  /** shutdown + exit; resolves with the process' exit code. */
  async stop(): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode;
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.proc.kill();
    }
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => { this.proc.kill('SIGKILL'); r(null); }, 5000))]);
    this.connection.dispose();
    return code;
  }
}
