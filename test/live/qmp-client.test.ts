// The QMP client against real QEMUs (Debian's 7.2 and the 10.2 build) over unix
// sockets and stdio, and against a hostile peer for the faults QEMU will not produce.
import assert from 'node:assert/strict';
import test from 'node:test';
import { parseAddress, AddressError } from '../../server/src/live/address';
import { QmpAbortError, QmpCommandError, QmpConnectionError, QmpProtocolError, QmpTimeoutError } from '../../server/src/live/errors';
import { QmpClient } from '../../server/src/live/qmpClient';
import { fakeQmp } from './fakeQmp';
import { qemuBinaries, startQemu, waitUntil } from './qemus';

test('addresses: unix, tcp, libvirt; a bad one says what is expected', () => {
  assert.deepEqual(parseAddress('unix:/run/vm.qmp'), { kind: 'unix', path: '/run/vm.qmp' });
  assert.deepEqual(parseAddress('tcp:127.0.0.1:4444'), { kind: 'tcp', host: '127.0.0.1', port: 4444 });
  assert.deepEqual(parseAddress('tcp:[::1]:4444'), { kind: 'tcp', host: '::1', port: 4444 });
  assert.deepEqual(parseAddress('libvirt:vm1?qemu:///system'), { kind: 'libvirt', domain: 'vm1', uri: 'qemu:///system' });
  assert.throws(() => parseAddress('tcp:host:99999'), AddressError);
  assert.throws(() => parseAddress('/run/vm.qmp'), /unix:PATH, tcp:HOST:PORT/);
  assert.throws(() => parseAddress('unix:'), /socket path/);
});

for (const bin of qemuBinaries()) {
  test(`QEMU ${bin.name} over a unix socket: greeting, ids, errors, events, hang, cancel, kill`, { skip: bin.skip, timeout: 60_000 }, async () => {
    const q = await startQemu(bin);
    let client: QmpClient | undefined;
    try {
      client = await QmpClient.connect({ kind: 'unix', path: q.socket });
      assert.equal(`${client.version.major}.${client.version.minor}`, bin.name);
      // Concurrent requests are told apart by id.
      const [version, status, kvm] = (await Promise.all([client.execute('query-version'), client.execute('query-status'), client.execute('query-kvm')])) as [
        { qemu: { major: number } },
        { status: string },
        { enabled: boolean },
      ];
      assert.equal(version.qemu.major, client.version.major);
      assert.equal(status.status, 'prelaunch');
      assert.equal(kvm.enabled, false);
      // A QMP error is a QmpCommandError with QEMU's class; the connection stays usable.
      await assert.rejects(client.execute('no-such-command'), (e: unknown) => e instanceof QmpCommandError && e.errorClass === 'CommandNotFound');
      await assert.rejects(client.execute('migrate-set-parameters', { 'downtime-limit': -1 }), QmpCommandError);
      // Events arrive asynchronously, between replies.
      const stopEvent = client.waitForEvent((e) => e.event === 'STOP', 10_000);
      await client.execute('cont');
      await client.execute('stop');
      assert.equal((await stopEvent).event, 'STOP');
      assert.ok(client.events.some((e) => e.event === 'RESUME'));

      // A QEMU that hangs (SIGSTOP): the reply never comes, the deadline says so; cancel works too.
      process.kill(q.pid, 'SIGSTOP');
      await assert.rejects(client.execute('query-status', undefined, { timeoutMs: 300 }), QmpTimeoutError);
      const ac = new AbortController();
      const cancelled = client.execute('query-status', undefined, { signal: ac.signal });
      ac.abort();
      await assert.rejects(cancelled, QmpAbortError);
      // Killed mid-command: the pending request fails with the reason, nothing hangs.
      const pending = client.execute('query-migrate');
      process.kill(q.pid, 'SIGKILL');
      await assert.rejects(pending, (e: unknown) => e instanceof QmpConnectionError && /closed the connection/.test((e as Error).message));
      assert.equal(client.closed, true);
      await assert.rejects(client.execute('query-status'), /not connected/);
    } finally {
      await client?.close();
      await q.stop();
    }
  });

  test(`QEMU ${bin.name}: disconnect, then reconnect on request`, { skip: bin.skip, timeout: 60_000 }, async () => {
    const q = await startQemu(bin);
    let a: QmpClient | undefined, b: QmpClient | undefined;
    try {
      a = await QmpClient.connect({ kind: 'unix', path: q.socket });
      await a.execute('query-status');
      b = await a.reconnect();
      assert.equal(a.closed, true);
      assert.equal(((await b.execute('query-status')) as { status: string }).status, 'prelaunch');
    } finally {
      await a?.close();
      await b?.close();
      await q.stop();
    }
  });

  test(`QEMU ${bin.name} as a -qmp stdio child; its exit is reported`, { skip: bin.skip, timeout: 60_000 }, async () => {
    const client = await QmpClient.connect({
      kind: 'child',
      command: bin.path,
      args: [...bin.args, '-M', 'none', '-nodefaults', '-display', 'none', '-S', '-qmp', 'stdio'],
    });
    try {
      assert.equal(`${client.version.major}.${client.version.minor}`, bin.name);
      const closed = new Promise<Error>((r) => client.onClose(r));
      await client.execute('quit').catch(() => undefined); // the reply may race the exit
      assert.match((await closed).message, /QEMU exited|closed/);
    } finally {
      await client.close();
    }
  });
}

test('connecting where nothing listens fails at once with a clear message', async () => {
  await assert.rejects(
    QmpClient.connect({ kind: 'unix', path: '/nonexistent/qmp.sock' }),
    (e: unknown) => e instanceof QmpConnectionError && /no such socket/.test((e as Error).message),
  );
});

test('a peer that is not QMP (no greeting): refused; a silent peer: greeting deadline', async () => {
  const hmp = await fakeQmp({ greeting: "QEMU 7.2.0 monitor - type 'help' for more information", onCommand: () => undefined });
  const silent = await fakeQmp({ greeting: null, onCommand: () => undefined });
  try {
    await assert.rejects(
      QmpClient.connect({ kind: 'unix', path: hmp.path }),
      (e: unknown) => e instanceof QmpProtocolError && /not JSON/.test((e as Error).message),
    );
    await assert.rejects(
      QmpClient.connect({ kind: 'unix', path: silent.path }, { connectTimeoutMs: 200 }),
      (e: unknown) => e instanceof QmpTimeoutError && /greeting/.test((e as Error).message),
    );
  } finally {
    await hmp.close();
    await silent.close();
  }
});

test('garbage bytes mid-session close the connection with a message; pending requests fail', async () => {
  const fake = await fakeQmp({ onCommand: (_m, s) => s.write('\x00\xff{{garbage\r\n') });
  try {
    const c = await QmpClient.connect({ kind: 'unix', path: fake.path });
    await assert.rejects(c.execute('query-status'), (e: unknown) => e instanceof QmpProtocolError && /not QMP/.test((e as Error).message));
    assert.equal(c.closed, true);
  } finally {
    await fake.close();
  }
});

test('the socket closed mid-command', async () => {
  const fake = await fakeQmp({ onCommand: (_m, s) => s.end() });
  try {
    const c = await QmpClient.connect({ kind: 'unix', path: fake.path });
    await assert.rejects(c.execute('query-status'), (e: unknown) => e instanceof QmpConnectionError && /closed the connection/.test((e as Error).message));
  } finally {
    await fake.close();
  }
});

test('a 10 MB reply: accepted under the default cap, refused (connection closed) over a small cap', async () => {
  const big = 'x'.repeat(10 * 2 ** 20);
  // Sent in pieces, as a real socket delivers it.
  const fake = await fakeQmp({
    onCommand: (m, s) => {
      const text = JSON.stringify({ return: { blob: big }, id: m.id }) + '\r\n';
      for (let i = 0; i < text.length; i += 1 << 16) s.write(text.slice(i, i + (1 << 16)));
    },
  });
  try {
    const ok = await QmpClient.connect({ kind: 'unix', path: fake.path });
    assert.equal(((await ok.execute('x-big')) as { blob: string }).blob.length, big.length);
    await ok.close();
    const capped = await QmpClient.connect({ kind: 'unix', path: fake.path }, { maxMessageBytes: 2 ** 20 });
    await assert.rejects(capped.execute('x-big'), (e: unknown) => e instanceof QmpProtocolError && /more than 1 MiB/.test((e as Error).message));
  } finally {
    await fake.close();
  }
});

test('a flood of events: every one reaches listeners, the buffer stays bounded, replies still match', async () => {
  const N = 50_000;
  const fake = await fakeQmp({
    onCommand: (m, s) => {
      const ev = JSON.stringify({ event: 'MIGRATION_PASS', data: { pass: 1 }, timestamp: { seconds: 0, microseconds: 0 } }) + '\r\n';
      s.write(ev.repeat(N) + JSON.stringify({ return: { done: true }, id: m.id }) + '\r\n');
    },
  });
  try {
    const c = await QmpClient.connect({ kind: 'unix', path: fake.path }, { maxBufferedEvents: 100 });
    let seen = 0;
    c.onEvent(() => {
      seen++;
    });
    assert.deepEqual(await c.execute('flood'), { done: true });
    assert.equal(seen, N);
    assert.equal(c.events.length, 100);
    await c.close();
  } finally {
    await fake.close();
  }
});

test('a late reply after a timeout is dropped, and the next request gets its own reply', async () => {
  const held: { id: string; s: import('node:net').Socket }[] = [];
  const fake = await fakeQmp({
    onCommand: (m, s) => {
      if (m.execute === 'slow') held.push({ id: m.id!, s });
      else {
        for (const h of held.splice(0)) h.s.write(JSON.stringify({ return: 'late', id: h.id }) + '\r\n');
        s.write(JSON.stringify({ return: 'fresh', id: m.id }) + '\r\n');
      }
    },
  });
  try {
    const c = await QmpClient.connect({ kind: 'unix', path: fake.path });
    await assert.rejects(c.execute('slow', undefined, { timeoutMs: 100 }), QmpTimeoutError);
    await waitUntil(
      () => held.length === 1,
      2000,
      () => 'the slow request reached the peer',
    );
    assert.equal(await c.execute('fast'), 'fresh');
    await c.close();
  } finally {
    await fake.close();
  }
});
