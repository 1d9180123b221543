// A watched migration as a JSONL recording, the shape of bench/recordings-7.2 (header,
// poll, event, final lines), and back: replaying one through the same predictor gives
// the same samples, predictions and diagnosis as the live session, and its inputs
// become a simulator scenario (what a live session lets the simulator calibrate from).
import type { Scenario } from '../simulator/index';
import { LivePredictor, type LiveContext, type Prediction } from './predict';
import { FINISHED, toSample, type MigrationSample } from './sample';
import { type Observation, startObservation } from './watch';

type Json = Record<string, unknown>;

/** query-migrate `ram` fields kept per poll (as in bench/recordings-7.2, plus page-size). */
const RAM_FIELDS = ['total', 'transferred', 'remaining', 'duplicate', 'normal', 'dirty-sync-count', 'mbps', 'dirty-pages-rate', 'page-size'];

export class RecordingWriter {
  private lines: string[] = [];
  private header: Json | null = null;

  constructor(
    private readonly label: string,
    private readonly name = 'live',
  ) {}

  observe(o: Observation): void {
    switch (o.type) {
      case 'start':
        this.header = {
          type: 'header',
          name: this.name,
          description: `watched live on ${this.label}`,
          source: 'qapi-qmp watch',
          qemu: o.qemu,
          wall_start: new Date().toISOString(),
          link_bytes_per_s: o.link,
          vcpus: o.vcpus,
          params_effective: o.parameters,
          capabilities_effective: Object.entries(o.capabilities).map(([capability, state]) => ({ capability, state })),
          // The fields bench/recordings-7.2 headers carry, from what QMP shows.
          downtime_limit_ms: o.parameters['downtime-limit'] ?? null,
          max_bandwidth_MiBps: typeof o.parameters['max-bandwidth'] === 'number' ? (o.parameters['max-bandwidth'] as number) / 2 ** 20 : null,
          auto_converge: !!o.capabilities['auto-converge'],
        };
        this.lines.push(JSON.stringify(this.header) + '\n');
        break;
      case 'sample':
        this.lines.push(JSON.stringify(pollLine(o.sample, o.raw)) + '\n');
        break;
      case 'applied':
        this.lines.push(
          JSON.stringify({ type: 'event', t: o.at ?? o.prediction?.at ?? null, event: o.command, arguments: o.arguments, kind: o.recommendation.kind }) + '\n',
        );
        break;
      case 'event':
        this.lines.push(JSON.stringify({ type: 'event', t: o.t, event: o.event, data: o.data ?? null }) + '\n');
        break;
      case 'end':
        this.lines.push(JSON.stringify({ type: 'final', status: o.status, real_switchover_s: o.realSwitchoverAt }) + '\n');
        break;
      default:
        break;
    }
  }

  /** Lines written since the last drain. */
  drain(): string[] {
    const out = this.lines;
    this.lines = [];
    return out;
  }
}

function pollLine(s: MigrationSample, raw: unknown): Json {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Json;
  const ram = (r.ram && typeof r.ram === 'object' ? r.ram : {}) as Json;
  const slim: Json = {};
  for (const f of RAM_FIELDS) if (f in ram) slim[f] = ram[f];
  return {
    type: 'poll',
    t: Math.round(s.t * 1e4) / 1e4,
    status: s.status,
    'total-time': r['total-time'] ?? null,
    'setup-time': r['setup-time'] ?? null,
    'expected-downtime': r['expected-downtime'] ?? null,
    downtime: r.downtime ?? null,
    'cpu-throttle-percentage': r['cpu-throttle-percentage'] ?? null,
    ram: slim,
    guest_pages: null,
  };
}

export interface ParsedRecording {
  header: Json;
  lines: Json[];
}

export function parseRecordingText(text: string): ParsedRecording {
  const lines: Json[] = [];
  text.split('\n').forEach((l, i) => {
    if (!l.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
    if (!v || typeof v !== 'object' || typeof (v as Json).type !== 'string') throw new Error(`line ${i + 1} is not a recording line (no "type")`);
    lines.push(v as Json);
  });
  const header = lines.find((l) => l.type === 'header');
  if (!header) throw new Error('the recording has no header line');
  return { header, lines };
}

/** The context a recording was made in (QEMU version, parameters, link). */
export function contextOf(rec: ParsedRecording, link?: number | null): LiveContext {
  const h = rec.header;
  const caps = Array.isArray(h.capabilities_effective) ? (h.capabilities_effective as { capability: string; state: boolean }[]) : [];
  const params = (h.params_effective && typeof h.params_effective === 'object' ? { ...(h.params_effective as Json) } : {}) as Json;
  // Recordings made by test/qemu/migration keep the parameters in params_set too.
  if (h.params_set && typeof h.params_set === 'object') Object.assign(params, h.params_set as Json);
  const v = /^(\d+)\.(\d+)/.exec(String(h.qemu ?? ''));
  return {
    qemuVersion: v ? `${v[1]}.${v[2]}` : '10.2',
    parameters: params,
    capabilities: Object.fromEntries(caps.map((c) => [String(c.capability), !!c.state])),
    linkBytesPerSecond:
      link ?? (typeof h.link_bytes_per_s === 'number' ? h.link_bytes_per_s : typeof h.pipe_bytes_per_s === 'number' ? h.pipe_bytes_per_s : null),
    vcpus: typeof h.vcpus === 'number' ? h.vcpus : 1,
  };
}

/** Replays the polls through the predictor; parameter changes recorded as events take effect at their place. */
export function* replay(rec: ParsedRecording, link?: number | null): Generator<Observation> {
  const context = contextOf(rec, link);
  const predictor = new LivePredictor(context);
  yield startObservation(context);
  let reported = false;
  const predictions: Prediction[] = [];
  for (const l of rec.lines) {
    if (l.type === 'event' && l.event === 'migrate-set-parameters' && l.arguments && typeof l.arguments === 'object') {
      context.parameters = { ...context.parameters, ...(l.arguments as Json) };
      const p = predictor.repredict();
      if (p) predictions.push(p);
      const args = l.arguments as Record<string, number>;
      yield {
        type: 'applied',
        command: 'migrate-set-parameters',
        arguments: args,
        prediction: p,
        ...(typeof l.t === 'number' ? { at: l.t } : {}),
        recommendation: {
          kind: String(l.kind ?? 'recorded'),
          message: 'recorded change',
          rank: 0,
          apply: args,
          predictedSwitchoverSeconds: null,
          predictedDowntimeMs: null,
        },
      };
      continue;
    }
    if (l.type !== 'poll') continue;
    const sample = toSample(Number(l.t ?? 0), l);
    const newSync = predictor.add(sample);
    if (newSync && predictor.prediction) predictions.push(predictor.prediction);
    yield { type: 'sample', sample, raw: l, prediction: predictor.prediction, newSync, sync: newSync ? predictor.syncs.at(-1) : undefined };
    if (FINISHED.has(sample.status)) {
      const real =
        sample.status === 'completed' && sample.totalTimeMs !== null && sample.downtimeMs !== null ? (sample.totalTimeMs - sample.downtimeMs) / 1000 : null;
      yield { type: 'end', status: sample.status, sample, realSwitchoverAt: real, lastPrediction: predictor.prediction, predictionsBeforeEnd: predictions };
      return;
    }
    if (newSync && !reported) {
      const d = predictor.diagnose(sample);
      if (d.stuck) {
        reported = true;
        const available = { parameters: new Set(Object.keys(context.parameters)), capabilities: new Set(Object.keys(context.capabilities)) };
        yield { type: 'stuck', diagnosis: d, recommendations: predictor.recommendations(sample, d, available) };
      }
    }
  }
}

/**
 * The whole migration as a simulator scenario, from what the recording shows: RAM and
 * its zero pages at the end of the first pass, the working set and dirty rate fitted at
 * the syncs (as the live prediction does), QEMU's measured rate against the link, and
 * the parameters in force at the start. `simulate()` on it should reproduce the
 * recording's first pass and verdict (test/live/recording.test.ts).
 */
export function scenarioFromRecording(rec: ParsedRecording, link?: number | null): Scenario {
  const context = contextOf(rec, link);
  const initial = { ...context.parameters };
  const predictor = new LivePredictor(context);
  let firstPassEnd: MigrationSample | null = null,
    last: MigrationSample | null = null;
  for (const l of rec.lines) {
    if (l.type === 'event' && l.event === 'migrate-set-parameters') break; // the workload before any change
    if (l.type !== 'poll') continue;
    const sample = toSample(Number(l.t ?? 0), l);
    if (sample.status !== 'active') continue;
    predictor.add(sample);
    if (!firstPassEnd && (sample.ram.dirtySyncCount ?? 0) >= 2) firstPassEnd = sample;
    last = sample;
  }
  if (!firstPassEnd || !last) throw new Error('the recording has no active poll after the first pass (no dirty sync seen)');
  const tail = predictor.scenario(last);
  const total = firstPassEnd.ram.total ?? 0;
  const page = firstPassEnd.ram.pageSize ?? 4096;
  const zero = Math.min(0.99, ((firstPassEnd.ram.duplicate ?? 0) * page) / Math.max(1, total));
  const params = { ...tail.parameters };
  for (const k of Object.keys(params)) if (typeof initial[k] === 'number' || typeof initial[k] === 'boolean') params[k] = initial[k] as number | boolean;
  return {
    ...tail,
    guest: { ...tail.guest, ramBytes: total, zeroPageFraction: zero, zeroPagesAt: 'end' },
    parameters: params,
    maxSeconds: Math.max(60, Math.ceil((last.totalTimeMs ?? 0) / 1000) * 2),
  };
}
