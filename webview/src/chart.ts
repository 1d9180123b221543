// The chart's geometry, kept apart from the DOM so it can be tested in node and timed
// in the benchmark: scales, ticks, SVG path strings and marker positions for the two
// panels (pending bytes vs threshold; measured vs assumed bandwidth) sharing one time axis.
import type { OrchestratorMark, SimulationResult, SimWindow } from '../../server/src/simulator/types';
import { formatBytes, formatRate, formatSeconds } from './format';

export interface Tick {
  value: number;
  pos: number;
  label: string;
}
export type SeriesId = 'pending' | 'threshold' | 'measured' | 'assumed';
export interface Series {
  id: SeriesId;
  label: string;
  d: string;
}
export interface Panel {
  title: string;
  top: number;
  bottom: number;
  max: number;
  log: boolean;
  yTicks: Tick[];
  series: Series[];
}
export interface Marker {
  x: number;
  seconds: number;
  label: string;
}
/** What every chart of the page has: its size, plot edges and time axis. */
export interface ChartFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  xMax: number;
  xTicks: Tick[];
}
export interface ChartModel extends ChartFrame {
  bytes: Panel;
  bandwidth: Panel;
  switchover?: Marker & { y: number };
  /** Orchestrator deadlines inside the time axis, and the ones after it (listed in words). */
  deadlines: Marker[];
  laterDeadlines: OrchestratorMark[];
}

export const MARGIN = { left: 72, right: 20, top: 26, bottom: 34, gap: 46 };

/** A scale from [0, max] onto [from, to] (either direction). */
export const linear = (max: number, from: number, to: number) => (v: number) => from + (max > 0 ? v / max : 0) * (to - from);

/** Round step sizes: 1, 2, 2.5 or 5 times a power of ten, giving about `count` ticks up to `max`. */
export function niceStep(max: number, count: number): number {
  if (!(max > 0) || count < 1) return 1;
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/** Ticks 0, step, 2·step … covering max; the axis then ends at the last tick. */
export function niceTicks(max: number, count: number, unit = 1): number[] {
  const step = niceStep(max / unit, count) * unit;
  const ticks = [0];
  while (ticks[ticks.length - 1] < max - step * 1e-9) ticks.push(ticks.length * step);
  return ticks;
}

const TIME_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200];

/**
 * Time ticks on steps a clock reads well (10 s, 30 s, 1 min, 5 min …), at most `count` intervals.
 * A run that ends a hair after a tick (600.05 s) ends the axis at that tick, not one step later.
 */
export function timeTicks(max: number, count: number): number[] {
  const intervals = (s: number) => Math.max(1, Math.ceil(max / s - 0.01));
  const step = TIME_STEPS.find((s) => intervals(s) <= count) ?? niceStep(max, count);
  const n = intervals(step);
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(6)));
}

/**
 * A log axis for bytes: ticks at 1, 10 and 100 of each binary unit (1 MiB, 10 MiB … 1 GiB),
 * from the decade under the smallest positive value (at most six decades down) to the one above the largest.
 */
export function logByteTicks(minPositive: number, max: number): number[] {
  const all: number[] = [];
  for (let u = 1; u <= 1024 ** 5; u *= 1024) for (const m of [1, 10, 100]) all.push(m * u);
  const top = all.find((t) => t >= max) ?? all[all.length - 1];
  const floor = Math.max(minPositive, top / 1e6);
  const bottomIdx = Math.max(0, all.findIndex((t) => t > floor) - 1);
  return all.slice(bottomIdx, all.indexOf(top) + 1);
}

/** A log scale from [lo, hi] onto [from, to]; values at or below lo sit on the axis. */
export const logScale = (lo: number, hi: number, from: number, to: number) => {
  const a = Math.log(lo),
    span = Math.log(hi) - a || 1;
  return (v: number) => from + (v > lo ? (Math.log(Math.min(v, hi)) - a) / span : 0) * (to - from);
};

/** The binary unit a byte axis is labelled in, so ticks land on round MiB/GiB values. */
export function byteUnit(max: number): number {
  let u = 1;
  while (max / u >= 1024 && u < 1024 ** 4) u *= 1024;
  return u;
}

/** A panel's y ticks and scale: log (bytes) from the smallest positive value, or linear from 0 to a round top. */
export function yScale(
  minPositive: number,
  max: number,
  log: boolean,
  count: number,
  unit: number,
  bottom: number,
  top: number,
): { ticks: number[]; sy: (v: number) => number } {
  const ticks = log ? logByteTicks(Number.isFinite(minPositive) ? minPositive : 1, max || 1) : niceTicks(max || 1, count, unit);
  const last = ticks[ticks.length - 1];
  return { ticks, sy: log ? logScale(ticks[0], last, bottom, top) : linear(last, bottom, top) };
}

/**
 * An SVG path through the points. Long runs are reduced to the first, lowest, highest
 * and last point of every pixel column, which keeps every peak the eye could see.
 */
export function pathData(xs: readonly number[], ys: readonly number[]): string {
  const out: string[] = [];
  const emit = (x: number, y: number) => out.push(`${out.length ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`);
  let col = NaN;
  let first = 0,
    lo = 0,
    hi = 0,
    last = 0;
  const flush = () => {
    if (Number.isNaN(col)) return;
    for (const i of [...new Set([first, lo, hi, last])].sort((a, b) => a - b)) emit(xs[i], ys[i]);
  };
  for (let i = 0; i < xs.length; i++) {
    const c = Math.round(xs[i]);
    if (c !== col) {
      flush();
      col = c;
      first = lo = hi = i;
    }
    if (ys[i] < ys[lo]) lo = i;
    if (ys[i] > ys[hi]) hi = i;
    last = i;
  }
  flush();
  return out.join('');
}

/** The window in force at time t (the last one ending at or before t, else the first). */
export function windowAt(windows: readonly SimWindow[], t: number): SimWindow | undefined {
  let found: SimWindow | undefined = windows[0];
  for (const w of windows) {
    if (w.t > t + 1e-9) break;
    found = w;
  }
  return found;
}

export function buildChart(r: SimulationResult, width: number, height: number): ChartModel {
  const w = r.windows;
  const lastT = Math.max(w.length ? w[w.length - 1].t : 0, r.switchoverSeconds ?? 0, 1);
  // A deadline shortly after the end is worth seeing on the axis (how much margin there was).
  const near = r.orchestrators.filter((o) => o.seconds > 0 && o.seconds <= lastT * 1.5).map((o) => o.seconds);
  const xTickValues = timeTicks(Math.max(lastT, ...near), 6);
  const xMax = xTickValues[xTickValues.length - 1];
  const left = MARGIN.left,
    right = width - MARGIN.right;
  const sx = linear(xMax, left, right);
  const xs = w.map((x) => sx(x.t));

  const plotH = height - MARGIN.top - MARGIN.bottom - MARGIN.gap;
  const bytesTop = MARGIN.top,
    bytesBottom = MARGIN.top + plotH * 0.62;
  const bwTop = bytesBottom + MARGIN.gap,
    bwBottom = height - MARGIN.bottom;

  // Pending and threshold are drawn on a log axis: the threshold is often a hundredth of
  // what is pending, and that gap is the whole story of a migration that does not converge.
  const panel = (
    title: string,
    top: number,
    bottom: number,
    fmt: (n: number) => string,
    log: boolean,
    series: { id: SeriesId; label: string; value: (x: SimWindow) => number }[],
  ): [Panel, (v: number) => number] => {
    let max = 0,
      minPositive = Infinity;
    for (const s of series)
      for (const x of w) {
        const v = s.value(x);
        max = Math.max(max, v);
        if (v > 0) minPositive = Math.min(minPositive, v);
      }
    const { ticks, sy } = yScale(minPositive, max, log, 4, byteUnit(max || 1), bottom, top);
    const top1 = ticks[ticks.length - 1];
    return [
      {
        title,
        top,
        bottom,
        max: top1,
        log,
        yTicks: ticks.map((v) => ({ value: v, pos: sy(v), label: fmt(v) })),
        series: series.map((s) => ({
          id: s.id,
          label: s.label,
          d: pathData(
            xs,
            w.map((x) => sy(s.value(x))),
          ),
        })),
      },
      sy,
    ];
  };

  const [bytes, syBytes] = panel('Pending dirty memory (log scale)', bytesTop, bytesBottom, formatBytes, true, [
    { id: 'pending', label: 'pending', value: (x) => x.pendingBytes },
    { id: 'threshold', label: 'switchover threshold', value: (x) => x.thresholdBytes },
  ]);
  const [bandwidth] = panel('Bandwidth', bwTop, bwBottom, formatRate, false, [
    { id: 'measured', label: 'measured', value: (x) => x.measuredBytesPerSecond },
    { id: 'assumed', label: 'assumed by the threshold', value: (x) => x.assumedBytesPerSecond },
  ]);

  let switchover: ChartModel['switchover'];
  if (r.converged && r.switchoverSeconds !== null) {
    const at = windowAt(w, r.switchoverSeconds);
    switchover = {
      x: sx(r.switchoverSeconds),
      y: syBytes(at?.pendingBytes ?? 0),
      seconds: r.switchoverSeconds,
      label: `switchover ${formatSeconds(r.switchoverSeconds)}`,
    };
  }
  const deadlines: Marker[] = [];
  const laterDeadlines: OrchestratorMark[] = [];
  for (const o of r.orchestrators) {
    if (o.seconds <= xMax) deadlines.push({ x: sx(o.seconds), seconds: o.seconds, label: `${o.name} ${formatSeconds(o.seconds)}` });
    else laterDeadlines.push(o);
  }
  return {
    width,
    height,
    left,
    right,
    xMax,
    xTicks: xTickValues.map((v) => ({ value: v, pos: sx(v), label: formatSeconds(v) })),
    bytes,
    bandwidth,
    switchover,
    deadlines,
    laterDeadlines,
  };
}
