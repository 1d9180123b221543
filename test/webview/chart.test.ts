// The chart geometry: scales, ticks, decimated paths and marker positions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildChart, byteUnit, linear, logByteTicks, logScale, MARGIN, niceStep, niceTicks, pathData, timeTicks, windowAt } from '../../webview/src/chart';
import { handmadeResult } from '../helpers/webview/handmade';

const GiB = 2 ** 30;
const points = (d: string) => [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

test('nice steps are 1, 2, 2.5 or 5 times a power of ten', () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(100, 4), 25);
  assert.equal(niceStep(7, 6), 2);
  assert.equal(niceStep(0.3, 3), 0.1);
  assert.equal(niceStep(0, 3), 1);
});

test('ticks start at zero and end at or above the maximum', () => {
  assert.deepEqual(niceTicks(10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(9.1, 4), [0, 2.5, 5, 7.5, 10]);
  const bytes = niceTicks(4 * GiB, 4, byteUnit(4 * GiB));
  assert.deepEqual(bytes, [0, GiB, 2 * GiB, 3 * GiB, 4 * GiB]);
});

test('byte axes are labelled in the largest binary unit below the maximum', () => {
  assert.equal(byteUnit(500), 1);
  assert.equal(byteUnit(300 * 2 ** 20), 2 ** 20);
  assert.equal(byteUnit(4 * GiB), GiB);
});

test('time ticks fall on clock-friendly steps and cover the maximum', () => {
  assert.deepEqual(timeTicks(12, 6), [0, 2, 4, 6, 8, 10, 12]);
  assert.deepEqual(timeTicks(600.1, 6), [0, 120, 240, 360, 480, 600]);
  assert.deepEqual(timeTicks(605, 6), [0, 120, 240, 360, 480, 600, 720]);
  assert.deepEqual(timeTicks(600, 6), [0, 120, 240, 360, 480, 600]);
  assert.deepEqual(timeTicks(36.7, 6), [0, 10, 20, 30, 40]);
  assert.deepEqual(timeTicks(0.35, 6), [0, 0.1, 0.2, 0.3, 0.4]);
});

test('log byte ticks run from the decade under the smallest value to the one above the largest', () => {
  const MiB = 2 ** 20;
  assert.deepEqual(logByteTicks(40e6, 8 * GiB), [10 * MiB, 100 * MiB, GiB, 10 * GiB]);
  assert.deepEqual(logByteTicks(300 * MiB, 4 * GiB), [100 * MiB, GiB, 10 * GiB]);
  // At most six decades below the top, however small the smallest value.
  assert.equal(logByteTicks(1, GiB)[0], 1024);
  const y = logScale(10 * MiB, 10 * GiB, 300, 0);
  assert.equal(y(10 * MiB), 300);
  assert.equal(y(10 * GiB), 0);
  assert.equal(y(0), 300, 'zero sits on the axis');
  assert.ok(Math.abs(y(Math.sqrt(10 * MiB * 10 * GiB)) - 150) < 1e-9, 'the geometric mean is half way');
});

test('a linear scale maps 0 and max onto the ends, in either direction', () => {
  const y = linear(100, 200, 0);
  assert.equal(y(0), 200);
  assert.equal(y(100), 0);
  assert.equal(y(25), 150);
  assert.equal(linear(0, 5, 10)(3), 5);
});

test('paths keep every point when there are fewer than one per pixel', () => {
  assert.equal(pathData([0, 10, 20], [5, 6, 7]), 'M0.0 5.0L10.0 6.0L20.0 7.0');
});

test('paths keep first, lowest, highest and last point of a crowded pixel column', () => {
  const xs = [0, 0.1, 0.2, 0.3, 0.4, 5];
  const ys = [10, 50, 2, 20, 30, 40];
  const p = points(pathData(xs, ys));
  assert.deepEqual(
    p.map(([, y]) => y),
    [10, 50, 2, 30, 40],
  );
});

test('a 6000-window run is reduced to a few points per pixel', () => {
  const n = 6000;
  const xs = Array.from({ length: n }, (_, i) => (i / n) * 700);
  const ys = Array.from({ length: n }, (_, i) => Math.sin(i));
  const p = points(pathData(xs, ys));
  assert.ok(p.length <= 4 * 701, `${p.length} points`);
  assert.ok(Math.max(...p.map(([, y]) => y)) > 0.99 && Math.min(...p.map(([, y]) => y)) < -0.99, 'peaks kept');
});

test('windowAt gives the window in force at a time', () => {
  const w = handmadeResult().windows;
  assert.equal(windowAt(w, 5)?.t, 5);
  assert.equal(windowAt(w, 5.05)?.t, 5);
  assert.equal(windowAt(w, 0)?.t, 0.1);
  assert.equal(windowAt([], 1), undefined);
});

test('the chart puts the switchover marker on the pending curve at the switchover time', () => {
  const m = buildChart(handmadeResult(), 800, 400);
  assert.equal(m.left, MARGIN.left);
  assert.equal(m.right, 800 - MARGIN.right);
  // 10 s run plus the KubeVirt deadline at 12 s (within 1.5x) -> axis to 12 s.
  assert.equal(m.xMax, 12);
  const sx = linear(m.xMax, m.left, m.right);
  assert.ok(m.switchover);
  assert.equal(m.switchover.x, sx(10));
  const pending = m.bytes.series.find((s) => s.id === 'pending')!;
  const last = points(pending.d).at(-1)!;
  assert.ok(Math.abs(last[0] - m.switchover.x) < 0.06 && Math.abs(last[1] - m.switchover.y) < 0.06);
  // Log axis 100 MiB (under the 300 MiB threshold) .. 10 GiB (over the 4 GiB pending).
  assert.equal(m.bytes.log, true);
  assert.equal(m.bytes.max, 10 * GiB);
  assert.equal(m.bytes.yTicks[0].label, '100 MiB');
  const sy = logScale(100 * 2 ** 20, 10 * GiB, m.bytes.bottom, m.bytes.top);
  const first = points(pending.d)[0];
  assert.ok(Math.abs(first[1] - sy(handmadeResult().windows[0].pendingBytes)) < 0.06);
  assert.ok(m.bandwidth.top > m.bytes.bottom, 'bandwidth panel under the bytes panel');
});

test('threshold and bandwidth series are drawn at their values', () => {
  const m = buildChart(handmadeResult(), 800, 400);
  const sy = logScale(m.bytes.yTicks[0].value, m.bytes.max, m.bytes.bottom, m.bytes.top);
  const threshold = points(m.bytes.series.find((s) => s.id === 'threshold')!.d);
  assert.ok(threshold.every(([, y]) => Math.abs(y - sy(300 * 2 ** 20)) < 0.06));
  const measured = points(m.bandwidth.series.find((s) => s.id === 'measured')!.d);
  const syBw = linear(m.bandwidth.max, m.bandwidth.bottom, m.bandwidth.top);
  assert.ok(measured.every(([, y]) => Math.abs(y - syBw(GiB)) < 0.06));
  assert.equal(m.bandwidth.yTicks.at(-1)!.label, '1 GiB/s');
});

test('deadlines inside the axis are marked; later ones are listed apart', () => {
  const m = buildChart(handmadeResult(), 800, 400);
  assert.deepEqual(
    m.deadlines.map((d) => d.label),
    ['KubeVirt 12 s'],
  );
  assert.deepEqual(
    m.laterDeadlines.map((d) => d.name),
    ['Nova'],
  );
});

test('no switchover marker when the run does not converge, and an empty run still has axes', () => {
  const m = buildChart(handmadeResult({ converged: false, switchoverSeconds: null, downtimeMs: null }), 800, 400);
  assert.equal(m.switchover, undefined);
  const empty = buildChart(handmadeResult({ windows: [], orchestrators: [] }), 800, 400);
  assert.ok(empty.xTicks.length >= 2);
  assert.equal(empty.bytes.series[0].d, '');
});
