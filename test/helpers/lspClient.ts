// A real LSP client for tests: spawns the bundled server (`node dist/server.js --stdio`)
// and speaks JSON-RPC to it over pipes. Waits are event-driven with timeouts.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import SERVER_NODE_FLAGS from '../../client/src/serverNodeFlags.json';
import { REPO } from './shared';

export interface LspClientOptions {
  /** Answer to workspace/configuration for section 'qapi'. */
  settings?: Record<string, unknown>;
  workspaceFolder?: string;
  /** Node flags for the server process besides the extension's own (e.g. a `--require` preload in trust tests). */
  nodeArgs?: string[];
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics received, in order. */
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly stderr: string[] = [];
  private waiters: (() => void)[] = [];
  private rawSeq = 0;
  settings: Record<string, unknown>;

  constructor(private readonly options: LspClientOptions = {}) {
    this.settings = options.settings ?? {};
    // Started as the extension starts it: with its node flags (under which its code cache was made).
    this.proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), join(REPO, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d) => this.stderr.push(String(d)));
    this.connection = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.publishes.push(p);
      this.wake();
    });
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'qapi' ? this.settings : null)),
    );
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
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** An incremental change, as VS Code sends a keystroke (the server syncs incrementally). */
  changeRange(
    uri: string,
    version: number,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
    text: string,
  ): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /**
   * Sends a request and its cancellation in one write, so the server reads both before it
   * can start on the request (vscode-jsonrpc then answers it cancelled). Written raw, beside
   * the connection (which must be idle: await earlier sends), and the answer read raw too.
   * Resolves with the answer's `result`, or its `error` ({ code: -32800 } when cancelled).
   */
  async requestCancelledInFlight(method: string, params: unknown): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
    const id = `cancelled-${++this.rawSeq}`;
    const frame = (m: unknown) => {
      const body = JSON.stringify(m);
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    let raw = '';
    const tap = (d: Buffer) => {
      raw += String(d);
      this.wake();
    };
    this.proc.stdout.on('data', tap);
    try {
      this.proc.stdin.write(frame({ jsonrpc: '2.0', id, method, params }) + frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } }));
      const mark = `"id":"${id}"`;
      return await this.waitFor(
        () => {
          const at = raw.indexOf(mark);
          const header = raw.lastIndexOf('Content-Length: ', at);
          if (at < 0 || header < 0) return undefined;
          const length = Number(/^Content-Length: (\d+)/.exec(raw.slice(header))?.[1]);
          const bodyStart = raw.indexOf('\r\n\r\n', header) + 4;
          const body = Buffer.from(raw.slice(bodyStart)).subarray(0, length);
          return body.length === length ? JSON.parse(String(body)) : undefined;
        },
        30_000,
        `the answer to ${id}`,
      );
    } finally {
      this.proc.stdout.off('data', tap);
    }
  }

  /** Resolves with the first diagnostics published for `uri` that satisfy `accept`. */
  waitForDiagnostics(uri: string, accept: (d: Diagnostic[], version?: number) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    return this.waitFor(
      () => {
        const p = this.diagnostics.get(uri);
        return p && accept(p.diagnostics, p.version) ? p.diagnostics : undefined;
      },
      timeoutMs,
      `diagnostics for ${uri}`,
    );
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
      const onWake = () => {
        if (check()) this.waiters = this.waiters.filter((w) => w !== onWake);
      };
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
    const code = await Promise.race([
      exited,
      new Promise<null>((r) =>
        setTimeout(() => {
          this.proc.kill('SIGKILL');
          r(null);
        }, 5000),
      ),
    ]);
    this.connection.dispose();
    return code;
  }
}
