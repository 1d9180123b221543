// `qapi-qmp watch --connect ADDRESS [--link BYTES_PER_S] [--interval MS] [--apply] [--format text|json] [--record FILE]`:
// follows the migration in progress, one line (or JSON object) per sample with the
// simulator's prediction; says when it is stuck and what would unblock it; with
// --apply, applies the best change once. Exit 0 completed, 1 failed or cancelled,
// 2 bad usage or a connection that fails (also mid-watch).
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { mib, mibps } from '../live/predict';
import { parseRecordingText, RecordingWriter, replay } from '../live/recording';
import { DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, watchMigration, type Observation } from '../live/watch';
import { QmpConnectionError, QmpProtocolError } from '../live/errors';
import { connectOrExit, parseRate } from './liveConnect';
import { UsageError } from './usage';

interface WatchArgs {
  values: { connect?: string; link?: string; interval?: string; apply?: boolean; format?: string; record?: string; replay?: string };
  positionals: string[];
}

export async function runWatch(args: WatchArgs, out: NodeJS.WritableStream): Promise<number> {
  if (args.positionals.length) throw new UsageError(`watch takes no file arguments (got '${args.positionals[0]}')`);
  const link = args.values.link !== undefined ? parseRate(args.values.link, '--link') : null;
  const interval = args.values.interval !== undefined ? Number(args.values.interval) : DEFAULT_INTERVAL_MS;
  if (!Number.isInteger(interval) || interval < MIN_INTERVAL_MS || interval > 3_600_000) {
    throw new UsageError(`--interval must be a whole number of milliseconds from ${MIN_INTERVAL_MS} to 3600000, not '${args.values.interval}'`);
  }
  if (args.values.format === 'sarif') throw new UsageError('watch --format must be text or json');
  const json = args.values.format === 'json';
  const print = (o: Observation) => out.write(json ? JSON.stringify(toJson(o)) + '\n' : formatText(o));
  if (args.values.replay) {
    if (args.values.connect || args.values.apply || args.values.record)
      throw new UsageError('--replay reads a recording: it takes no --connect, --apply or --record');
    return replayFile(args.values.replay, link, print);
  }
  let file: WriteStream | undefined;
  const conn = await connectOrExit(args.values.connect, 'watch');
  const recorder = args.values.record ? new RecordingWriter(conn.label) : undefined;
  try {
    if (args.values.record) file = createWriteStream(args.values.record);
    const status = await watchMigration(conn, { linkBytesPerSecond: link, intervalMs: interval, apply: !!args.values.apply }, (o) => {
      recorder?.observe(o);
      if (recorder && file) for (const line of recorder.drain()) file.write(line);
      print(o);
    });
    return status === 'completed' ? 0 : 1;
  } catch (e) {
    if (e instanceof QmpConnectionError || e instanceof QmpProtocolError) throw new UsageError(`lost the connection: ${e.message}`);
    throw e;
  } finally {
    await conn.close();
    if (file) await new Promise<void>((r) => file!.end(() => r()));
  }
}

/** A saved session through the same predictor: the same samples, predictions and diagnosis. */
function replayFile(path: string, link: number | null, print: (o: Observation) => void): number {
  let rec;
  try {
    rec = parseRecordingText(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let status = 'none';
  for (const o of replay(rec, link)) {
    print(o);
    if (o.type === 'end') status = o.status;
  }
  return status === 'completed' ? 0 : 1;
}

const s1 = (x: number) => `${x.toFixed(1)} s`;

function formatText(o: Observation): string {
  switch (o.type) {
    case 'start':
      return (
        `connected: QEMU ${o.qemu}; downtime-limit ${o.parameters['downtime-limit']} ms, max-bandwidth ${mibps(Number(o.parameters['max-bandwidth'] ?? 0))}` +
        `${o.parameters['avail-switchover-bandwidth'] !== undefined ? `, avail-switchover-bandwidth ${mibps(Number(o.parameters['avail-switchover-bandwidth']))}` : ''}` +
        `; link ${o.link ? mibps(o.link) : 'unknown (pass --link BYTES_PER_S to detect a busy migration thread)'}\n`
      );
    case 'waiting':
      return `no migration in progress (status ${o.status}); waiting for one\n`;
    case 'sample': {
      const s = o.sample,
        r = s.ram;
      const p = o.prediction;
      const pred = !p
        ? 'prediction after the first dirty sync'
        : p.converges
          ? `predicted switchover at ${s1(p.switchoverAt!)} (downtime ${p.downtimeMs === null ? '?' : Math.round(p.downtimeMs)} ms)`
          : 'predicted: does not converge';
      return (
        `${s1((s.totalTimeMs ?? 0) / 1000).padStart(7)} ${s.status.padEnd(9)} remaining ${mib(r.remaining ?? 0).padStart(9)}  ${((r.mbps ?? 0).toFixed(0) + ' Mbit/s').padStart(12)}  syncs ${String(r.dirtySyncCount ?? 0).padStart(3)}` +
        `${s.throttlePercent ? `  throttle ${s.throttlePercent}%` : ''}  | ${pred}${o.newSync ? ' *' : ''}\n`
      );
    }
    case 'stuck':
      return (
        `STUCK: ${o.diagnosis.message}\n` +
        (o.recommendations.length
          ? o.recommendations
              .map(
                (r, i) =>
                  `  ${i + 1}. [${r.kind}] ${r.message}${r.apply ? `  -> migrate-set-parameters ${JSON.stringify(r.apply)}` : `  (${r.notApplicable})`}\n`,
              )
              .join('')
          : '  no change this QEMU has would make it converge (by the simulator)\n')
      );
    case 'applied':
      return `APPLIED: ${o.command} ${JSON.stringify(o.arguments)}${o.prediction ? (o.prediction.converges ? `; predicted switchover at ${s1(o.prediction.switchoverAt!)}` : '; still predicted not to converge') : ''}\n`;
    case 'apply-failed':
      return `APPLY FAILED: ${o.error}\n`;
    case 'event':
      return `event ${o.event}${o.data ? ` ${JSON.stringify(o.data)}` : ''}\n`;
    case 'end': {
      const s = o.sample;
      if (o.status !== 'completed') return `migration ${o.status}\n`;
      const err =
        o.realSwitchoverAt !== null && o.lastPrediction?.switchoverAt != null
          ? `; last prediction ${s1(o.lastPrediction.switchoverAt)} (${(((o.lastPrediction.switchoverAt - o.realSwitchoverAt) / o.realSwitchoverAt) * 100).toFixed(0)}%)`
          : '';
      return `migration completed: switchover at ${o.realSwitchoverAt === null ? '?' : s1(o.realSwitchoverAt)}, downtime ${s.downtimeMs} ms, total ${s1((s.totalTimeMs ?? 0) / 1000)}${err}\n`;
    }
  }
}

function toJson(o: Observation): unknown {
  switch (o.type) {
    case 'sample': {
      const p = o.prediction;
      return {
        type: 'sample',
        t: (o.sample.totalTimeMs ?? 0) / 1000,
        status: o.sample.status,
        remaining: o.sample.ram.remaining,
        transferred: o.sample.ram.transferred,
        mbps: o.sample.ram.mbps,
        dirtySyncCount: o.sample.ram.dirtySyncCount,
        expectedDowntimeMs: o.sample.expectedDowntimeMs,
        throttlePercent: o.sample.throttlePercent,
        newSync: o.newSync,
        prediction: p && {
          converges: p.converges,
          switchoverAt: p.switchoverAt,
          downtimeMs: p.downtimeMs,
          workingSetBytes: p.scenario.guest.workingSetBytes,
          dirtyBytesPerSecond: p.scenario.guest.dirtyBytesPerSecond,
          sendingEfficiency: p.scenario.link.sendingEfficiency,
        },
      };
    }
    case 'applied':
      return {
        type: 'applied',
        kind: o.recommendation.kind,
        command: o.command,
        arguments: o.arguments,
        prediction: o.prediction && { converges: o.prediction.converges, switchoverAt: o.prediction.switchoverAt },
      };
    case 'end':
      return {
        type: 'end',
        status: o.status,
        totalTimeMs: o.sample.totalTimeMs,
        downtimeMs: o.sample.downtimeMs,
        realSwitchoverAt: o.realSwitchoverAt,
        predictions: o.predictionsBeforeEnd.map((p) => ({ at: p.at, converges: p.converges, switchoverAt: p.switchoverAt })),
      };
    case 'stuck':
      return { type: 'stuck', ...o.diagnosis, recommendations: o.recommendations };
    default:
      return o;
  }
}
