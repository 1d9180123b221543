// `libvirt:DOMAIN[?URI]`: libvirt holds the monitor socket of the QEMUs it manages, so
// commands go through `virsh qemu-monitor-command DOMAIN JSON`, one process per
// command. No events (libvirt consumes them); the version comes from query-version.
import { execFile } from 'node:child_process';
import type { Address } from './address';
import { QmpAbortError, QmpCommandError, QmpConnectionError, QmpProtocolError, QmpTimeoutError } from './errors';
import { DEFAULTS, preview, type ConnectOptions, type QemuVersion, type QmpConnection, type QmpEvent, type RequestOptions } from './qmpClient';

export class LibvirtConnection implements QmpConnection {
  readonly label: string;
  version: QemuVersion = { major: 0, minor: 0, micro: 0, package: '' };
  closed = false;
  private readonly closeListeners = new Set<(r: Error) => void>();

  private constructor(
    private readonly address: Extract<Address, { kind: 'libvirt' }>,
    private readonly opts: Required<Omit<ConnectOptions, 'signal'>>,
  ) {
    this.label = `libvirt:${address.domain}${address.uri ? `?${address.uri}` : ''}`;
  }

  static async connect(address: Extract<Address, { kind: 'libvirt' }>, options: ConnectOptions = {}): Promise<LibvirtConnection> {
    const c = new LibvirtConnection(address, {
      ...DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'signal')),
    } as Required<Omit<ConnectOptions, 'signal'>>);
    const v = (await c.execute('query-version', undefined, { timeoutMs: c.opts.connectTimeoutMs, signal: options.signal })) as {
      qemu?: Partial<QemuVersion>;
      package?: string;
    };
    c.version = {
      major: Number(v?.qemu?.major ?? 0),
      minor: Number(v?.qemu?.minor ?? 0),
      micro: Number(v?.qemu?.micro ?? 0),
      package: String(v?.package ?? ''),
    };
    return c;
  }

  execute(command: string, args?: Record<string, unknown>, options: RequestOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new QmpConnectionError(`${this.label}: not connected`));
    const msg: Record<string, unknown> = { execute: command };
    if (args && Object.keys(args).length) msg.arguments = args;
    const argv = [...(this.address.uri ? ['-c', this.address.uri] : []), 'qemu-monitor-command', this.address.domain, JSON.stringify(msg)];
    const timeoutMs = options.timeoutMs ?? this.opts.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const child = execFile(
        'virsh',
        argv,
        { timeout: timeoutMs, maxBuffer: this.opts.maxMessageBytes, signal: options.signal, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (err) {
            const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
            if (e.name === 'AbortError') return reject(new QmpAbortError(`${command} was cancelled`));
            if (e.code === 'ENOENT') return reject(new QmpConnectionError(`${this.label}: virsh is not installed (apt-get install libvirt-clients)`));
            if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
              return reject(new QmpProtocolError(`${this.label}: the reply to ${command} is larger than the limit`));
            if (e.killed) return reject(new QmpTimeoutError(`${this.label}: no reply to ${command} within ${timeoutMs} ms`));
            return reject(
              new QmpConnectionError(
                `${this.label}: virsh failed: ${
                  String(stderr || e.message)
                    .trim()
                    .split('\n')[0]
                }`,
              ),
            );
          }
          let reply: Record<string, unknown>;
          try {
            reply = JSON.parse(stdout);
          } catch {
            return reject(new QmpProtocolError(`${this.label}: virsh printed something that is not QMP: ${preview(stdout.trim())}`));
          }
          if (reply && typeof reply === 'object' && 'error' in reply) {
            const er = (reply.error ?? {}) as { class?: unknown; desc?: unknown };
            return reject(new QmpCommandError(command, String(er.class ?? 'GenericError'), String(er.desc ?? '')));
          }
          if (!reply || typeof reply !== 'object' || !('return' in reply))
            return reject(new QmpProtocolError(`${this.label}: not a QMP reply: ${preview(stdout.trim())}`));
          resolve(reply.return);
        },
      );
      child.stdin?.end();
    });
  }

  onEvent(_listener: (e: QmpEvent) => void): () => void {
    return () => undefined;
  }

  onClose(listener: (r: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const r = new QmpConnectionError(`${this.label}: disconnected`);
    for (const l of this.closeListeners) l(r);
  }
}
