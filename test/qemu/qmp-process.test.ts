// The QMP client the QEMU tests rely on: greeting, replies apart from events, deadlines
// that kill a silent QEMU, and `quit` that leaves no process behind.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QmpProcess, qemuSkipReason } from './qmpProcess';

describe('QmpProcess against a real QEMU', { skip: qemuSkipReason() }, () => {
  test('reads the greeting, negotiates, and tells replies from events', async () => {
    const qmp = await QmpProcess.startNegotiated();
    try {
      const greeting = qmp.greeting as { version: { qemu: { major: number } }; capabilities: string[] };
      assert.equal(typeof greeting.version.qemu.major, 'number');
      assert.ok(greeting.capabilities.includes('oob'));
      const status = (await qmp.execute('query-status')) as { status: string; running: boolean };
      assert.deepEqual([status.status, status.running], ['prelaunch', false]);
      const bad = await qmp.send('{"execute": "no-such-command"}');
      assert.equal(bad.kind, 'error');
      assert.equal(bad.kind === 'error' && bad.class, 'CommandNotFound');
      await assert.rejects(qmp.execute('no-such-command'), /CommandNotFound/);
    } finally {
      await qmp.quit();
    }
    // quit's SHUTDOWN event arrives before its reply and is kept as an event.
    assert.ok(qmp.events.some((e) => (e as { event?: string }).event === 'SHUTDOWN'));
    await assert.rejects(qmp.send('{"execute": "query-status"}'), /QEMU has exited/);
  });

  test('a message QEMU keeps waiting on hits the deadline and the process is killed', async () => {
    const qmp = await QmpProcess.startNegotiated();
    qmp.setReplyTimeout(500);
    // An unterminated object: QEMU's parser waits for the rest and never answers.
    await assert.rejects(qmp.send('{"execute": "query-status"'), /no answer from QEMU within 500 ms/);
    await qmp.quit();
    await assert.rejects(qmp.send('{"execute": "query-status"}'), /QEMU has exited/);
  });

  test('a binary that is not there fails with a clear error instead of hanging', async () => {
    await assert.rejects(QmpProcess.start({ binary: 'qemu-system-does-not-exist', replyTimeoutMs: 5000 }), /QEMU exited/);
  });
});

test('without the binary on PATH the skip reason names the Debian package', () => {
  const reason = qemuSkipReason('qemu-system-does-not-exist');
  assert.ok(reason && reason.includes('qemu-system-x86'), String(reason));
});
