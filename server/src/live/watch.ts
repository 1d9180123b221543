// Follows the migration of a connected QEMU: polls query-migrate, re-predicts at each
// dirty sync, says when it is stuck and what would unblock it, and (only when asked)
// applies the best change once. Everything it sees goes to `emit` as an observation,
// which the CLI prints, the editor draws and a recording keeps.
import { LivePredictor, type Diagnosis, type LiveContext, type LiveRecommendation, type Prediction, type SyncPoint } from './predict';
import type { QmpConnection } from './qmpClient';
import { FINISHED, toSample, type MigrationSample } from './sample';

export type Observation =
  | { type: 'start'; qemu: string; parameters: Record<string, unknown>; capabilities: Record<string, boolean>; link: number | null; vcpus: number }
  | { type: 'waiting'; status: string }
  | { type: 'sample'; sample: MigrationSample; raw: unknown; prediction: Prediction | null; newSync: boolean; sync?: SyncPoint }
  | { type: 'stuck'; diagnosis: Diagnosis; recommendations: LiveRecommendation[] }
  | {
      type: 'applied';
      recommendation: LiveRecommendation;
      command: string;
      arguments: Record<string, unknown>;
      prediction: Prediction | null;
      /** QEMU time (s, like total-time) when the change was in. */
      at?: number;
    }
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
  /** Changes the user asked for while watching (the editor's Apply now), sent between two polls. */
  control?: WatchControl;
}

export const MIN_INTERVAL_MS = 100;
export const DEFAULT_INTERVAL_MS = 500;

/** The poll interval from a setting (anything a user can write): the default with a message when it makes no sense, never faster than MIN_INTERVAL_MS. */
export function pollInterval(raw: unknown): { ms: number; problem?: string } {
  if (raw === undefined || raw === null) return { ms: DEFAULT_INTERVAL_MS };
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0)
    return {
      ms: DEFAULT_INTERVAL_MS,
      problem: `qapi.live.pollInterval: ${JSON.stringify(raw)} is not a number of milliseconds; using ${DEFAULT_INTERVAL_MS}.`,
    };
  if (n < MIN_INTERVAL_MS)
    return { ms: MIN_INTERVAL_MS, problem: `qapi.live.pollInterval: ${n} ms is faster than QEMU should be polled; using ${MIN_INTERVAL_MS}.` };
  if (n > 3_600_000) return { ms: 3_600_000, problem: `qapi.live.pollInterval: ${n} ms is more than an hour; using 3600000.` };
  return { ms: Math.round(n) };
}

export type ApplyOutcome = { ok: true } | { error: string };

/**
 * A running watch's mailbox for changes the user confirmed (the editor's Apply now): the
 * watch sends each between two polls, through the same code as --apply, and answers.
 */
export class WatchControl {
  private queue: { recommendation: LiveRecommendation; done: (r: ApplyOutcome) => void }[] = [];
  private wake: (() => void) | null = null;

  apply(recommendation: LiveRecommendation): Promise<ApplyOutcome> {
    return new Promise((done) => {
      this.queue.push({ recommendation, done });
      this.wake?.();
    });
  }

  /** @internal The watch takes the waiting requests. */
  take(): { recommendation: LiveRecommendation; done: (r: ApplyOutcome) => void }[] {
    return this.queue.splice(0);
  }

  /** @internal The watch sleeps until the next poll or a request, whichever comes first. */
  onWake(f: (() => void) | null): void {
    this.wake = f;
  }

  /** Answers what is still waiting when the watch ends. */
  close(reason: string): void {
    for (const r of this.take()) r.done({ error: reason });
  }
}

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

/** The first observation of a watch (live or replayed): what the predictor starts from. */
export function startObservation(context: LiveContext): Observation {
  return {
    type: 'start',
    qemu: context.qemuVersion,
    parameters: context.parameters,
    capabilities: context.capabilities,
    link: context.linkBytesPerSecond,
    vcpus: context.vcpus,
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
  emit(startObservation(context));
  const offEvent = conn.onEvent((e) => {
    if (e.event.startsWith('MIGRATION') || e.event === 'STOP' || e.event === 'RESUME') emit({ type: 'event', event: e.event, data: e.data, t: t() });
  });
  const available = {
    parameters: new Set(Object.keys(context.parameters)),
    capabilities: new Set(Object.keys(context.capabilities)),
  };
  const predictions: Prediction[] = [];
  /** Sends one recommendation (--apply, or the user's Apply now), then predicts from QEMU's state with the change in. */
  const applyChange = async (rec: LiveRecommendation): Promise<ApplyOutcome> => {
    if (!rec.apply) return { error: `${rec.kind} cannot be applied while migrating: ${rec.notApplicable ?? 'no value to send'}` };
    try {
      await conn.execute('migrate-set-parameters', rec.apply, { signal: options.signal });
      context.parameters = (await conn.execute('query-migrate-parameters', undefined, { signal: options.signal })) as Record<string, unknown>;
      // Predict from QEMU's state once the change is in (finding the change takes time).
      const after = toSample(t(), await conn.execute('query-migrate', undefined, { signal: options.signal }));
      predictor.add(after);
      const p = predictor.repredict();
      if (p) predictions.push(p);
      emit({
        type: 'applied',
        recommendation: rec,
        command: 'migrate-set-parameters',
        arguments: rec.apply,
        prediction: p,
        at: (after.totalTimeMs ?? 0) / 1000,
      });
      return { ok: true };
    } catch (e) {
      emit({ type: 'apply-failed', recommendation: rec, error: (e as Error).message });
      return { error: (e as Error).message };
    }
  };
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
        emit({ type: 'sample', sample, raw, prediction: predictor.prediction, newSync, sync: newSync ? predictor.syncs.at(-1) : undefined });
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
                await applyChange(best);
              }
            }
          } else if (!d.stuck) reportedStuck = false;
        }
      }
      for (const r of options.control?.take() ?? []) r.done(await applyChange(r.recommendation));
      await sleep(interval, options.signal, options.control);
    }
  } finally {
    offEvent();
    options.control?.close('the watch has ended');
  }
}

function sleep(ms: number, signal?: AbortSignal, control?: WatchControl): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      control?.onWake(null);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    control?.onWake(done);
  });
}
