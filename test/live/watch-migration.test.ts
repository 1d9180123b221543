// `qapi-qmp watch` on real migrations of the calibration guest (TCG, exec:cat > /dev/null):
//  - QEMU 7.2: a migration that does not converge (a 32 MiB working set rewritten at
//    ~60 MiB/s against max-bandwidth 32 MiB/s: 9.6 MiB threshold), seen stuck live,
//    unblocked by --apply (downtime-limit: 7.2 has no avail-switchover-bandwidth and
//    QEMU refuses capabilities mid-migration), completing;
//  - QEMU 10.2: the seed's case. QEMU measures 32 MiB/s while the link (the local pipe)
//    gives about 1 GB/s; the threshold stays below what is dirty at each sync, so it
//    never converges; --apply sets avail-switchover-bandwidth and it completes. Without
//    --apply it stays stuck until cancelled (exit 1).
// Each run is bounded by deadlines (the CLI's and the migration's), not by sleeps.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { parseRecordingText, replay } from '../../server/src/live/recording';
import { startCli } from './cli';
import { GUEST, LINK_BYTES_PER_S, PARAMS } from './cases';
import { bootGuest, migrationSkip, startMigration } from './migration';
import { qemu102, qemu72, type QemuBinary } from './qemus';

const LINK = String(LINK_BYTES_PER_S);
const WATCH_DEADLINE_MS = 120_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are parsed CLI output
type Row = Record<string, any>;

async function watched(t: TestContext, bin: QemuBinary, apply: boolean, onRow?: (r: Row, cancel: () => void) => void) {
  const m = await bootGuest(bin, GUEST, PARAMS);
  try {
    const record = join(m.qemu.dir, 'live.jsonl');
    await startMigration(m);
    const cli = startCli(
      [
        'watch',
        '--connect',
        `unix:${m.watchSocket}`,
        '--link',
        LINK,
        '--interval',
        '200',
        '--format',
        'json',
        '--record',
        record,
        ...(apply ? ['--apply'] : []),
      ],
      WATCH_DEADLINE_MS,
    );
    const rows: Row[] = [];
    const cancel = () => {
      m.driver.execute('migrate_cancel').catch(() => undefined);
    };
    cli.onLine((l) => {
      const r = JSON.parse(l);
      rows.push(r);
      onRow?.(r, cancel);
    });
    let code: number;
    try {
      code = await cli.done;
    } catch (e) {
      cancel();
      throw e;
    }
    const end = rows.find((r) => r.type === 'end');
    if (end?.realSwitchoverAt != null) {
      const errors = end.predictions
        .filter((p: Row) => p.converges)
        .map((p: Row) => `${p.at.toFixed(1)}s->${(((p.switchoverAt - end.realSwitchoverAt) / end.realSwitchoverAt) * 100).toFixed(0)}%`);
      t.diagnostic(`QEMU ${bin.name}: real switchover ${end.realSwitchoverAt.toFixed(2)} s; predictions (made at -> error): ${errors.join(' ')}`);
    }
    return { code, rows, stderr: cli.stderr, recording: readFileSync(record, 'utf8') };
  } finally {
    await m.stop();
  }
}

function before(rows: Row[], type: string): Row[] {
  const i = rows.findIndex((r) => r.type === type);
  return i < 0 ? rows : rows.slice(0, i);
}

const skip72 = migrationSkip(qemu72());
test(
  'QEMU 7.2: a migration that does not converge is seen stuck, watch --apply raises downtime-limit, it completes',
  { skip: skip72, timeout: 180_000 },
  async (t) => {
    const { code, rows, stderr, recording } = await watched(t, qemu72(), true);
    assert.equal(code, 0, stderr);
    const stuck = rows.find((r) => r.type === 'stuck');
    assert.ok(stuck, 'the watcher said it was stuck');
    assert.ok(stuck.pendingAtSyncBytes > stuck.thresholdBytes, 'what stays dirty at each sync is above the threshold');
    const asb = stuck.recommendations.find((r: Row) => r.kind === 'avail-switchover-bandwidth');
    assert.ok(!asb || (asb.apply === null && /8\.2/.test(asb.notApplicable)), '7.2 has no avail-switchover-bandwidth');
    // Before the change: active, at least 3 dirty syncs after the first pass, no switchover.
    const pre = before(rows, 'applied').filter((r) => r.type === 'sample');
    assert.ok(pre.every((r) => r.status === 'active'));
    assert.ok(Math.max(...pre.map((r) => r.dirtySyncCount)) >= 4);
    const applied = rows.find((r) => r.type === 'applied')!;
    assert.equal(applied.kind, 'downtime-limit');
    assert.ok(applied.arguments['downtime-limit'] > 300);
    assert.equal(rows.filter((r) => r.type === 'applied').length, 1, 'applied once');
    const end = rows.find((r) => r.type === 'end')!;
    assert.equal(end.status, 'completed');
    assert.ok(end.realSwitchoverAt > 0);
    // The recording replays to the same diagnosis.
    const replayed = [...replay(parseRecordingText(recording))];
    assert.ok(
      replayed.some((o) => o.type === 'stuck'),
      'the replayed recording is diagnosed stuck too',
    );
  },
);

const skip102 = migrationSkip(qemu102());
test(
  "QEMU 10.2, the seed's case: measured bandwidth far below the link, never converges; watch --apply sets avail-switchover-bandwidth and it completes",
  { skip: skip102, timeout: 180_000 },
  async (t) => {
    const { code, rows, stderr } = await watched(t, qemu102(), true);
    assert.equal(code, 0, stderr);
    const stuck = rows.find((r) => r.type === 'stuck');
    assert.ok(stuck?.seedCase, `the seed's case was named: ${JSON.stringify(stuck)}`);
    assert.ok(stuck.measuredBytesPerSecond < 0.25 * 1e9);
    const applied = rows.find((r) => r.type === 'applied')!;
    assert.equal(applied.kind, 'avail-switchover-bandwidth');
    assert.ok(applied.arguments['avail-switchover-bandwidth'] <= 1e9, 'never above the link');
    const pre = before(rows, 'applied').filter((r) => r.type === 'sample');
    assert.ok(pre.every((r) => r.status === 'active') && Math.max(...pre.map((r) => r.dirtySyncCount)) >= 4);
    assert.equal(rows.find((r) => r.type === 'end')?.status, 'completed');
  },
);

test("QEMU 10.2, the seed's case without --apply: stuck, nothing sent, cancelled -> exit 1", { skip: skip102, timeout: 180_000 }, async (t) => {
  let cancelledAtSync = 0;
  const { code, rows } = await watched(t, qemu102(), false, (r, cancel) => {
    // Let it run a few syncs past the diagnosis (still not converging), then cancel.
    if (r.type === 'stuck') cancelledAtSync = -1;
    if (cancelledAtSync === -1 && r.type === 'sample' && r.newSync) cancelledAtSync = r.dirtySyncCount;
    if (cancelledAtSync > 0 && r.type === 'sample' && r.dirtySyncCount >= cancelledAtSync + 3 && r.status === 'active') {
      cancelledAtSync = Infinity;
      cancel();
    }
  });
  assert.equal(code, 1);
  assert.ok(rows.some((r) => r.type === 'stuck' && r.seedCase));
  assert.equal(
    rows.some((r) => r.type === 'applied'),
    false,
    'nothing applied without --apply',
  );
  assert.ok(
    rows.filter((r) => r.type === 'sample').every((r) => r.status !== 'completed'),
    'it never converged by itself',
  );
  assert.equal(rows.find((r) => r.type === 'end')?.status, 'cancelled');
});
