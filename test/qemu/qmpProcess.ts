// A QMP client for a QEMU we spawn ourselves, speaking over the process's stdin/stdout
// (`-qmp stdio`): no sockets, no network, no files. QEMU starts with no machine, no
// devices and stopped CPUs unless the caller's extra arguments say otherwise (later
// options win). Every wait has a deadline; on a deadline the process is killed so a hung
// QEMU never hangs the tests.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const QEMU_BINARY = 'qemu-system-x86_64';

/** Why the QEMU tests cannot run here, or false when the binary is on PATH. */
export function qemuSkipReason(binary = QEMU_BINARY): string | false {
  return findOnPath(binary)
    ? false
    : `${binary} is not on PATH; install Debian's qemu-system-x86 package (apt-get install -y qemu-system-x86) to run the tests against a real QEMU`;
}

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return join(dir, binary);
    } catch {
      /* not in this directory */
    }
  }
  return undefined;
}

/** QEMU's answer to one message: a return value or an error (class and description). */
export type QmpReply = { kind: 'return'; value: unknown } | { kind: 'error'; class: string; desc: string };

export interface QmpProcessOptions {
  binary?: string;
  /** Extra arguments after the fixed safe ones. */
  args?: string[];
  /** Deadline for any single reply (and for exiting after `quit`). */
  replyTimeoutMs?: number;
}

export class QmpProcess {
  /** QEMU's greeting (the `QMP` object: version and capabilities). */
  greeting: unknown;
  /** Asynchronous events QEMU sent, in order (they are not replies). */
  readonly events: unknown[] = [];
  /** Lines on stdout that are not QMP (QEMU prints some HMP errors with printf). */
  readonly stray: string[] = [];
  /** Everything QEMU wrote to stderr (warnings, migration failures). */
  stderr = '';

  private buffer = '';
  private readonly messages: unknown[] = [];
  private waiter: (() => void) | undefined;
  private exited = false;
  private killed = false;
  private readonly exit: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private timeoutMs: number,
  ) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onData(chunk));
    // Writing to a QEMU that just died fails with EPIPE; the next wait reports the exit.
    child.stdin.on('error', (e) => {
      this.stderr += String(e);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exit = new Promise((resolve) =>
      child.on('close', (code) => {
        this.exited = true;
        this.wake();
        resolve(code);
      }),
    );
    // A failed spawn (no binary) surfaces as a closed process on the next wait.
    child.on('error', (e) => {
      this.stderr += String(e);
      this.exited = true;
      this.wake();
    });
  }

  /** From now on, wait this long for each answer (start-up on a busy machine keeps the default). */
  setReplyTimeout(ms: number): void {
    this.timeoutMs = ms;
  }

  /** Starts QEMU in capabilities-negotiation mode and reads its greeting; negotiation is left to the caller. */
  static async start(options: QmpProcessOptions = {}): Promise<QmpProcess> {
    const child = spawn(options.binary ?? QEMU_BINARY, ['-M', 'none', '-nodefaults', '-display', 'none', '-S', '-qmp', 'stdio', ...(options.args ?? [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const qmp = new QmpProcess(child, options.replyTimeoutMs ?? 15000);
    const greeting = await qmp.nextMessage('the QMP greeting');
    if (!isObject(greeting) || !('QMP' in greeting)) {
      qmp.kill();
      throw new Error(`QEMU did not greet with a QMP object: ${JSON.stringify(greeting)}`);
    }
    qmp.greeting = greeting.QMP;
    return qmp;
  }

  /** Starts QEMU and negotiates plain (non-OOB) command mode. */
  static async startNegotiated(options: QmpProcessOptions = {}): Promise<QmpProcess> {
    const qmp = await QmpProcess.start(options);
    const r = await qmp.send('{"execute": "qmp_capabilities"}');
    if (r.kind !== 'return') {
      qmp.kill();
      throw new Error(`qmp_capabilities failed: ${r.desc}`);
    }
    return qmp;
  }

  /**
   * Sends one message exactly as written (it may be malformed on purpose) and waits for
   * its reply. The text must be one complete JSON value, or QEMU waits for more input.
   */
  async send(text: string): Promise<QmpReply> {
    if (this.exited || this.killed) throw new Error('QEMU has exited');
    this.child.stdin.write(text.replace(/\n/g, ' ') + '\n');
    for (;;) {
      const m = await this.nextMessage(`the reply to ${text}`);
      if (isObject(m) && 'event' in m) {
        this.events.push(m);
        continue;
      }
      // QEMU's own printf()s (HMP's "unterminated string") land on stdout, amid QMP.
      if (isObject(m) && 'unparsable' in m) {
        this.stray.push(String(m.unparsable));
        continue;
      }
      if (isObject(m) && 'return' in m) return { kind: 'return', value: m.return };
      if (isObject(m) && isObject(m.error)) {
        return { kind: 'error', class: String(m.error.class), desc: String(m.error.desc) };
      }
      throw new Error(`unexpected QMP message: ${JSON.stringify(m)}`);
    }
  }

  /** Runs a well-formed command and returns its value; an error reply throws. */
  async execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const r = await this.send(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }));
    if (r.kind === 'error') throw new Error(`${command}: ${r.class}: ${r.desc}`);
    return r.value;
  }

  /** Sends `quit` and waits for the process to end (killing it past the deadline). */
  async quit(): Promise<void> {
    if (this.exited || this.killed) {
      await this.exit;
      return;
    }
    try {
      await this.send('{"execute": "quit"}');
    } catch {
      /* the process may close before or instead of answering */
    }
    await this.waitExit();
  }

  /** Ends the process now (used on errors and deadlines). */
  kill(): void {
    if (this.exited || this.killed) return;
    this.killed = true;
    this.child.kill('SIGKILL');
  }

  private async waitExit(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.kill();
        resolve();
      }, this.timeoutMs);
    });
    await Promise.race([this.exit.then(() => undefined), deadline]);
    clearTimeout(timer);
    await this.exit;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      try {
        this.messages.push(JSON.parse(line));
      } catch {
        this.messages.push({ unparsable: line });
      }
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async nextMessage(what: string): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    try {
      while (this.messages.length === 0) {
        if (this.exited) throw new Error(`QEMU exited while waiting for ${what}${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
        await new Promise<void>((resolve, reject) => {
          this.waiter = resolve;
          timer = setTimeout(() => {
            this.kill();
            reject(new Error(`no answer from QEMU within ${this.timeoutMs} ms while waiting for ${what}`));
          }, this.timeoutMs);
        });
        clearTimeout(timer);
      }
      return this.messages.shift();
    } finally {
      clearTimeout(timer);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
