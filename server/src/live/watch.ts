// Follows the migration of a connected QEMU: polls query-migrate, re-predicts at each
// dirty sync, says when it is stuck and what would unblock it, and (only when asked)
// applies the best change once. Everything it sees goes to `emit` as an observation,
// which the CLI prints, the editor draws and a recording keeps.
import { LivePredictor, type Diagnosis, type LiveContext, type LiveRecommendation, type Prediction } from './predict';
import type { QmpConnection } from './qmpClient';
import { FINISHED, toSample, type MigrationSample } from './sample';

export type Observation =
  | { type: 'start'; qemu: string; parameters: Record<string, unknown>; capabilities: Record<string, boolean>; link: number | null; vcpus: number }
  | { type: 'waiting'; status: string }
  | { type: 'sample'; sample: MigrationSample; raw: unknown; prediction: Prediction | null; newSync: boolean }
  | { type: 'stuck'; diagnosis: Diagnosis; recommendations: LiveRecommendation[] }
  | { type: 'applied'; recommendation: LiveRecommendation; command: string; arguments: Record<string, unknown>; prediction: Prediction | null }
  | { type: 'apply-failed'; recommendation: LiveRecommendation; error: string }
  | { type: 'event'; event: string; data?: unknown; t: number }
  | {
      type: 'end';
      status: string;
      sample: MigrationSample;
      realSwitchoverAt: number | null;
      lastPrediction: Prediction | null;
      predictionsBeforeEnd: Prediction[];
    };

export interface WatchOptions {
  linkBytesPerSecond: number | null;
  /** Poll period (ms); at least 100. */
  intervalMs: number;
  apply: boolean;
  signal?: AbortSignal;
  /** Our clock (ms); injectable for replays. */
  now?: () => number;
}

export const MIN_INTERVAL_MS = 100;
export const DEFAULT_INTERVAL_MS = 500;

export async function liveContext(conn: QmpConnection, link: number | null): Promise<LiveContext> {
  const parameters = (await conn.execute('query-migrate-parameters')) as Record<string, unknown>;
  const caps = (await conn.execute('query-migrate-capabilities')) as { capability: string; state: boolean }[];
  let vcpus = 1;
  try {
    vcpus = ((await conn.execute('query-cpus-fast')) as unknown[]).length || 1;
  } catch {
    /* optional */
  }
  return {
    qemuVersion: `${conn.version.major}.${conn.version.minor}`,
    parameters: parameters && typeof parameters === 'object' ? parameters : {},
    capabilities: Object.fromEntries((Array.isArray(caps) ? caps : []).map((c) => [String(c.capability), !!c.state])),
    linkBytesPerSecond: link,
    vcpus,
  };
}

/** Resolves with the migration's final status ('completed', 'failed', 'cancelled'). */
export async function watchMigration(conn: QmpConnection, options: WatchOptions, emit: (o: Observation) => void): Promise<string> {
  const interval = Math.max(MIN_INTERVAL_MS, options.intervalMs);
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const t = () => (now() - t0) / 1000;
  const context = await liveContext(conn, options.linkBytesPerSecond);
  const predictor = new LivePredictor(context);
  emit({
    type: 'start',
    qemu: context.qemuVersion,
    parameters: context.parameters,
    capabilities: context.capabilities,
    link: context.linkBytesPerSecond,
    vcpus: context.vcpus,
  });
  const offEvent = conn.onEvent((e) => {
    if (e.event.startsWith('MIGRATION') || e.event === 'STOP' || e.event === 'RESUME') emit({ type: 'event', event: e.event, data: e.data, t: t() });
  });
  const available = {
    parameters: new Set(Object.keys(context.parameters)),
    capabilities: new Set(Object.keys(context.capabilities)),
  };
  const predictions: Prediction[] = [];
  let applied = false,
    reportedStuck = false,
    started = false,
    lastWaiting = '';
  try {
    for (;;) {
      const raw = await conn.execute('query-migrate', undefined, { signal: options.signal });
      const sample = toSample(t(), raw);
      if (!started && (sample.status === 'none' || (FINISHED.has(sample.status) && sample.ram.total === null))) {
        if (lastWaiting !== sample.status) emit({ type: 'waiting', status: sample.status });
        lastWaiting = sample.status;
      } else {
        started = true;
        const newSync = predictor.add(sample);
        if (newSync && predictor.prediction) predictions.push(predictor.prediction);
        emit({ type: 'sample', sample, raw, prediction: predictor.prediction, newSync });
        if (FINISHED.has(sample.status)) {
          const real =
            sample.status === 'completed' && sample.totalTimeMs !== null && sample.downtimeMs !== null ? (sample.totalTimeMs - sample.downtimeMs) / 1000 : null;
          emit({ type: 'end', status: sample.status, sample, realSwitchoverAt: real, lastPrediction: predictor.prediction, predictionsBeforeEnd: predictions });
          return sample.status;
        }
        if (newSync) {
          const d = predictor.diagnose(sample);
          if (d.stuck && !reportedStuck) {
            reportedStuck = true;
            const recs = predictor.recommendations(sample, d, available);
            emit({ type: 'stuck', diagnosis: d, recommendations: recs });
            if (options.apply && !applied) {
              const best = recs.find((r) => r.apply);
              if (best) {
                applied = true;
                try {
                  await conn.execute('migrate-set-parameters', best.apply!, { signal: options.signal });
                  context.parameters = (await conn.execute('query-migrate-parameters', undefined, { signal: options.signal })) as Record<string, unknown>;
                  // Predict from QEMU's state once the change is in (finding the change takes time).
                  const after = toSample(t(), await conn.execute('query-migrate', undefined, { signal: options.signal }));
                  predictor.add(after);
                  const p = predictor.repredict();
                  if (p) predictions.push(p);
                  emit({ type: 'applied', recommendation: best, command: 'migrate-set-parameters', arguments: best.apply!, prediction: p });
                } catch (e) {
                  emit({ type: 'apply-failed', recommendation: best, error: (e as Error).message });
                }
              }
            }
          } else if (!d.stuck) reportedStuck = false;
        }
      }
      await sleep(interval, options.signal);
    }
  } finally {
    offEvent();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
  });
}
