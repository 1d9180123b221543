// The real QEMUs the live tests talk to: Debian's 7.2 and the 10.2 build in ../shared.
// Each is started with its monitor on a unix socket in the test's own temporary folder
// and stopped BY ITS PID when the test ends (stop() in a finally/after hook).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedQemu } from '../helpers/shared';

export interface QemuBinary {
  name: '7.2' | '10.2';
  path: string;
  /** Extra arguments (firmware folder for the 10.2 build). */
  args: string[];
  skip: string | false;
}

export function qemuBinaries(): QemuBinary[] {
  const debian = '/usr/bin/qemu-system-x86_64';
  const shared = sharedQemu('bin/10.2/qemu-system-x86_64');
  return [
    { name: '7.2', path: debian, args: [], skip: existsSync(debian) ? false : `${debian} is absent: install Debian's qemu-system-x86 (QEMU 7.2)` },
    { name: '10.2', path: shared.path, args: ['-L', join(shared.path, '..', 'firmware')], skip: shared.skip },
  ];
}

export const qemu72 = () => qemuBinaries()[0];
export const qemu102 = () => qemuBinaries()[1];

export interface RunningQemu {
  pid: number;
  socket: string;
  dir: string;
  process: ChildProcess;
  stderr(): string;
  /** Kills the process by its PID (if still alive), waits for it, removes the folder. */
  stop(): Promise<void>;
}

/** Starts QEMU (default: no machine, stopped) with a QMP unix socket; resolves once the socket accepts. */
export async function startQemu(bin: QemuBinary, args: string[] = ['-M', 'none'], options: { extraSockets?: string[] } = {}): Promise<RunningQemu> {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-qmp-live-'));
  const socket = join(dir, 'qmp.sock');
  const monitors = [socket, ...(options.extraSockets ?? []).map((n) => join(dir, n))];
  const child = spawn(
    bin.path,
    [...bin.args, '-nodefaults', '-display', 'none', '-S', ...monitors.flatMap((s) => ['-qmp', `unix:${s},server=on,wait=off`]), ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    err = (err + s).slice(-8192);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const running: RunningQemu = {
    pid: child.pid!,
    socket,
    dir,
    process: child,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntil(
      () => accepts(socket),
      15_000,
      () => `QEMU ${bin.name} did not open its QMP socket: ${err}`,
    );
  } catch (e) {
    await running.stop();
    throw e;
  }
  return running;
}

function accepts(path: string): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Polls `ok` (every 20 ms) until it holds or the deadline passes. */
export async function waitUntil(ok: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await ok()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
