// The live prediction against the real switchover, for BENCHMARKS.md (Live prediction):
// runs the live tests' migration N times on each QEMU with `watch --apply` and prints
// a Markdown table. A script, not a test: node --import tsx test/live/predictionError.ts [N]
import { cpus, loadavg } from 'node:os';
import { QmpClient } from '../../server/src/live/qmpClient';
import type { Prediction } from '../../server/src/live/predict';
import { watchMigration, type Observation } from '../../server/src/live/watch';
import { GUEST, LINK_BYTES_PER_S, PARAMS } from './cases';
import { bootGuest, migrationSkip, startMigration } from './migration';
import { qemu102, qemu72 } from './qemus';

const pct = (p: number | null | undefined, real: number) =>
  p == null ? '–' : `${p.toFixed(2)} (${p >= real ? '+' : ''}${(((p - real) / real) * 100).toFixed(0)}%)`;

(async () => {
  const n = Number(process.argv[2] ?? 3);
  const rows: string[] = [];
  for (const bin of [qemu72(), qemu102()]) {
    if (migrationSkip(bin)) {
      console.log(`skip ${bin.name}: ${migrationSkip(bin)}`);
      continue;
    }
    for (let i = 1; i <= n; i++) {
      const m = await bootGuest(bin, GUEST, PARAMS);
      let watcher: QmpClient | undefined;
      try {
        watcher = await QmpClient.connect({ kind: 'unix', path: m.watchSocket });
        const obs: Observation[] = [];
        await startMigration(m);
        const cap = setTimeout(() => {
          m.driver.execute('migrate_cancel').catch(() => undefined);
        }, 120_000);
        const status = await watchMigration(watcher, { linkBytesPerSecond: LINK_BYTES_PER_S, intervalMs: 200, apply: true }, (o) => obs.push(o));
        clearTimeout(cap);
        const applied = obs.find((o) => o.type === 'applied') as Extract<Observation, { type: 'applied' }> | undefined;
        const end = obs.find((o) => o.type === 'end') as Extract<Observation, { type: 'end' }>;
        const real = end.realSwitchoverAt;
        if (status !== 'completed' || real === null) {
          rows.push(`| ${bin.name} | ${i} | ${status} | | | | |`);
          continue;
        }
        const converging = end.predictionsBeforeEnd.filter((p: Prediction) => p.converges && p.at < real);
        const last = converging[converging.length - 1];
        const at = applied?.prediction?.at;
        const fromChange =
          at === undefined || applied?.prediction?.switchoverAt == null
            ? '–'
            : `${(applied.prediction.switchoverAt - at).toFixed(2)} / ${(real - at).toFixed(2)}`;
        rows.push(
          `| ${bin.name} | ${i} | ${applied?.recommendation.kind ?? '–'} at ${at?.toFixed(2) ?? '–'} s | ${real.toFixed(2)} | ${pct(applied?.prediction?.switchoverAt, real)} | ${fromChange} | ${pct(last?.switchoverAt, real)} | ${end.sample.downtimeMs} / ${applied?.prediction?.downtimeMs?.toFixed(0) ?? '–'} |`,
        );
        console.log(rows[rows.length - 1]);
      } finally {
        await watcher?.close();
        await m.stop();
      }
    }
  }
  console.log(
    `\nhost: ${cpus().length} CPUs (${cpus()[0]?.model}), load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}, ${new Date().toISOString()}`,
  );
  console.log(
    '| QEMU | run | change applied (QEMU time) | real switchover s | predicted at the change s (error) | seconds from the change to the switchover, predicted / real | last prediction before the switchover s (error) | downtime ms real / predicted |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
})();
