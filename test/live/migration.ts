// A real migration for the live tests: the calibration guest (test/qemu/guest, built by
// test/qemu/migration/guest.ts) under TCG, with two QMP monitors (one drives the test,
// one is for the watcher: a QMP socket serves one client at a time), migrating to
// `exec:cat > /dev/null` as test/qemu/migration/record.ts does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QmpClient } from '../../server/src/live/qmpClient';
import { buildGuest, decodeStatus, GUEST_STATUS_ADDR, GUEST_STATUS_SIZE, guestSkipReason } from '../qemu/migration/guest';
import { MIGRATION_URI } from '../qemu/migration/record';
import { startQemu, waitUntil, type QemuBinary, type RunningQemu } from './qemus';

const MiB = 2 ** 20;

export interface GuestSpec {
  ramMiB: number;
  fillMiB: number;
  wsMiB: number;
  rateMiBps: number;
}

export interface LiveMigration {
  qemu: RunningQemu;
  driver: QmpClient;
  /** The second monitor, for the watcher. */
  watchSocket: string;
  stop(): Promise<void>;
}

export const migrationSkip = (bin: QemuBinary): string | false => bin.skip || guestSkipReason();

/** Boots the guest, waits until it writes, sets the parameters; the migration is not started yet. */
export async function bootGuest(bin: QemuBinary, g: GuestSpec, params: Record<string, unknown>): Promise<LiveMigration> {
  const elf = buildGuest();
  const append = `ws=${g.wsMiB} fill=${g.fillMiB} rate=${g.rateMiBps} pattern=sweep mode=paced`;
  const qemu = await startQemu(bin, ['-M', 'pc', '-accel', 'tcg', '-smp', '1', '-m', String(g.ramMiB), '-kernel', elf, '-append', append], {
    extraSockets: ['watch.sock'],
  });
  let driver: QmpClient | undefined;
  try {
    driver = await QmpClient.connect({ kind: 'unix', path: qemu.socket });
    const statusFile = join(qemu.dir, 'status.bin');
    await driver.execute('cont');
    await waitUntil(
      async () => {
        await driver!.execute('pmemsave', { val: GUEST_STATUS_ADDR, size: GUEST_STATUS_SIZE, filename: statusFile });
        const s = decodeStatus(readFileSync(statusFile));
        if (s?.state === 'no-hpet') throw new Error('the guest found no HPET');
        return s?.state === (g.wsMiB ? 'writing' : 'idle');
      },
      60_000,
      () => 'the guest to boot and fill its memory',
    );
    await driver.execute('migrate-set-parameters', params);
    const d = driver;
    return {
      qemu,
      driver: d,
      watchSocket: join(qemu.dir, 'watch.sock'),
      async stop() {
        await d.close();
        await qemu.stop();
      },
    };
  } catch (e) {
    await driver?.close();
    await qemu.stop();
    throw e;
  }
}

export async function startMigration(m: LiveMigration): Promise<void> {
  await m.driver.execute('migrate', { uri: MIGRATION_URI });
}

export const mib = (n: number) => Math.round(n * MiB);
