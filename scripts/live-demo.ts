// `npm run demo`, live part: a real QEMU (10.2 from ../shared when present, else
// Debian's 7.2) boots the tiny guest, migrates it in the seed's situation (QEMU
// measures 32 MiB/s, the local pipe gives ~1 GB/s), and `qapi-qmp watch --apply`
// follows it, names the case, applies the fix and sees it complete. Everything it
// starts is stopped by PID at the end.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { GUEST, LINK_BYTES_PER_S, PARAMS } from '../test/live/cases';
import { bootGuest, migrationSkip, startMigration } from '../test/live/migration';
import { qemu102, qemu72 } from '../test/live/qemus';

(async () => {
  const bin = [qemu102(), qemu72()].find((b) => !migrationSkip(b));
  if (!bin) {
    console.log(`(live demo skipped: ${migrationSkip(qemu72())})`);
    return;
  }
  console.log(
    `== live: QEMU ${bin.name} (${bin.path}) migrates a ${GUEST.ramMiB} MiB guest that rewrites ${GUEST.wsMiB} MiB at ~${GUEST.rateMiBps} MiB/s; max-bandwidth 32 MiB/s, downtime-limit 300 ms`,
  );
  const m = await bootGuest(bin, GUEST, PARAMS);
  try {
    await startMigration(m);
    const args = ['watch', '--connect', `unix:${m.watchSocket}`, '--link', String(LINK_BYTES_PER_S), '--interval', '250', '--apply'];
    console.log(`== qapi-qmp ${args.join(' ')}`);
    const watch = spawn(process.execPath, [join(__dirname, '..', 'dist', 'cli.js'), ...args], { stdio: 'inherit' });
    // A bound for the demo: cancel a migration still running after 2 minutes.
    const cap = setTimeout(() => {
      m.driver.execute('migrate_cancel').catch(() => undefined);
    }, 120_000);
    const code = await new Promise<number>((r) => watch.on('close', (c) => r(c ?? 1)));
    clearTimeout(cap);
    process.exitCode = code;
  } finally {
    await m.stop();
  }
})();
