// The live mode of the convergence preview as data: the watcher's observations (a live
// watch of the connected QEMU, or a replayed recording) folded into the LiveView the page
// draws. The numbers and words are all made here (and in the predictor the CLI's `watch`
// uses); the page only draws them.
import { hasParameter, PARAMETER_FACTS } from '../migration/index';
import type { LivePoint, LivePrediction, LiveRecommendationView, LiveView } from '../protocol/page';
import { simulate } from '../simulator/index';
import { LivePredictor, type LiveContext, type LiveRecommendation, type Prediction } from './predict';
import { FINISHED, measuredBytesPerSecond, type MigrationSample } from './sample';
import type { Observation } from './watch';

/**
 * Polls (and syncs, predictions) kept in the view; beyond this the older half is thinned to
 * every other one. The whole view goes to the page after each poll: at 400 points it is
 * about 120 kB (BENCHMARKS.md), and a chart a few hundred pixels wide shows no more.
 */
export const MAX_POINTS = 400;

/** Keeps the recent half at full resolution and every other one of the older half. */
function thin<T>(xs: T[]): T[] {
  if (xs.length <= MAX_POINTS) return xs;
  const half = Math.floor(xs.length / 2);
  return [...xs.slice(0, half).filter((_, i) => i % 2 === 0), ...xs.slice(half)];
}
const r3 = (x: number) => Math.round(x * 1000) / 1000;
/** Points of a predicted curve. */
const CURVE_POINTS = 240;

const MiB = 2 ** 20;

/** A parameter value in words, by its unit in the migration facts. */
export function describeValue(name: string, value: number | boolean): string {
  if (typeof value === 'boolean') return `${name} ${value ? 'on' : 'off'}`;
  const unit = PARAMETER_FACTS.get(name)?.unit;
  if (unit === 'B/s' && value === 0) return `${name} = 0`;
  if (unit === 'B/s') return `${name} = ${(value / MiB).toFixed(value < 10 * MiB ? 1 : 0)} MiB/s (${value} B/s)`;
  if (unit === 'ms') return `${name} = ${value} ms`;
  return `${name} = ${value}${unit ? ` ${unit}` : ''}`;
}

export interface LiveViewOptions {
  source: LiveView['source'];
  title: string;
  linkNote: string;
  /** Poll period, for the note while watching. */
  intervalMs?: number;
}

export class LiveViewBuilder {
  private readonly view: LiveView;
  private recs: LiveRecommendation[] = [];
  private shown: Prediction | null = null;
  /** The watcher's parameters as known here (the start, then each change), for the threshold per poll. */
  private context: LiveContext = { qemuVersion: '10.2', parameters: {}, capabilities: {}, linkBytesPerSecond: null, vcpus: 1 };
  private lastT = 0;

  constructor(private readonly options: LiveViewOptions) {
    this.view = {
      source: options.source,
      title: options.title,
      qemuVersion: '',
      status: 'none',
      phase: 'waiting',
      note: 'connecting…',
      linkBytesPerSecond: null,
      linkNote: options.linkNote,
      downtimeLimitMs: 300,
      availSwitchoverBytesPerSecond: null,
      points: [],
      syncs: [],
      prediction: null,
      predictions: [],
      diagnosis: null,
      recommendations: [],
      marks: [],
      end: null,
      canApply: false,
    };
  }

  /** The view as it is now (a copy: the caller may send it while more observations come). */
  get(): LiveView {
    return structuredClone({ ...this.view, canApply: this.canApply() });
  }

  /** The recommendation offered under this kind with exactly these arguments (what Apply now may send). */
  offered(kind: string, args: Record<string, unknown>): LiveRecommendation | undefined {
    const r = this.recs.find((x) => x.kind === kind && x.apply);
    if (!r?.apply || this.view.recommendations.find((v) => v.kind === kind)?.appliedAt !== undefined) return undefined;
    const a = r.apply;
    const same = Object.keys(a).length === Object.keys(args).length && Object.entries(a).every(([k, v]) => args[k] === v);
    return same ? r : undefined;
  }

  /** The watch ended without the migration ending (stopped, disconnected, QEMU gone). */
  stop(note: string): void {
    if (this.view.phase === 'ended') return;
    this.view.phase = 'stopped';
    this.view.note = note;
  }

  observe(o: Observation): void {
    const v = this.view;
    switch (o.type) {
      case 'start':
        this.context = {
          qemuVersion: o.qemu,
          parameters: { ...o.parameters },
          capabilities: { ...o.capabilities },
          linkBytesPerSecond: o.link,
          vcpus: o.vcpus,
        };
        v.qemuVersion = o.qemu;
        v.linkBytesPerSecond = o.link;
        v.note = 'waiting for the first query-migrate reply';
        this.parametersChanged();
        break;
      case 'waiting':
        v.phase = 'waiting';
        v.status = o.status;
        v.note = `no migration in progress (status ${o.status}); the preview follows the next one`;
        break;
      case 'sample':
        this.sample(o.sample, o.prediction, o.sync);
        break;
      case 'stuck': {
        v.diagnosis = { at: this.lastT, stuck: o.diagnosis.stuck, seedCase: o.diagnosis.seedCase, message: o.diagnosis.message };
        this.recs = o.recommendations;
        v.recommendations = o.recommendations.map((r) => this.recommendationView(r));
        break;
      }
      case 'applied': {
        const at = o.at ?? o.prediction?.at ?? this.lastT;
        Object.assign(this.context.parameters, o.arguments);
        this.parametersChanged();
        const change = Object.entries(o.arguments)
          .filter((e): e is [string, number | boolean] => typeof e[1] === 'number' || typeof e[1] === 'boolean')
          .map(([k, x]) => describeValue(k, x))
          .join(', ');
        v.marks.push({ t: at, kind: 'applied', label: `applied ${change}` });
        const rv = v.recommendations.find((r) => r.kind === o.recommendation.kind);
        if (rv) rv.appliedAt = at;
        if (o.prediction) this.showPrediction(o.prediction);
        v.note = `${o.command} ${change} sent at ${at.toFixed(1)} s; ${
          o.prediction
            ? o.prediction.converges
              ? `predicted switchover at ${o.prediction.switchoverAt!.toFixed(1)} s`
              : 'still predicted not to converge'
            : 'no prediction yet'
        }`;
        break;
      }
      case 'apply-failed':
        v.marks.push({ t: this.lastT, kind: 'apply-failed', label: `${o.recommendation.kind} refused: ${o.error}` });
        v.note = `QEMU refused ${o.recommendation.kind}: ${o.error}`;
        break;
      case 'end': {
        const s = o.sample;
        v.phase = 'ended';
        v.status = o.status;
        const predicted = o.lastPrediction?.converges ? o.lastPrediction.switchoverAt : null;
        v.end = {
          status: o.status,
          switchoverAt: o.realSwitchoverAt,
          downtimeMs: s.downtimeMs,
          totalSeconds: s.totalTimeMs === null ? null : s.totalTimeMs / 1000,
          predictedSwitchoverAt: predicted,
        };
        v.note =
          o.status === 'completed' && o.realSwitchoverAt !== null
            ? `migration completed: switchover at ${o.realSwitchoverAt.toFixed(1)} s, downtime ${s.downtimeMs ?? '?'} ms${
                predicted !== null
                  ? `; last prediction ${predicted.toFixed(1)} s (${(((predicted - o.realSwitchoverAt) / o.realSwitchoverAt) * 100).toFixed(0)}%)`
                  : ''
              }`
            : `migration ${o.status}`;
        break;
      }
      case 'event':
        break;
    }
  }

  private canApply(): boolean {
    return this.options.source === 'live' && this.view.phase === 'migrating' && this.view.recommendations.some((r) => r.command && r.appliedAt === undefined);
  }

  private parametersChanged(): void {
    const p = this.context.parameters;
    const dl = Number(p['downtime-limit']);
    this.view.downtimeLimitMs = Number.isFinite(dl) ? dl : 300;
    const asb = p['avail-switchover-bandwidth'];
    this.view.availSwitchoverBytesPerSecond = typeof asb === 'number' ? asb : null;
  }

  private sample(
    s: MigrationSample,
    prediction: Prediction | null,
    sync: { count: number; at: number; pendingBytes: number; thresholdBytes: number } | undefined,
  ): void {
    const v = this.view;
    v.status = s.status;
    if (!FINISHED.has(s.status)) {
      v.phase = 'migrating';
      v.note = this.options.intervalMs ? `watching: query-migrate every ${this.options.intervalMs} ms` : 'replayed from the recording';
    }
    if (s.totalTimeMs === null) return; // setup: nothing measured yet
    const t = r3(s.totalTimeMs / 1000);
    this.lastT = t;
    // The threshold as QEMU computes it at this poll (the predictor's own formula).
    const predictor = new LivePredictor(this.context);
    const threshold = predictor.thresholdBytes(s);
    const point: LivePoint = {
      t,
      remainingBytes: s.ram.remaining ?? 0,
      transferredBytes: s.ram.transferred ?? 0,
      bytesPerSecond: Math.round(measuredBytesPerSecond(s)),
      dirtySyncCount: s.ram.dirtySyncCount ?? 0,
      expectedDowntimeMs: s.expectedDowntimeMs,
      throttlePercent: s.throttlePercent,
      thresholdBytes: Math.round(threshold),
      assumedBytesPerSecond: Math.round(predictor.asb() || measuredBytesPerSecond(s)),
      downtimeLimitMs: predictor.downtimeLimitMs(),
    };
    v.points.push(point);
    v.points = thin(v.points);
    if (sync) {
      v.syncs.push({ t: r3(sync.at), count: sync.count, pendingBytes: Math.round(sync.pendingBytes), thresholdBytes: Math.round(sync.thresholdBytes) });
      v.syncs = thin(v.syncs);
    }
    if (prediction && prediction !== this.shown) this.showPrediction(prediction);
  }

  /** The prediction and its simulated curve (the same scenario the predictor simulated, run again for its windows). */
  private showPrediction(p: Prediction): void {
    this.shown = p;
    const v = this.view;
    v.predictions.push({ at: p.at, converges: p.converges, switchoverAt: p.switchoverAt });
    v.predictions = thin(v.predictions);
    let curve: LivePrediction['curve'] = [];
    try {
      const r = simulate(p.scenario);
      // Up to the predicted switchover; a run that never converges is drawn for as long again as the migration has run (at least 10 s).
      const horizon = r.converged && r.switchoverSeconds !== null ? r.switchoverSeconds : Math.max(10, p.at);
      const ws = r.windows.filter((w) => w.t <= horizon + 1e-9);
      const step = Math.max(1, Math.ceil(ws.length / CURVE_POINTS));
      curve = ws
        .filter((_, i) => i % step === 0 || i === ws.length - 1)
        .map((w) => ({ t: p.at + w.t, pendingBytes: w.pendingBytes, thresholdBytes: w.thresholdBytes }));
    } catch {
      /* the reason says why there is no prediction */
    }
    v.prediction = { at: p.at, converges: p.converges, switchoverAt: p.switchoverAt, downtimeMs: p.downtimeMs, reason: p.reason, curve };
  }

  /** A recommendation as offered here: applicable only when this QEMU version has the parameter (the migration facts say since when). */
  private recommendationView(r: LiveRecommendation): LiveRecommendationView {
    const args = r.apply;
    const missing = args ? Object.keys(args).find((k) => !hasParameter(this.context.qemuVersion, k)) : undefined;
    const change = args
      ? Object.entries(args)
          .map(([k, x]) => describeValue(k, x))
          .join(', ')
      : r.kind;
    const notApplicable = missing
      ? `QEMU ${this.context.qemuVersion} has no ${missing} (since ${PARAMETER_FACTS.get(missing)?.since ?? '?'})`
      : args
        ? undefined
        : (r.notApplicable ?? 'cannot be applied while migrating');
    const live = this.options.source === 'live' && !!args && !missing;
    return {
      kind: r.kind,
      message: r.message,
      change,
      command: live ? 'migrate-set-parameters' : null,
      arguments: live ? args : null,
      ...(notApplicable ? { notApplicable } : this.options.source === 'replay' ? { notApplicable: 'a replay: no QEMU to apply it to' } : {}),
    };
  }
}
