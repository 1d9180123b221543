// The live chart's geometry (no DOM, tested in node): the real curve of a watched
// migration in four panels sharing one time axis (QEMU's total-time), with the
// simulator's prediction drawn over the first one, the dirty syncs, the changes applied
// and the switchover (predicted and real) as markers.
import type { LiveView } from '../../server/src/protocol/page';
import { byteUnit, type ChartFrame, linear, type Marker, pathData, timeTicks, type Tick, yScale } from './chart';
import { formatBytes, formatMs, formatRate, formatSeconds } from './format';

export type LiveSeriesId =
  | 'remaining'
  | 'threshold'
  | 'transferred'
  | 'predicted'
  | 'predicted-threshold'
  | 'measured'
  | 'assumed'
  | 'link'
  | 'expected-downtime'
  | 'downtime-limit'
  | 'throttle';

export interface LiveSeries {
  id: LiveSeriesId;
  label: string;
  d: string;
}
export interface LivePanel {
  title: string;
  top: number;
  bottom: number;
  yTicks: Tick[];
  series: LiveSeries[];
}
export interface LiveMarker extends Marker {
  kind: 'applied' | 'apply-failed' | 'predicted-switchover' | 'switchover';
}
export interface LiveChartModel extends ChartFrame {
  panels: LivePanel[];
  /** Dirty bitmap syncs, on the first panel's time axis. */
  syncs: { x: number; count: number }[];
  markers: LiveMarker[];
  /** Where the shown prediction was made. */
  predictionAt?: number;
}

const M = { left: 72, right: 20, top: 26, bottom: 34, gap: 40 };

const seconds = (s: number) => formatSeconds(s);

export function buildLiveChart(v: LiveView, width: number, height: number): LiveChartModel {
  const pts = v.points;
  const curve = v.prediction?.curve ?? [];
  const lastT = Math.max(
    pts.length ? pts[pts.length - 1].t : 0,
    curve.length ? curve[curve.length - 1].t : 0,
    v.end?.switchoverAt ?? 0,
    v.prediction?.converges ? (v.prediction.switchoverAt ?? 0) : 0,
    1,
  );
  const xt = timeTicks(lastT, 6);
  const xMax = xt[xt.length - 1];
  const left = M.left,
    right = width - M.right;
  const sx = linear(xMax, left, right);
  const usable = height - M.top - M.bottom - 3 * M.gap;
  // Shares of the height: the bytes panel carries the story.
  const shares = [0.42, 0.24, 0.2, 0.14];
  const tops: [number, number][] = [];
  let y = M.top;
  for (const sh of shares) {
    tops.push([y, y + usable * sh]);
    y += usable * sh + M.gap;
  }

  type Src = { id: LiveSeriesId; label: string; xs: number[]; ys: number[] };
  const real = (id: LiveSeriesId, label: string, f: (p: (typeof pts)[number]) => number | null): Src => {
    const xs: number[] = [],
      ys: number[] = [];
    for (const p of pts) {
      const val = f(p);
      if (val === null || !Number.isFinite(val)) continue;
      xs.push(p.t);
      ys.push(val);
    }
    return { id, label, xs, ys };
  };
  const flat = (id: LiveSeriesId, label: string, value: number | null): Src | null =>
    value !== null && value > 0 && pts.length ? { id, label, xs: [pts[0].t, xMax], ys: [value, value] } : null;

  const panel = (title: string, [top, bottom]: [number, number], log: boolean, fmt: (n: number) => string, all: (Src | null)[]): LivePanel => {
    const srcs = all.filter((s): s is Src => !!s && s.xs.length > 0);
    let max = 0,
      minPositive = Infinity;
    for (const s of srcs)
      for (const val of s.ys) {
        max = Math.max(max, val);
        if (val > 0) minPositive = Math.min(minPositive, val);
      }
    const unit = fmt === formatBytes || fmt === formatRate ? byteUnit(max || 1) : 1;
    const { ticks, sy } = yScale(minPositive, max, log, 3, unit, bottom, top);
    return {
      title,
      top,
      bottom,
      yTicks: ticks.map((t) => ({ value: t, pos: sy(t), label: fmt(t) })),
      series: srcs.map((s) => ({
        id: s.id,
        label: s.label,
        d: pathData(
          s.xs.map(sx),
          s.ys.map((val) => sy(val)),
        ),
      })),
    };
  };

  const predicted: Src = { id: 'predicted', label: 'predicted remaining', xs: curve.map((c) => c.t), ys: curve.map((c) => c.pendingBytes) };
  const predictedThreshold: Src = {
    id: 'predicted-threshold',
    label: 'predicted threshold',
    xs: curve.map((c) => c.t),
    ys: curve.map((c) => c.thresholdBytes),
  };
  const panels = [
    panel('Remaining, threshold and sent (log scale)', tops[0], true, formatBytes, [
      real('transferred', 'sent so far', (p) => p.transferredBytes),
      real('remaining', 'remaining', (p) => p.remainingBytes),
      real('threshold', 'switchover threshold', (p) => p.thresholdBytes),
      predicted,
      predictedThreshold,
    ]),
    panel('Bandwidth', tops[1], false, formatRate, [
      real('measured', 'measured by QEMU', (p) => p.bytesPerSecond),
      real('assumed', 'assumed by the threshold', (p) => p.assumedBytesPerSecond),
      flat('link', 'link', v.linkBytesPerSecond),
    ]),
    panel('Expected downtime', tops[2], false, formatMs, [
      real('expected-downtime', 'expected downtime', (p) => p.expectedDowntimeMs),
      real('downtime-limit', 'downtime-limit', (p) => p.downtimeLimitMs),
    ]),
    panel('CPU throttle (%)', tops[3], false, (n) => `${Number(n.toFixed(1))} %`, [real('throttle', 'throttle', (p) => p.throttlePercent)]),
  ];

  const markers: LiveMarker[] = v.marks.map((m) => ({ x: sx(m.t), seconds: m.t, label: m.label, kind: m.kind }));
  if (v.end?.switchoverAt != null)
    markers.push({ x: sx(v.end.switchoverAt), seconds: v.end.switchoverAt, label: `switchover ${seconds(v.end.switchoverAt)}`, kind: 'switchover' });
  else if (v.prediction?.converges && v.prediction.switchoverAt !== null)
    markers.push({
      x: sx(v.prediction.switchoverAt),
      seconds: v.prediction.switchoverAt,
      label: `predicted switchover ${seconds(v.prediction.switchoverAt)}`,
      kind: 'predicted-switchover',
    });
  return {
    width,
    height,
    left,
    right,
    xMax,
    xTicks: xt.map((t) => ({ value: t, pos: sx(t), label: seconds(t) })),
    panels,
    syncs: v.syncs.map((s) => ({ x: sx(s.t), count: s.count })),
    markers,
    predictionAt: v.prediction?.at,
  };
}
