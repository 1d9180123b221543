// Records the live tests' migrations as `qapi-qmp watch --apply --record` does, into
// bench/recordings-live/ (small, our own data): the 7.2 non-converging run unblocked by
// downtime-limit, and 10.2's seed case unblocked by avail-switchover-bandwidth.
// A script, not a test: node --import tsx test/live/record.ts [7.2|10.2]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QmpClient } from '../../server/src/live/qmpClient';
import { RecordingWriter } from '../../server/src/live/recording';
import { watchMigration } from '../../server/src/live/watch';
import { REPO } from '../helpers/shared';
import { bootGuest, mib, startMigration } from './migration';
import { qemu102, qemu72 } from './qemus';
import { GUEST, LINK_BYTES_PER_S, PARAMS } from './cases';

async function record(name: string, bin: ReturnType<typeof qemu72>): Promise<void> {
  if (bin.skip) {
    console.log(`skip ${name}: ${bin.skip}`);
    return;
  }
  const m = await bootGuest(bin, GUEST, PARAMS);
  let watcher: QmpClient | undefined;
  try {
    watcher = await QmpClient.connect({ kind: 'unix', path: m.watchSocket });
    const writer = new RecordingWriter(`QEMU ${bin.name} (${GUEST.wsMiB} MiB working set at ~${GUEST.rateMiBps} MiB/s, max-bandwidth ${mib(32)} B/s)`, name);
    await startMigration(m);
    const cap = setTimeout(() => {
      m.driver.execute('migrate_cancel').catch(() => undefined);
    }, 120_000);
    const status = await watchMigration(watcher, { linkBytesPerSecond: LINK_BYTES_PER_S, intervalMs: 200, apply: true }, (o) => writer.observe(o));
    clearTimeout(cap);
    const file = join(REPO, 'bench', 'recordings-live', `${name}.jsonl`);
    writeFileSync(file, writer.drain().join(''));
    console.log(`${name}: ${status} -> ${file}`);
  } finally {
    await watcher?.close();
    await m.stop();
  }
}

(async () => {
  const which = process.argv[2];
  if (!which || which === '7.2') await record('stuck-7.2', qemu72());
  if (!which || which === '10.2') await record('seed-10.2', qemu102());
})();
