// The language server's live requests (protocol/lsp.ts: qapi/live*) over stdio, against a
// real QEMU 10.2 (or 7.2): nothing connects until asked; while connected a script is
// checked against that QEMU's own schema; plan, run (queries only unless confirmed),
// status, save schema, disconnect, and a QEMU that dies.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { readWorkload, workloadLine } from '../../server/src/live/measure';
import {
  LiveConnectRequest,
  LiveDisconnectRequest,
  LiveMeasureRequest,
  LivePlanRequest,
  LiveRunRequest,
  LiveSchemaRequest,
  LiveStatusRequest,
  type LiveConnectResponse,
  type LiveMeasureResponse,
  type LivePlanResponse,
  type LiveRunResponse,
  type LiveSchemaResponse,
  type LiveStatusResponse,
} from '../../server/src/protocol/lsp';
import { LspClient } from '../helpers/lspClient';
import { qemu102, qemu72, startQemu } from './qemus';

const bin = [qemu102(), qemu72()].find((b) => !b.skip);

test(
  'LSP live session: connect on request, exact schema, plan, run, status, schema, disconnect, QEMU gone',
  { skip: bin ? false : 'no QEMU (7.2 or 10.2) found', timeout: 120_000 },
  async () => {
    const q = await startQemu(bin!);
    const client = new LspClient();
    try {
      await client.initialize();
      const path = join(q.dir, 's.qmp');
      const uri = `file://${path}`;
      // avail-switchover-bandwidth exists in 10.2's schema and not in 7.2's.
      const text = `# qemu: 7.2\nquery-status\nmigrate-set-parameters avail-switchover-bandwidth=1000000000\nmigrate_set_parameter downtime-limit 400\n`;
      writeFileSync(path, text);
      await client.open(uri, 'qmp', text);
      const offline = await client.waitForDiagnostics(uri);
      assert.ok(
        offline.some((d) => d.range.start.line === 2 && d.severity === 1),
        'offline (7.2 facts): avail-switchover-bandwidth is unknown',
      );
      assert.deepEqual(await client.request<LiveStatusResponse>(LiveStatusRequest.method, null), { connected: false });

      const bad = await client.request<LiveConnectResponse>(LiveConnectRequest.method, { address: 'unix:/nonexistent/x.sock' });
      assert.ok('error' in bad && /no such socket/.test(bad.error));
      const ok = await client.request<LiveConnectResponse>(LiveConnectRequest.method, { address: `unix:${q.socket}` });
      assert.ok('version' in ok && ok.version.startsWith(bin!.name), JSON.stringify(ok));
      const errorsOn2 = (d: { range: { start: { line: number } }; severity?: number }[]) => d.some((x) => x.range.start.line === 2 && x.severity === 1);
      // Re-checked against the connected QEMU's schema.
      await client.waitForDiagnostics(uri, (d) => errorsOn2(d) === (bin!.name === '7.2'));

      const status = await client.request<LiveStatusResponse>(LiveStatusRequest.method, null);
      assert.ok(status.connected && status.vmStatus === 'prelaunch' && status.migrationStatus === 'none', JSON.stringify(status));
      const plan = await client.request<LivePlanResponse>(LivePlanRequest.method, { textDocument: { uri } });
      assert.ok('commands' in plan);
      assert.deepEqual(
        plan.commands.map((c) => [c.line, c.isQuery]),
        [
          [2, true],
          [3, false],
          [4, false],
        ],
      );
      const run = await client.request<LiveRunResponse>(LiveRunRequest.method, { textDocument: { uri }, yes: false, force: false });
      assert.ok('outcomes' in run);
      assert.equal((run.outcomes[0].reply as { return: { status: string } }).return.status, 'prelaunch');
      assert.match(run.outcomes[2].skipped ?? '', /not a query/);
      assert.match(run.transcript, /^-> \{"execute":"query-status"\}$/m);
      const one = await client.request<LiveRunResponse>(LiveRunRequest.method, { textDocument: { uri }, lines: { start: 3, end: 3 }, yes: true, force: false });
      assert.ok('outcomes' in one && one.outcomes.length === 1 && one.outcomes[0].ok, JSON.stringify(one));
      const schema = await client.request<LiveSchemaResponse>(LiveSchemaRequest.method, null);
      assert.ok('text' in schema && JSON.parse(schema.text).return.length > 100);

      await client.request(LiveDisconnectRequest.method, null);
      assert.deepEqual(await client.request<LiveStatusResponse>(LiveStatusRequest.method, null), { connected: false });
      await client.waitForDiagnostics(uri, (d) => errorsOn2(d));
      const after = await client.request<LiveRunResponse>(LiveRunRequest.method, { textDocument: { uri }, yes: false, force: false });
      assert.ok('error' in after && /not connected/.test(after.error));

      // QEMU dies while connected: the session ends, the server stays up.
      assert.ok('version' in (await client.request<LiveConnectResponse>(LiveConnectRequest.method, { address: `unix:${q.socket}` })));
      process.kill(q.pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while ((await client.request<LiveStatusResponse>(LiveStatusRequest.method, null)).connected) {
        assert.ok(Date.now() < deadline, 'the session ends when QEMU dies');
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok('commands' in (await client.request<LivePlanResponse>(LivePlanRequest.method, { textDocument: { uri } })) === false);
    } finally {
      await client.stop();
      await q.stop();
    }
  },
);

test("the measured workload line reads back as the same values, keeping the user's link", () => {
  const line = workloadLine(
    { ramBytes: 256 * 2 ** 20, dirtyBytesPerSecond: 25 * 2 ** 20, vcpus: 2 },
    '# workload: ram=4G dirty-rate=1G/s link=10Gbit/s sending-efficiency=0.03',
  );
  const h = readWorkload(line);
  assert.deepEqual(h.problems, []);
  assert.deepEqual(h.guest, { ramBytes: 256 * 2 ** 20, dirtyBytesPerSecond: 25 * 2 ** 20, vcpus: 2 });
  assert.deepEqual(h.link, { bytesPerSecond: 1.25e9, sendingEfficiency: 0.03 });
});

test(
  'LSP live: Measure Workload on a running guest (calc-dirty-rate, memory, vCPUs)',
  { skip: bin ? false : 'no QEMU (7.2 or 10.2) found', timeout: 120_000 },
  async () => {
    const q = await startQemu(bin!, ['-M', 'pc', '-accel', 'tcg', '-m', '64', '-smp', '2']);
    const client = new LspClient();
    try {
      await client.initialize();
      const path = join(q.dir, 'm.qmp');
      const uri = `file://${path}`;
      writeFileSync(path, 'cont\n');
      await client.open(uri, 'qmp', 'cont\n');
      assert.ok('version' in (await client.request<LiveConnectResponse>(LiveConnectRequest.method, { address: `unix:${q.socket}` })));
      const started = await client.request<LiveRunResponse>(LiveRunRequest.method, { textDocument: { uri }, yes: true, force: false });
      assert.ok('outcomes' in started && started.outcomes[0].ok, JSON.stringify(started));
      const m = await client.request<LiveMeasureResponse>(LiveMeasureRequest.method, { calcTimeSeconds: 1, previous: '# workload: link=10Gbit/s' });
      assert.ok('line' in m, JSON.stringify(m));
      assert.equal(m.ramBytes, 64 * 2 ** 20);
      assert.equal(m.vcpus, 2);
      assert.ok(m.dirtyBytesPerSecond >= 0);
      assert.match(m.line, /^# workload: ram=64MiB dirty-rate=\d+MiB\/s vcpus=2 link=10Gbit\/s$/);
      const bad = await client.request<LiveMeasureResponse>(LiveMeasureRequest.method, { calcTimeSeconds: 0 });
      assert.ok('error' in bad);
    } finally {
      await client.stop();
      await q.stop();
    }
  },
);
