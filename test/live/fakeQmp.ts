// A hostile QMP peer on a real unix socket, for the faults a real QEMU will not
// produce on demand: garbage, a 10 MB reply, a flood of events, closing mid-command.
// `script` decides how each client message is answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GREETING = JSON.stringify({ QMP: { version: { qemu: { micro: 0, minor: 2, major: 10 }, package: 'fake' }, capabilities: [] } });

export interface FakeQmp {
  path: string;
  close(): Promise<void>;
}

/** `onCommand` gets each parsed client message (after qmp_capabilities is answered normally). */
export async function fakeQmp(options: {
  greeting?: string | null;
  onCommand: (msg: { execute: string; id?: string; arguments?: unknown }, socket: Socket) => void;
}): Promise<FakeQmp> {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-qmp-fake-'));
  const path = join(dir, 'qmp.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (options.greeting !== null) socket.write((options.greeting ?? GREETING) + '\r\n');
    let buf = '';
    socket.on('data', (b) => {
      buf += b.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const msg = JSON.parse(line);
        if (msg.execute === 'qmp_capabilities') socket.write(JSON.stringify({ return: {}, id: msg.id }) + '\r\n');
        else options.onCommand(msg, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    path,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
