// A QMP client on node:net (and on a child's pipes for `-qmp stdio`): greeting,
// qmp_capabilities, request ids, asynchronous events, per-request deadlines,
// cancellation, a cap on message size. Every reply is untrusted input: a peer that
// sends garbage or too much is disconnected with a message saying so, never trusted
// further. It never reconnects by itself (reconnect() is for an explicit user action).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect as netConnect, type Socket } from 'node:net';
import { formatAddress, type Address } from './address';
import { QmpAbortError, QmpCommandError, QmpConnectionError, QmpProtocolError, QmpTimeoutError } from './errors';

/** A QEMU we start ourselves and speak to over its stdin/stdout (`-qmp stdio`): tests, demos. */
export interface ChildAddress {
  kind: 'child';
  command: string;
  args: string[];
}
export type StreamAddress = Exclude<Address, { kind: 'libvirt' }> | ChildAddress;

export interface QmpEvent {
  event: string;
  data?: unknown;
  timestamp?: { seconds: number; microseconds: number };
}

export interface QemuVersion {
  major: number;
  minor: number;
  micro: number;
  package: string;
}

export interface RequestOptions {
  /** Deadline for this reply (default: the client's requestTimeoutMs). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ConnectOptions {
  /** Deadline for connecting, the greeting and qmp_capabilities together. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** The largest message (one JSON line) accepted from QEMU. */
  maxMessageBytes?: number;
  /** Events kept in `events` (the oldest are dropped past it; listeners see every one). */
  maxBufferedEvents?: number;
  signal?: AbortSignal;
}

/** What the CLI, the LSP server and the tests use, whatever the transport. */
export interface QmpConnection {
  readonly label: string;
  readonly version: QemuVersion;
  readonly closed: boolean;
  execute(command: string, args?: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  onEvent(listener: (e: QmpEvent) => void): () => void;
  onClose(listener: (reason: Error) => void): () => void;
  close(): Promise<void>;
}

export const DEFAULTS = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  /** QEMU 10.2's query-qmp-schema reply is about 200 KB; 64 MiB leaves room for any real reply. */
  maxMessageBytes: 64 * 2 ** 20,
  maxBufferedEvents: 1000,
};

interface Pending {
  command: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  cleanup: () => void;
}

interface Stream {
  write(text: string): void;
  destroy(): void;
  /** The child process behind a stdio transport (stopped by its PID on close). */
  child?: ChildProcessWithoutNullStreams;
}

export class QmpClient implements QmpConnection {
  readonly label: string;
  version: QemuVersion = { major: 0, minor: 0, micro: 0, package: '' };
  /** QEMU's greeting object (`{"QMP": {...}}`). */
  greeting: Record<string, unknown> | undefined;
  /** Recent events, oldest first, at most maxBufferedEvents. */
  readonly events: QmpEvent[] = [];
  /** Everything a child QEMU wrote to stderr (last 64 KiB). */
  stderr = '';
  closed = false;
  /** Why the connection ended (set once closed). */
  closeReason: Error | undefined;

  private readonly opts: Required<Omit<ConnectOptions, 'signal'>>;
  private stream!: Stream;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Set<(e: QmpEvent) => void>();
  private readonly closeListeners = new Set<(reason: Error) => void>();
  private greetingWaiter: { resolve: (g: Record<string, unknown>) => void; reject: (e: Error) => void } | undefined;

  private constructor(
    readonly address: StreamAddress,
    options: ConnectOptions,
  ) {
    this.label = address.kind === 'child' ? `${address.command} (stdio)` : formatAddress(address);
    this.opts = { ...DEFAULTS, ...stripUndefined(options) } as Required<Omit<ConnectOptions, 'signal'>>;
  }

  /** Connects, reads the greeting and leaves capabilities negotiation: ready for commands. */
  static async connect(address: StreamAddress, options: ConnectOptions = {}): Promise<QmpClient> {
    const client = new QmpClient(address, options);
    await client.open(options.signal);
    return client;
  }

  /** A fresh connection to the same address (an explicit user action; never done silently). */
  async reconnect(options: ConnectOptions = {}): Promise<QmpClient> {
    if (!this.closed) await this.close();
    return QmpClient.connect(this.address, { ...this.opts, ...stripUndefined(options) });
  }

  private async open(signal?: AbortSignal): Promise<void> {
    const deadline = this.opts.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => this.fail(new QmpAbortError(`connecting to ${this.label} was cancelled`));
    try {
      const greeting = new Promise<Record<string, unknown>>((resolve, reject) => {
        this.greetingWaiter = { resolve, reject };
      });
      timer = setTimeout(
        () => this.fail(new QmpTimeoutError(`${this.label}: no QMP greeting within ${deadline} ms (is it a QMP monitor? is another client holding it?)`)),
        deadline,
      );
      if (signal?.aborted) throw new QmpAbortError(`connecting to ${this.label} was cancelled`);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.stream = this.openStream();
      this.greeting = await greeting;
      const qmp = this.greeting.QMP as { version?: { qemu?: Partial<QemuVersion>; package?: string } } | undefined;
      const v = qmp?.version?.qemu;
      this.version = { major: Number(v?.major ?? 0), minor: Number(v?.minor ?? 0), micro: Number(v?.micro ?? 0), package: String(qmp?.version?.package ?? '') };
      await this.execute('qmp_capabilities', undefined, { timeoutMs: deadline, signal });
    } catch (e) {
      this.fail(e as Error);
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private openStream(): Stream {
    const a = this.address;
    if (a.kind === 'child') {
      const child = spawn(a.command, a.args, { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdout.on('data', (b: Buffer) => this.onData(b));
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (s: string) => {
        this.stderr = (this.stderr + s).slice(-65536);
      });
      child.stdin.on('error', () => {
        /* EPIPE on a dying QEMU: reported by 'close' */
      });
      child.on('error', (e) => this.fail(new QmpConnectionError(`${this.label}: cannot start: ${e.message}`)));
      child.on('close', (code, sig) =>
        this.fail(
          new QmpConnectionError(
            `${this.label}: QEMU exited (${sig ? `signal ${sig}` : `code ${code}`})${this.stderr.trim() ? `: ${lastLine(this.stderr)}` : ''}`,
          ),
        ),
      );
      return {
        write: (t) => {
          child.stdin.write(t);
        },
        destroy: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        },
        child,
      };
    }
    const socket: Socket = a.kind === 'unix' ? netConnect({ path: a.path }) : netConnect({ host: a.host, port: a.port });
    socket.on('data', (b: Buffer) => this.onData(b));
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(new QmpConnectionError(`${this.label}: ${describeSocketError(e)}`)));
    socket.on('close', () => this.fail(new QmpConnectionError(`${this.label}: QEMU closed the connection`)));
    return {
      write: (t) => {
        socket.write(t);
      },
      destroy: () => socket.destroy(),
    };
  }

  /** Lines are split on \n; a line longer than the cap ends the connection (it cannot be resynchronised safely). */
  private onData(b: Buffer): void {
    if (this.closed) return;
    let start = 0;
    for (let nl = b.indexOf(10, start); nl >= 0; nl = b.indexOf(10, start)) {
      this.chunks.push(b.subarray(start, nl));
      this.chunkBytes += nl - start;
      start = nl + 1;
      const line = Buffer.concat(this.chunks);
      this.chunks = [];
      this.chunkBytes = 0;
      if (line.length > this.opts.maxMessageBytes) return this.tooLarge(line.length);
      this.onLine(line.toString('utf8'));
      if (this.closed) return;
    }
    if (start < b.length) {
      this.chunks.push(b.subarray(start));
      this.chunkBytes += b.length - start;
      if (this.chunkBytes > this.opts.maxMessageBytes) this.tooLarge(this.chunkBytes);
    }
  }

  private tooLarge(bytes: number): void {
    this.fail(
      new QmpProtocolError(
        `${this.label}: QEMU sent a message of more than ${bytes > this.opts.maxMessageBytes ? mib(this.opts.maxMessageBytes) : mib(bytes)} (the limit); the connection was closed`,
      ),
    );
  }

  private onLine(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    let msg: unknown;
    try {
      msg = JSON.parse(trimmed);
    } catch {
      return this.fail(new QmpProtocolError(`${this.label}: QEMU sent something that is not QMP (not JSON): ${preview(trimmed)}; the connection was closed`));
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
      return this.fail(new QmpProtocolError(`${this.label}: QEMU sent something that is not a QMP message: ${preview(trimmed)}; the connection was closed`));
    }
    const m = msg as Record<string, unknown>;
    if (this.greetingWaiter) {
      if (!m.QMP || typeof m.QMP !== 'object') {
        return this.fail(
          new QmpProtocolError(`${this.label}: expected the QMP greeting, got ${preview(trimmed)} (is it a QMP monitor, not HMP?); the connection was closed`),
        );
      }
      const w = this.greetingWaiter;
      this.greetingWaiter = undefined;
      return w.resolve(m);
    }
    if (typeof m.event === 'string') {
      const e = m as unknown as QmpEvent;
      this.events.push(e);
      if (this.events.length > this.opts.maxBufferedEvents) this.events.splice(0, this.events.length - this.opts.maxBufferedEvents);
      for (const l of [...this.eventListeners]) {
        try {
          l(e);
        } catch {
          /* a listener's bug never breaks the connection */
        }
      }
      return;
    }
    if (!('return' in m) && !('error' in m)) {
      return this.fail(
        new QmpProtocolError(`${this.label}: QEMU sent a message that is neither a reply nor an event: ${preview(trimmed)}; the connection was closed`),
      );
    }
    // A reply carries our id back; QEMU's own parse errors have none and answer the oldest request.
    const id = typeof m.id === 'string' ? m.id : undefined;
    const key = id ?? (m.id === undefined ? this.pending.keys().next().value : undefined);
    const p = key !== undefined ? this.pending.get(key) : undefined;
    if (!p) return; // the answer to a request that timed out or was cancelled
    this.settle(key!);
    if ('error' in m) {
      const err = (m.error ?? {}) as { class?: unknown; desc?: unknown };
      p.reject(new QmpCommandError(p.command, String(err.class ?? 'GenericError'), String(err.desc ?? '')));
    } else p.resolve(m.return);
  }

  execute(command: string, args?: Record<string, unknown>, options: RequestOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new QmpConnectionError(`${this.label}: not connected (${this.closeReason?.message ?? 'closed'})`));
    if (options.signal?.aborted) return Promise.reject(new QmpAbortError(`${command} was cancelled`));
    const id = `qapi-qmp-${this.nextId++}`;
    const timeoutMs = options.timeoutMs ?? this.opts.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.settle(id);
        reject(new QmpAbortError(`${command} was cancelled`));
      };
      const timer = setTimeout(() => {
        this.settle(id);
        reject(new QmpTimeoutError(`${this.label}: no reply to ${command} within ${timeoutMs} ms (QEMU may be hung)`));
      }, timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { command, resolve, reject, timer, cleanup: () => options.signal?.removeEventListener('abort', onAbort) });
      const msg: Record<string, unknown> = { execute: command, id };
      if (args && Object.keys(args).length) msg.arguments = args;
      this.stream.write(JSON.stringify(msg) + '\n');
    });
  }

  private settle(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    p.cleanup();
    this.pending.delete(id);
  }

  onEvent(listener: (e: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onClose(listener: (reason: Error) => void): () => void {
    if (this.closed) {
      listener(this.closeReason!);
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Waits for the next event accepted by `match` (or rejects at the deadline or on close). */
  waitForEvent(match: (e: QmpEvent) => boolean, timeoutMs: number): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        offEvent();
        offClose();
      };
      const timer = setTimeout(() => {
        done();
        reject(new QmpTimeoutError(`${this.label}: no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const offEvent = this.onEvent((e) => {
        if (match(e)) {
          done();
          resolve(e);
        }
      });
      const offClose = this.onClose((r) => {
        done();
        reject(r);
      });
    });
  }

  /** Ends the connection: every pending request is rejected; a child QEMU is killed by its PID. */
  private fail(reason: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.greetingWaiter?.reject(reason);
    this.greetingWaiter = undefined;
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(
        reason instanceof QmpConnectionError || reason instanceof QmpProtocolError
          ? new (reason.constructor as typeof QmpConnectionError)(`${p.command}: ${reason.message}`)
          : reason,
      );
    }
    this.stream?.destroy();
    for (const l of [...this.closeListeners]) {
      try {
        l(reason);
      } catch {
        /* ignore */
      }
    }
    this.closeListeners.clear();
  }

  /** Closes our side (QEMU keeps running, except a stdio child, which dies with its pipes). */
  async close(): Promise<void> {
    const child = this.stream?.child;
    this.fail(new QmpConnectionError(`${this.label}: disconnected`));
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((r) => child.once('close', () => r()));
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'signal')) as Partial<T>;
}

function describeSocketError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such socket (is QEMU running with -qmp unix:PATH,server=on?)';
    case 'ECONNREFUSED':
      return 'connection refused (nothing is listening there)';
    case 'EACCES':
      return 'permission denied';
    case 'EPIPE':
    case 'ECONNRESET':
      return 'QEMU closed the connection';
    default:
      return e.message;
  }
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 0)} MiB`;

/** A short, printable excerpt of untrusted text. */
export function preview(text: string, max = 60): string {
  const s = text.length > max ? text.slice(0, max) + '…' : text;
  return JSON.stringify(s);
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1].slice(0, 200);
}
