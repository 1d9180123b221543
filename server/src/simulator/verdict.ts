// Turns an engine run into the documented result: the verdict in words, the
// orchestrators' deadlines, and the warnings that need no extra simulation.
import type { Run } from './engine';
import { fidelityFor } from './fidelity';
import { GiB } from './model';
import { SIZE_MAX, type Config } from './scenario';
import type { OrchestratorMark, Recommendation, SimulationResult } from './types';

export const mb = (bytes: number) => {
  const v = bytes / 1e6;
  if (v >= 10000) return `${(v / 1000).toFixed(1)} GB`;
  return `${v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} MB`;
};
export const mbps = (bytesPerSecond: number) => `${mb(bytesPerSecond)}/s`;
export const secs = (ms: number) => `${ms >= 100_000 ? Math.round(ms / 1000) : (ms / 1000).toFixed(1)} s`;

/** Nova's libvirt driver defaults (docs/migration-model.md §2). */
export const NOVA = { downtimeMs: 500, steps: 10, delayPerGiB: 75, completionPerGiB: 800 };
export const KUBEVIRT = { completionPerGiB: 150 };

const novaGiB = (c: Config) => Math.max(2, c.ramBytes / GiB);

/** Nova's downtime ramp: step i at i*delay*GiB seconds, base + i*(d - base)/steps ms. */
export function novaSteps(c: Config): { atSeconds: number; downtimeLimitMs: number }[] {
  const delay = Math.trunc(NOVA.delayPerGiB * novaGiB(c));
  const base = NOVA.downtimeMs / NOVA.steps;
  const offset = (NOVA.downtimeMs - base) / NOVA.steps;
  return Array.from({ length: NOVA.steps + 1 }, (_, i) => ({ atSeconds: delay * i, downtimeLimitMs: Math.trunc(base + offset * i) }));
}

export function orchestratorMarks(c: Config): OrchestratorMark[] {
  const kubevirt = (KUBEVIRT.completionPerGiB * c.ramBytes) / GiB;
  const nova = Math.trunc(NOVA.completionPerGiB * novaGiB(c));
  return [
    {
      name: 'KubeVirt',
      seconds: round1(kubevirt),
      action: `cancels the migration (completionTimeoutPerGiB ${KUBEVIRT.completionPerGiB} s/GiB; switches to postcopy instead when allowPostCopy is set)`,
    },
    ...novaSteps(c)
      .slice(1)
      .map((s, i) => ({ name: 'Nova', seconds: s.atSeconds, action: `raises downtime-limit to ${s.downtimeLimitMs} ms (step ${i + 1} of ${NOVA.steps})` })),
    {
      name: 'Nova',
      seconds: nova,
      action: `live_migration_completion_timeout (${NOVA.completionPerGiB} s/GiB): aborts, or forces completion when live_migration_timeout_action is force_complete`,
    },
  ];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function deadlines(c: Config, atMs: number | null): string {
  const marks = orchestratorMarks(c).filter((m) => m.name === 'KubeVirt' || /timeout/.test(m.action));
  const passed = marks.filter((m) => atMs === null || atMs / 1000 > m.seconds);
  if (passed.length === 0) return '';
  const what = passed.map((m) =>
    m.name === 'KubeVirt'
      ? `KubeVirt cancels at ${m.seconds} s (${KUBEVIRT.completionPerGiB} s/GiB)`
      : `Nova aborts at ${m.seconds} s (${NOVA.completionPerGiB} s/GiB)`,
  );
  return atMs === null ? ` ${what.join('; ')}.` : ` That is after the orchestrators' deadlines: ${what.join('; ')}.`;
}

function threshold(c: Config, assumedPerMs: number, T: number, dl: number): string {
  const who = c.availSwitchoverBandwidth > 0 ? 'avail-switchover-bandwidth' : 'measured';
  return `${who} ${mbps(assumedPerMs * 1000)} x ${dl} ms = ${mb(T)}`;
}

function reason(c: Config, r: Run): string {
  const dl = r.downtimeLimitMs;
  if (r.mode === 'postcopy') {
    return (
      `Switches to postcopy at ${secs(r.switchoverMs!)} after ${r.syncCount - 1} dirty syncs (downtime ${Math.round(r.downtimeMs!)} ms); ` +
      `the rest of RAM follows from the running destination, complete at ${secs(r.completedMs!)}.${deadlines(c, r.completedMs)}`
    );
  }
  if (r.mode === 'precopy') {
    let s =
      `Converges: switches over at ${secs(r.switchoverMs!)} after ${r.syncCount - 1} dirty syncs, when ${mb(r.lastSyncPending)} pending fits under the threshold ` +
      `(${threshold(c, r.assumedBytesPerMs, r.threshold, dl)}). Real downtime ${Math.round(r.downtimeMs!)} ms against the ${dl} ms limit: ` +
      `the final copy runs with the VM stopped and no rate limit.`;
    if (r.throttlePercent > 0) s += ` auto-converge throttled the guest to ${r.throttlePercent}%.`;
    if (r.dirtyLimitOn) s += ' dirty-limit was applied.';
    return s + deadlines(c, r.switchoverMs);
  }
  const within = `Does not converge within ${secs(r.endMs)}`;
  let s: string;
  if (r.passes === 1 && r.syncCount <= 1) {
    s = `${within}: the first pass has not finished (${mb(r.pendingAtEnd)} of ${mb(c.ramBytes)} still to send, at ${mbps(r.measuredBytesPerMs * 1000)} measured).`;
  } else if (r.heldByAck) {
    s = `${within}: pending fitted under the threshold, but the destination had not acknowledged the switchover (switchover-ack).`;
  } else {
    s = `${within}: the threshold (${threshold(c, r.recentMaxAssumedPerMs, r.recentMaxThreshold, dl)}) stays below the ~${mb(r.lastSyncPending)} found dirty at each bitmap sync.`;
    if (c.autoConverge) s += ` auto-converge reached ${r.throttlePercent}% throttle.`;
    if (r.dirtyLimitOn) s += ` dirty-limit is applied but the guest still dirties too much.`;
  }
  return s + deadlines(c, null);
}

function warnings(c: Config, r: Run): Recommendation[] {
  const out: Recommendation[] = [];
  const asb = c.availSwitchoverBandwidth;
  const link = c.linkBytesPerMs * 1000;
  if (asb >= SIZE_MAX) {
    out.push({
      kind: 'warning',
      message:
        `avail-switchover-bandwidth is 2^64-1 (what -1 is stored as): the threshold is effectively infinite, so precopy becomes stop-and-copy ` +
        `at the first check and everything still dirty is sent with the VM stopped` +
        (r.downtimeMs !== null ? ` (real downtime ${Math.round(r.downtimeMs)} ms against a ${r.downtimeLimitMs} ms limit).` : '.'),
      parameters: { 'avail-switchover-bandwidth': Math.round(link) },
    });
  } else if (asb > link) {
    out.push({
      kind: 'warning',
      message:
        `avail-switchover-bandwidth ${mbps(asb)} is above the link's ${mbps(link)}: QEMU switches over with more pending than the link can send ` +
        `within downtime-limit` +
        (r.downtimeMs !== null ? ` (real downtime ${Math.round(r.downtimeMs)} ms against ${r.downtimeLimitMs} ms).` : '.'),
      parameters: { 'avail-switchover-bandwidth': Math.round(link) },
    });
  }
  if (r.downtimeMs !== null && r.mode === 'precopy' && r.downtimeMs > r.downtimeLimitMs && asb <= link) {
    out.push({
      kind: 'warning',
      message: `The real downtime (${Math.round(r.downtimeMs)} ms) exceeds downtime-limit (${r.downtimeLimitMs} ms): QEMU decides on the RAM estimate only (sync, device state and resume come on top).`,
    });
  }
  return out;
}

function notes(c: Config, r: Run): string[] {
  const n: string[] = [];
  if (c.cappedFromSeconds !== undefined) n.push(`maxSeconds ${c.cappedFromSeconds} is above the simulator's cap; simulated ${c.maxMs / 1000} s.`);
  if (r.windowStride > 1) n.push(`Long run: every ${r.windowStride}th window is listed, plus the last.`);
  if (c.ignored.length) n.push(`Not modelled, ignored: ${[...new Set(c.ignored)].join(', ')}.`);
  for (const w of c.warnings) n.push(`${w}; the model assumes QEMU accepts it.`);
  if (r.loopGuardHit) n.push('The simulation stopped early at its loop guard; the verdict covers the time simulated.');
  return n;
}

export function toResult(c: Config, r: Run): SimulationResult {
  return {
    converged: r.mode !== null,
    switchoverSeconds: r.switchoverMs === null ? null : round3(r.switchoverMs / 1000),
    dirtySyncCount: r.syncCount,
    downtimeMs: r.downtimeMs === null ? null : round1(r.downtimeMs),
    downtimeLimitMs: r.downtimeLimitMs,
    transferredBytes: Math.round(r.transferredBytes),
    reason: reason(c, r),
    recommendations: warnings(c, r),
    orchestrators: orchestratorMarks(c),
    windows: r.windows,
    mode: r.mode,
    completedSeconds: r.completedMs === null ? null : round3(r.completedMs / 1000),
    simulatedSeconds: round3(r.endMs / 1000),
    windowStride: r.windowStride,
    lastSyncPendingBytes: Math.round(r.lastSyncPending),
    finalThrottlePercent: r.throttlePercent,
    notes: notes(c, r),
    fidelity: fidelityFor(c),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
