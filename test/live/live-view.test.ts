// The preview's live view as data (server/src/live/liveView.ts) and its chart geometry
// (webview/src/liveChart.ts), without a QEMU: the poll-interval setting, the recommendations
// limited by the migration facts to what the QEMU version has, Apply now limited to exactly
// what was offered, long migrations thinned, and where the chart puts the marks.
import assert from 'node:assert/strict';
import test from 'node:test';
import { LiveViewBuilder, MAX_POINTS } from '../../server/src/live/liveView';
import type { LiveRecommendation } from '../../server/src/live/predict';
import { toSample } from '../../server/src/live/sample';
import { DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, pollInterval, type Observation } from '../../server/src/live/watch';
import { isLiveView } from '../../server/src/protocol/page';
import { buildLiveChart } from '../../webview/src/liveChart';
import { liveMessage } from '../helpers/webview/liveSamples';

test('qapi.live.pollInterval: the default for nonsense with a message, never faster than 100 ms', () => {
  assert.deepEqual(pollInterval(undefined), { ms: DEFAULT_INTERVAL_MS });
  assert.deepEqual(pollInterval(250), { ms: 250 });
  assert.deepEqual(pollInterval('750'), { ms: 750 });
  for (const bad of ['fast', '', -5, 0, Number.NaN, Number.POSITIVE_INFINITY, {}, [], true]) {
    const r = pollInterval(bad);
    assert.equal(r.ms, DEFAULT_INTERVAL_MS, JSON.stringify(bad));
    assert.match(r.problem ?? '', /^qapi\.live\.pollInterval: .* is not a number of milliseconds; using 500\.$/);
  }
  assert.deepEqual(pollInterval(20), { ms: MIN_INTERVAL_MS, problem: 'qapi.live.pollInterval: 20 ms is faster than QEMU should be polled; using 100.' });
  assert.equal(pollInterval(1e9).ms, 3_600_000);
});

const rec = (kind: string, apply: Record<string, number> | null): LiveRecommendation => ({
  kind,
  message: `${kind} would do`,
  rank: 0,
  apply,
  predictedSwitchoverSeconds: 1,
  predictedDowntimeMs: 30,
});

function started(version: string, source: 'live' | 'replay' = 'live'): LiveViewBuilder {
  const b = new LiveViewBuilder({ source, title: 't', linkNote: 'n', intervalMs: 500 });
  b.observe({ type: 'start', qemu: version, parameters: { 'downtime-limit': 300 }, capabilities: {}, link: 1e9, vcpus: 1 });
  return b;
}
const poll = (i: number, status = 'active'): Observation => ({
  type: 'sample',
  sample: toSample(i / 2, {
    status,
    'total-time': i * 500,
    'expected-downtime': 900,
    ram: { total: 2 ** 28, transferred: i * 1e7, remaining: 3e7, 'dirty-sync-count': 1 + i, mbps: 270 },
  }),
  raw: {},
  prediction: null,
  newSync: false,
});
const diagnosis = {
  stuck: true,
  seedCase: true,
  measuredBytesPerSecond: 3.4e7,
  thresholdBytes: 1e7,
  pendingAtSyncBytes: 3e7,
  message: "stuck, the seed's case",
};

test('a recommendation the QEMU version does not have (by the migration facts) is shown without Apply now, saying since when', () => {
  const b = started('8.1');
  b.observe(poll(1));
  b.observe({
    type: 'stuck',
    diagnosis,
    recommendations: [rec('avail-switchover-bandwidth', { 'avail-switchover-bandwidth': 2e8 }), rec('downtime-limit', { 'downtime-limit': 900 })],
  });
  const v = b.get();
  assert.ok(isLiveView(v));
  const [asb, dl] = v.recommendations;
  assert.equal(asb.command, null);
  assert.equal(asb.notApplicable, 'QEMU 8.1 has no avail-switchover-bandwidth (since 8.2)');
  assert.equal(dl.command, 'migrate-set-parameters');
  assert.deepEqual(dl.arguments, { 'downtime-limit': 900 });
  assert.equal(dl.change, 'downtime-limit = 900 ms');
  assert.equal(v.canApply, true);
  // The same on 8.2 is offered, in MiB/s and bytes.
  const c = started('8.2');
  c.observe(poll(1));
  c.observe({ type: 'stuck', diagnosis, recommendations: [rec('avail-switchover-bandwidth', { 'avail-switchover-bandwidth': 200 * 2 ** 20 })] });
  assert.equal(c.get().recommendations[0].change, 'avail-switchover-bandwidth = 200 MiB/s (209715200 B/s)');
  assert.equal(c.get().recommendations[0].command, 'migrate-set-parameters');
});

test('Apply now may send only exactly what was offered, once; a replay offers nothing', () => {
  const b = started('10.2');
  b.observe(poll(1));
  const r = rec('downtime-limit', { 'downtime-limit': 900 });
  b.observe({ type: 'stuck', diagnosis, recommendations: [r, rec('auto-converge', null)] });
  assert.equal(b.offered('downtime-limit', { 'downtime-limit': 900 }), r);
  assert.equal(b.offered('downtime-limit', { 'downtime-limit': 901 }), undefined);
  assert.equal(b.offered('downtime-limit', { 'downtime-limit': 900, 'max-bandwidth': 0 }), undefined);
  assert.equal(b.offered('auto-converge', {}), undefined);
  b.observe({ type: 'applied', recommendation: r, command: 'migrate-set-parameters', arguments: { 'downtime-limit': 900 }, prediction: null, at: 0.7 });
  assert.equal(b.offered('downtime-limit', { 'downtime-limit': 900 }), undefined, 'applied once');
  const v = b.get();
  assert.deepEqual(v.marks, [{ t: 0.7, kind: 'applied', label: 'applied downtime-limit = 900 ms' }]);
  assert.equal(v.downtimeLimitMs, 900);
  assert.equal(v.recommendations[0].appliedAt, 0.7);
  b.observe(poll(2));
  assert.equal(b.get().points.at(-1)!.downtimeLimitMs, 900, 'the threshold after the change uses the new limit');
  const replayed = started('10.2', 'replay');
  replayed.observe(poll(1));
  replayed.observe({ type: 'stuck', diagnosis, recommendations: [r] });
  assert.equal(replayed.get().recommendations[0].command, null);
  assert.equal(replayed.get().canApply, false);
});

test('a long migration keeps at most MAX_POINTS polls: the first and the newest stay, older ones are thinned', () => {
  const b = started('10.2');
  for (let i = 1; i <= 5000; i++) b.observe(poll(i));
  const v = b.get();
  assert.ok(v.points.length <= MAX_POINTS && v.points.length > MAX_POINTS / 2, String(v.points.length));
  assert.equal(v.points[0].t, 0.5);
  assert.equal(v.points.at(-1)!.t, 2500);
  const ts = v.points.map((p) => p.t);
  assert.deepEqual(
    ts,
    [...ts].sort((a, c) => a - c),
    'in time order',
  );
  // The recent polls keep full resolution.
  assert.equal(ts.at(-1)! - ts.at(-2)!, 0.5);
});

test('the chart puts the change and the switchover where they happened, one tick per dirty sync', () => {
  const { view } = liveMessage('seed-10.2', 'replay');
  const m = buildLiveChart(view, 800, 600);
  const x = (t: number) => m.left + (t / m.xMax) * (m.right - m.left);
  const applied = m.markers.find((k) => k.kind === 'applied')!;
  assert.ok(Math.abs(applied.x - x(view.marks[0].t)) < 1e-6);
  const sw = m.markers.find((k) => k.kind === 'switchover')!;
  assert.ok(Math.abs(sw.x - x(view.end!.switchoverAt!)) < 1e-6);
  assert.equal(m.syncs.length, view.syncs.length);
  assert.deepEqual(
    m.panels.map((p) => p.series.map((s) => s.id)),
    [
      ['transferred', 'remaining', 'threshold', 'predicted', 'predicted-threshold'],
      ['measured', 'assumed', 'link'],
      ['expected-downtime', 'downtime-limit'],
      ['throttle'],
    ],
  );
  assert.ok(m.xMax >= view.end!.switchoverAt!);
  // Stuck and not yet applied: the prediction does not converge, so no predicted switchover mark.
  const stuck = buildLiveChart(liveMessage('seed-10.2', 'stuck').view, 800, 600);
  assert.equal(stuck.markers.length, 0);
});
