// The simulator fed with what a running migration shows. Pure: samples in, verdicts out,
// so the CLI, the editor and a replayed recording all reach the same conclusions.
//
// QMP does not report the workload, so it is estimated at each dirty sync:
//  - pending at the sync = max(remaining at the first poll after it, expected-downtime x
//    the bandwidth it was computed with): QEMU computes expected-downtime from the bytes
//    found dirty by the last sync (7.2: ram_counters.remaining, 8.2+: dirty_bytes_last_sync);
//  - working set W = the largest pending at a sync since the first pass;
//  - dirty rate D = max(dirty-pages-rate x page size, pending / time between syncs).
// The prediction simulates "from now": RAM still to send plus the working set, with
// the parameters in force now. QEMU's time of the prediction is added, so the figure
// is comparable with total-time at the real switchover.
import { MODELLED_PARAMETERS, recommend, simulate, type Recommendation, type Scenario } from '../simulator/index';
import { measuredBytesPerSecond, SENDING, type MigrationSample } from './sample';

export interface LiveContext {
  /** "X.Y" of the connected QEMU. */
  qemuVersion: string;
  /** query-migrate-parameters as QEMU returned it (kept up to date after changes). */
  parameters: Record<string, unknown>;
  /** query-migrate-capabilities as a map. */
  capabilities: Record<string, boolean>;
  /** The link the user says the migration has, bytes/s; null = unknown. */
  linkBytesPerSecond: number | null;
  vcpus: number;
}

export interface SyncPoint {
  count: number;
  /** QEMU time (s) of the poll that saw it. */
  at: number;
  pendingBytes: number;
  thresholdBytes: number;
}

export interface Prediction {
  /** QEMU time (s) when predicted. */
  at: number;
  converges: boolean;
  /** QEMU time (s, like total-time) of the predicted switchover. */
  switchoverAt: number | null;
  downtimeMs: number | null;
  reason: string;
  scenario: Scenario;
}

export interface Diagnosis {
  stuck: boolean;
  /** The seed's case: QEMU's measured bandwidth far below the link, and its threshold below what stays dirty at each sync. */
  seedCase: boolean;
  measuredBytesPerSecond: number;
  thresholdBytes: number;
  pendingAtSyncBytes: number;
  message: string;
}

const MiB = 2 ** 20;
/** Syncs after the first pass needed before calling a migration stuck. */
export const STUCK_SYNCS = 3;
/** "Far below the link": QEMU measures at most this share of it. */
export const SEED_SHARE = 0.25;
const PREDICT_SECONDS = 300;

export const mib = (b: number) => `${(b / MiB).toFixed(b < 10 * MiB ? 1 : 0)} MiB`;
export const mibps = (b: number) => `${(b / MiB).toFixed(b < 10 * MiB ? 1 : 0)} MiB/s`;

export class LivePredictor {
  readonly syncs: SyncPoint[] = [];
  prediction: Prediction | null = null;
  private last: MigrationSample | null = null;
  private lastCount = 0;

  constructor(public context: LiveContext) {}

  asb(): number {
    const v = Number(this.context.parameters['avail-switchover-bandwidth'] ?? 0);
    return Number.isFinite(v) ? v : 0;
  }

  downtimeLimitMs(): number {
    return Number(this.context.parameters['downtime-limit'] ?? 300);
  }

  thresholdBytes(s: MigrationSample): number {
    const bw = this.asb() || measuredBytesPerSecond(s);
    return (bw * this.downtimeLimitMs()) / 1000;
  }

  /** Adds a poll; returns true when it saw a new dirty sync (and so re-predicted). */
  add(s: MigrationSample): boolean {
    this.last = s;
    const count = s.ram.dirtySyncCount ?? 0;
    if (!SENDING.has(s.status) || count <= this.lastCount) return false;
    this.lastCount = count;
    // Count 1 is the setup sync; later ones find what the guest dirtied.
    if (count >= 2) {
      const bw = this.asb() || measuredBytesPerSecond(s);
      const fromExpected = s.ram.dirtyPagesRate && s.expectedDowntimeMs !== null ? (s.expectedDowntimeMs * bw) / 1000 : 0;
      this.syncs.push({
        count,
        at: (s.totalTimeMs ?? 0) / 1000,
        pendingBytes: Math.max(s.ram.remaining ?? 0, fromExpected),
        thresholdBytes: this.thresholdBytes(s),
      });
      if (this.syncs.length > 1000) this.syncs.splice(0, this.syncs.length - 1000);
    }
    // Before the first pass ends nothing says what the guest dirties: no prediction yet.
    this.prediction = this.syncs.length ? this.predict(s) : null;
    return true;
  }

  /** After a change of parameters: the context is updated and the prediction redone from the last poll. */
  repredict(): Prediction | null {
    if (this.last && SENDING.has(this.last.status) && this.syncs.length) this.prediction = this.predict(this.last);
    return this.prediction;
  }

  workingSetBytes(): number {
    return Math.max(0, ...this.syncs.slice(-10).map((p) => p.pendingBytes));
  }

  /**
   * The model dirties W uniformly at random; a real guest may sweep it. The rate is
   * fitted so the model leaves the share of W dirty that the recent syncs found, over
   * the mean time between syncs (a share of 95% or more counts as saturated).
   */
  dirtyBytesPerSecond(s: MigrationSample): number {
    const page = s.ram.pageSize ?? 4096;
    const fromRate = (s.ram.dirtyPagesRate ?? 0) * page;
    const recent = this.syncs.slice(-6);
    const W = this.workingSetBytes();
    if (recent.length < 2 || W <= 0) return fromRate;
    const first = recent[0],
      last = recent[recent.length - 1];
    const interval = (last.at - first.at) / Math.max(1, last.count - first.count);
    if (!(interval > 0)) return fromRate;
    const tail = recent.slice(-3);
    const share = Math.min(0.95, tail.reduce((a, p) => a + p.pendingBytes, 0) / tail.length / W);
    return Math.max(fromRate, (-W / interval) * Math.log(1 - share));
  }

  /** The link, or (unknown) the fastest the migration was seen or allowed to go. */
  link(s: MigrationSample): { bytesPerSecond: number; assumed: boolean } {
    if (this.context.linkBytesPerSecond) return { bytesPerSecond: this.context.linkBytesPerSecond, assumed: false };
    const cap = Number(this.context.parameters['max-bandwidth'] ?? 0);
    return { bytesPerSecond: Math.max(cap, measuredBytesPerSecond(s), 1e6), assumed: true };
  }

  scenario(s: MigrationSample): Scenario {
    const total = s.ram.total ?? 0;
    const remaining = s.ram.remaining ?? total;
    const W = this.workingSetBytes();
    const firstPass = this.syncs.length === 0;
    const scanned = (s.ram.duplicate ?? 0) + (s.ram.normal ?? 0);
    const zeroShare = firstPass && scanned > 0 ? (s.ram.duplicate ?? 0) / scanned : 0;
    const ram = Math.max(remaining, W, 4096);
    const link = this.link(s);
    const cap = Number(this.context.parameters['max-bandwidth'] ?? 0);
    const measured = measuredBytesPerSecond(s);
    // The cap explains the measured rate when it is close to it; otherwise the thread is
    // busy (the seed's case) and sends only this share of the link.
    const capBinds = cap > 0 && measured >= 0.85 * Math.min(cap, link.bytesPerSecond);
    const efficiency = capBinds || measured <= 0 ? 1 : Math.min(1, measured / link.bytesPerSecond);
    const parameters: Scenario['parameters'] = {};
    for (const [k, v] of Object.entries(this.context.parameters)) {
      if (typeof v === 'number' || typeof v === 'boolean') parameters[k] = v;
    }
    return {
      qemuVersion: this.context.qemuVersion,
      guest: {
        ramBytes: ram,
        workingSetBytes: Math.min(W, ram),
        dirtyBytesPerSecond: W > 0 ? this.dirtyBytesPerSecond(s) : 0,
        zeroPageFraction: Math.min(0.99, zeroShare),
        vcpus: Math.max(1, this.context.vcpus),
        zeroPagesAt: 'spread',
      },
      link: { bytesPerSecond: link.bytesPerSecond, sendingEfficiency: Math.max(0.001, efficiency) },
      // One thread into whatever the link is: the model's separate per-thread cap must not bind first.
      host: { perChannelBytesPerSecond: Math.max(link.bytesPerSecond, 1e6) },
      parameters: pickKnown(parameters),
      capabilities: { ...this.context.capabilities },
      maxSeconds: PREDICT_SECONDS,
    };
  }

  private predict(s: MigrationSample): Prediction {
    const at = (s.totalTimeMs ?? 0) / 1000;
    const scenario = this.scenario(s);
    try {
      const r = simulate(scenario);
      return {
        at,
        converges: r.converged,
        switchoverAt: r.converged ? at + r.switchoverSeconds! : null,
        downtimeMs: r.downtimeMs,
        reason: r.reason,
        scenario,
      };
    } catch (e) {
      return { at, converges: false, switchoverAt: null, downtimeMs: null, reason: `no prediction: ${(e as Error).message}`, scenario };
    }
  }

  /** Stuck: the last STUCK_SYNCS syncs all left more dirty than the threshold, and the simulator agrees it will not converge. */
  diagnose(s: MigrationSample): Diagnosis {
    const measured = measuredBytesPerSecond(s);
    const T = this.thresholdBytes(s);
    const recent = this.syncs.slice(-STUCK_SYNCS);
    const pending = recent.length ? Math.min(...recent.map((p) => p.pendingBytes)) : 0;
    const stuck =
      SENDING.has(s.status) &&
      recent.length >= STUCK_SYNCS &&
      recent.every((p) => p.pendingBytes > p.thresholdBytes) &&
      pending > T &&
      this.prediction !== null &&
      !this.prediction.converges;
    const link = this.context.linkBytesPerSecond;
    const seedCase = stuck && link !== null && measured > 0 && measured <= SEED_SHARE * link;
    const why = `threshold ${this.asb() ? 'avail-switchover-bandwidth' : `measured ${mibps(measured)}`} x downtime-limit ${this.downtimeLimitMs()} ms = ${mib(T)}, below the ~${mib(pending)} left dirty at each of the last ${recent.length} syncs`;
    const message = !stuck
      ? 'not stuck'
      : seedCase
        ? `stuck, the seed's case: QEMU measures ${mibps(measured)} on a ${mibps(link!)} link; ${why}`
        : `stuck: ${why}`;
    return { stuck, seedCase, measuredBytesPerSecond: measured, thresholdBytes: T, pendingAtSyncBytes: pending, message };
  }

  /**
   * What to change, from the simulator, limited to what this QEMU has and can change
   * during a migration, best first: avail-switchover-bandwidth in the seed's case (it
   * changes only the decision, not the guest or the traffic), then downtime-limit,
   * max-bandwidth, and auto-converge (a capability: QEMU refuses it while migrating).
   */
  recommendations(s: MigrationSample, diagnosis: Diagnosis, available: { parameters: Set<string>; capabilities: Set<string> }): LiveRecommendation[] {
    let recs: Recommendation[];
    try {
      recs = recommend(this.scenario(s));
    } catch {
      return [];
    }
    const rank = (k: string) =>
      k === 'avail-switchover-bandwidth' ? (diagnosis.seedCase ? 0 : 2) : k === 'downtime-limit' ? 1 : k === 'max-bandwidth' ? 3 : 4;
    const out: LiveRecommendation[] = [];
    for (const r of recs) {
      if (!['avail-switchover-bandwidth', 'downtime-limit', 'max-bandwidth', 'auto-converge'].includes(r.kind)) continue;
      const params = r.parameters ?? {};
      const caps = r.capabilities ?? {};
      if (Object.keys(params).some((p) => !available.parameters.has(p))) continue;
      if (Object.keys(caps).some((c) => !available.capabilities.has(c))) continue;
      const applicable = Object.keys(params).length > 0 && Object.keys(caps).length === 0;
      out.push({
        kind: r.kind,
        message: `${r.message} (simulated from now)`,
        rank: rank(r.kind),
        apply: applicable ? withMargin(params, this.link(s).bytesPerSecond) : null,
        notApplicable: applicable
          ? undefined
          : Object.keys(caps).length
            ? 'a capability: QEMU refuses migrate-set-capabilities while a migration runs (set it before the next one)'
            : 'the simulator found no value that converges',
        predictedSwitchoverSeconds: r.switchoverSeconds ?? null,
        predictedDowntimeMs: r.downtimeMs ?? null,
      });
    }
    if (diagnosis.seedCase && !available.parameters.has('avail-switchover-bandwidth')) {
      out.push({
        kind: 'avail-switchover-bandwidth',
        rank: 5,
        apply: null,
        predictedSwitchoverSeconds: null,
        predictedDowntimeMs: null,
        message: 'avail-switchover-bandwidth, made for exactly this case, would tell QEMU the real bandwidth for the switchover decision',
        notApplicable: `QEMU ${this.context.qemuVersion} does not have it (it came in 8.2)`,
      });
    }
    return out.sort((a, b) => a.rank - b.rank);
  }
}

export interface LiveRecommendation {
  kind: string;
  message: string;
  rank: number;
  /** The migrate-set-parameters arguments to send, or null when it cannot be applied live. */
  apply: Record<string, number> | null;
  notApplicable?: string;
  /** Seconds from now, by the simulator, with the simulator's smallest value. */
  predictedSwitchoverSeconds: number | null;
  predictedDowntimeMs: number | null;
}

/** Margin over the simulator's smallest value: the working set is estimated from below. */
export const MARGIN = 1.5;

function withMargin(params: Record<string, unknown>, link: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(params)) {
    const n = Number(v);
    if (k === 'avail-switchover-bandwidth') out[k] = Math.round(Math.min(link, n * MARGIN));
    else if (k === 'downtime-limit') out[k] = Math.min(2_000_000, Math.ceil(n * MARGIN));
    else out[k] = n;
  }
  return out;
}

/** Parameters the simulator reads (the rest of query-migrate-parameters is not its business). */
function pickKnown(p: Scenario['parameters']): Scenario['parameters'] {
  const out: Scenario['parameters'] = {};
  for (const k of MODELLED_PARAMETERS) if (p[k] !== undefined) out[k] = p[k];
  return out;
}
