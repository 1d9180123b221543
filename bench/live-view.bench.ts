// Live mode of the convergence preview (server/src/live/liveView.ts): what one poll costs
// the language server (the poll folded into the view, the view as the JSON sent to the
// page), what a new dirty sync costs (the prediction's curve simulated again), the page's
// chart geometry, and a whole committed recording replayed (QEMU: Replay Migration Recording…).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveViewBuilder, MAX_POINTS } from '../server/src/live/liveView';
import { parseRecordingText, replay } from '../server/src/live/recording';
import { toSample } from '../server/src/live/sample';
import type { Observation } from '../server/src/live/watch';
import { buildLiveChart } from '../webview/src/liveChart';
import { register, stats, time, type BenchResult } from './registry';

const cpuMs = (f: () => void) => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};

register({
  name: 'live-view',
  run() {
    const out: BenchResult[] = [];
    const b = new LiveViewBuilder({ source: 'live', title: 'QEMU 10.2 at unix:/run/vm.qmp', linkNote: 'from the header', intervalMs: 500 });
    b.observe({
      type: 'start',
      qemu: '10.2',
      parameters: { 'downtime-limit': 300, 'max-bandwidth': 33554432, 'avail-switchover-bandwidth': 0 },
      capabilities: {},
      link: 1e9,
      vcpus: 1,
    });
    // A long migration: polls every 100 ms, a dirty sync every 10 (the view is full: MAX_POINTS).
    const poll = (i: number): Observation => ({
      type: 'sample',
      sample: toSample(i / 10, {
        status: 'active',
        'total-time': i * 100,
        'expected-downtime': 1000,
        ram: {
          total: 268967936,
          transferred: i * 3e6,
          remaining: 3e7 + (i % 7) * 1e6,
          'dirty-sync-count': 1 + Math.floor(i / 10),
          mbps: 270,
          'dirty-pages-rate': 8000,
          'page-size': 4096,
        },
      }),
      raw: {},
      prediction: null,
      newSync: false,
    });
    for (let i = 0; i < 3000; i++) b.observe(poll(i));
    const samples = Array.from({ length: 300 }, (_, i) => time(() => JSON.stringify(b.get()) && b.observe(poll(3000 + i))));
    const bytes = JSON.stringify(b.get()).length;
    const s = stats(samples);
    out.push({
      name: `one poll into a full view (${MAX_POINTS} points) + the view's JSON`,
      value: Number(s.median.toFixed(2)),
      unit: 'ms',
      reference: 'under the 100 ms fastest poll interval',
      detail: `p99 ${s.p99.toFixed(2)} ms; ${(bytes / 1024).toFixed(0)} kB sent to the page per poll`,
    });

    // The committed recordings, replayed: every poll, each sync's prediction and its curve, the diagnosis and recommendations.
    for (const name of ['seed-10.2', 'stuck-7.2']) {
      const text = readFileSync(join(__dirname, '..', 'recordings-live', `${name}.jsonl`), 'utf8');
      const once = () => {
        const v = new LiveViewBuilder({ source: 'replay', title: name, linkNote: 'recording' });
        for (const o of replay(parseRecordingText(text))) v.observe(o);
        return v.get();
      };
      once();
      const runs = Array.from({ length: 10 }, () => time(once));
      const cpu = cpuMs(once);
      const v = once();
      out.push({
        name: `replay ${name}.jsonl into the live view`,
        value: Number(stats(runs).median.toFixed(1)),
        unit: 'ms',
        detail: `CPU ${cpu.toFixed(1)} ms for one run; ${v.points.length} polls, ${v.predictions.length} predictions (each simulated twice: the predictor's verdict, the curve), the recommendations`,
      });
      const geometry = Array.from({ length: 50 }, () => time(() => buildLiveChart(v, 760, 570)));
      out.push({ name: `live chart geometry (${name})`, value: Number(stats(geometry).median.toFixed(2)), unit: 'ms' });
    }
    const full = b.get();
    const geometry = Array.from({ length: 50 }, () => time(() => buildLiveChart(full, 760, 570)));
    out.push({ name: `live chart geometry (${full.points.length} points)`, value: Number(stats(geometry).median.toFixed(2)), unit: 'ms' });
    return out;
  },
});
