// The test side of the bridge (see probe/protocol.ts): a loopback HTTP server that
// queues operations for the probe extension and resolves them with its answers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Operations, OpName, Request, Response } from './probe/protocol';

const HOLD_MS = 25_000;

export class Bridge {
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly queue: Request[] = [];
  private readonly waiting: ServerResponse[] = [];
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private closed = false;
  private connectedResolve!: () => void;
  /** Resolves on the probe's first poll: the extension host is up and the probe active. */
  readonly connected = new Promise<void>((r) => {
    this.connectedResolve = r;
  });

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  call<K extends OpName>(op: K, args: Operations[K]['args'], timeoutMs = 60_000): Promise<Operations[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`probe did not answer ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.queue.push({ id, op, args });
      this.flush();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const res of this.waiting.splice(0)) res.writeHead(410).end();
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('bridge closed'));
    }
    this.pending.clear();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private flush(): void {
    while (this.queue.length && this.waiting.length) {
      const res = this.waiting.shift()!;
      if (res.writableEnded) continue;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.queue.shift()));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.closed) return void res.writeHead(410).end();
    if (req.method === 'GET' && req.url === '/next') {
      this.connectedResolve();
      this.waiting.push(res);
      // An empty answer now and then keeps the long poll under every timeout on the way.
      const hold = setTimeout(() => {
        if (!res.writableEnded) res.writeHead(204).end();
      }, HOLD_MS);
      res.on('close', () => {
        clearTimeout(hold);
        const i = this.waiting.indexOf(res);
        if (i >= 0) this.waiting.splice(i, 1);
      });
      this.flush();
      return;
    }
    if (req.method === 'POST' && req.url === '/result') {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.writeHead(204).end();
      const r = JSON.parse(body) as Response;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      clearTimeout(p.timer);
      if (r.ok) p.resolve(r.value);
      else p.reject(new Error(`probe: ${r.error}`));
      return;
    }
    res.writeHead(404).end();
  }
}
