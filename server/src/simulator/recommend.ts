// Recommendations found by simulating, not by rules of thumb: each one is the
// smallest change (by bisection over whole simulations) that makes the scenario
// converge, with the outcome of that simulation.
import { runPrecopy, type Run } from './engine';
import { atLeast, BEHAVIOUR, hasParameter, inRange, MIGRATION_CAPABILITIES } from '../migration/index';
import { configure, HARD_CAP_SECONDS, type Config } from './scenario';
import type { Recommendation, Scenario } from './types';
import { mb, mbps, novaSteps, NOVA, secs } from './verdict';

const MiB = 2 ** 20;
const DIRTY_LIMIT_SINCE = MIGRATION_CAPABILITIES.find((f) => f.name === 'dirty-limit')!.since;
const MAX_DOWNTIME_MS = 2_000_000;

const converges = (c: Config): Run | null => {
  const r = runPrecopy(c, false);
  return r.mode !== null ? r : null;
};
const outcome = (r: Run) => `switches over at ${secs(r.switchoverMs!)} with a real downtime of ${Math.round(r.downtimeMs!)} ms`;

/** Smallest value in (lo, hi] for which `ok` holds, assuming ok(hi); integer steps of `unit`. */
function bisect(lo: number, hi: number, unit: number, ok: (v: number) => boolean): number {
  for (let i = 0; i < 40 && hi - lo > unit; i++) {
    const mid = Math.floor((lo + hi) / 2 / unit) * unit;
    if (mid <= lo) break;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function availSwitchoverBandwidth(c: Config): Recommendation | null {
  if (!hasParameter(c.version, 'avail-switchover-bandwidth')) return null;
  const link = Math.floor(c.linkBytesPerMs * 1000);
  const at = (asb: number) => converges({ ...c, availSwitchoverBandwidth: asb });
  if (!at(link)) {
    return {
      kind: 'avail-switchover-bandwidth',
      message: `Even avail-switchover-bandwidth at the link speed (${mbps(link)}) does not converge: the guest dirties more between syncs than the link can send within downtime-limit.`,
    };
  }
  const best = Math.min(
    link,
    bisect(0, Math.ceil(link / MiB) * MiB, MiB, (v) => at(Math.min(v, link)) !== null),
  );
  const r = at(best)!;
  return {
    kind: 'avail-switchover-bandwidth',
    message: `Set avail-switchover-bandwidth to at least ${mbps(best)} (${Math.round(best / MiB)} MiB/s): it ${outcome(r)}. Keep it at or below what the link really gives the migration (${mbps(link)}).`,
    parameters: { 'avail-switchover-bandwidth': best },
    switchoverSeconds: r.switchoverMs! / 1000,
    downtimeMs: Math.round(r.downtimeMs!),
  };
}

function downtimeLimit(c: Config): Recommendation | null {
  const at = (dl: number) => converges({ ...c, downtimeLimitMs: dl, downtimeSteps: [] });
  if (!at(MAX_DOWNTIME_MS)) return null;
  const best = bisect(c.downtimeLimitMs, MAX_DOWNTIME_MS, 1, (v) => at(v) !== null);
  const r = at(best)!;
  return {
    kind: 'downtime-limit',
    message: `downtime-limit ${best} ms is the smallest that converges: it ${outcome(r)}.`,
    parameters: { 'downtime-limit': best },
    switchoverSeconds: r.switchoverMs! / 1000,
    downtimeMs: Math.round(r.downtimeMs!),
  };
}

function maxBandwidth(c: Config): Recommendation | null {
  if (c.maxBandwidth === 0 || c.maxBandwidth >= c.linkBytesPerMs * 1000) return null;
  const r = converges({ ...c, maxBandwidth: 0 });
  return {
    kind: 'max-bandwidth',
    message: r
      ? `max-bandwidth caps precopy at ${mbps(c.maxBandwidth)} on a ${mbps(c.linkBytesPerMs * 1000)} link; with max-bandwidth 0 (no cap) it ${outcome(r)}.`
      : `Lifting max-bandwidth (${mbps(c.maxBandwidth)}, 0 = no cap) alone does not converge.`,
    ...(r ? { parameters: { 'max-bandwidth': 0 }, switchoverSeconds: r.switchoverMs! / 1000, downtimeMs: Math.round(r.downtimeMs!) } : {}),
  };
}

function throttling(c: Config): Recommendation[] {
  const out: Recommendation[] = [];
  if (!c.autoConverge && !c.dirtyLimit) {
    const r = runPrecopy({ ...c, autoConverge: true, forcedSyncTimer: atLeast(c.version, BEHAVIOUR.dirtySyncTimer.since) }, false);
    out.push(
      r.mode
        ? {
            kind: 'auto-converge',
            message: `Enable auto-converge: it ${outcome(r)}, with the guest's vCPUs throttled to ${r.throttlePercent}%.`,
            capabilities: { 'auto-converge': true },
            switchoverSeconds: r.switchoverMs! / 1000,
            downtimeMs: Math.round(r.downtimeMs!),
          }
        : { kind: 'auto-converge', message: `auto-converge does not converge within ${secs(r.endMs)} either (throttle reached ${r.throttlePercent}%).` },
    );
  }
  if (!c.autoConverge && !c.dirtyLimit && inRange(c.version, DIRTY_LIMIT_SINCE)) {
    const r = runPrecopy({ ...c, dirtyLimit: true }, false);
    out.push(
      r.mode
        ? {
            kind: 'dirty-limit',
            message: `Enable dirty-limit (needs KVM's dirty ring): with vcpu-dirty-limit ${c.dirtyLimitMBps} MB/s per vCPU it ${outcome(r)}.`,
            capabilities: { 'dirty-limit': true },
            switchoverSeconds: r.switchoverMs! / 1000,
            downtimeMs: Math.round(r.downtimeMs!),
          }
        : {
            kind: 'dirty-limit',
            message: `dirty-limit (vcpu-dirty-limit ${c.dirtyLimitMBps} MB/s per vCPU) does not converge within ${secs(r.endMs)} either.`,
          },
    );
  }
  return out;
}

function novaRamp(c: Config): Recommendation {
  const steps = novaSteps(c);
  const timeoutS = Math.trunc(NOVA.completionPerGiB * Math.max(2, c.ramBytes / 2 ** 30));
  const ramp = {
    ...c,
    downtimeSteps: steps.map((s) => ({ atMs: s.atSeconds * 1000, downtimeLimitMs: s.downtimeLimitMs })),
    maxMs: Math.min(timeoutS, HARD_CAP_SECONDS) * 1000,
  };
  const r = runPrecopy(ramp, false);
  const message = r.mode
    ? `Under Nova's downtime ramp (${steps[0].downtimeLimitMs} to ${NOVA.downtimeMs} ms, a step every ${steps[1].atSeconds} s) it converges at downtime-limit ${r.downtimeLimitMs} ms: it ${outcome(r)}, before Nova's ${timeoutS} s timeout.`
    : `Under Nova's downtime ramp (up to ${NOVA.downtimeMs} ms) it still does not converge before Nova's ${timeoutS} s timeout (pending at each sync ~${mb(r.lastSyncPending)}).`;
  return { kind: 'orchestrator', message, ...(r.mode ? { switchoverSeconds: r.switchoverMs! / 1000, downtimeMs: Math.round(r.downtimeMs!) } : {}) };
}

/** What would make a non-converging scenario converge (empty when it converges). */
export function recommend(scenario: Scenario): Recommendation[] {
  const c = configure(scenario);
  if (runPrecopy(c, false).mode !== null) return [];
  return [availSwitchoverBandwidth(c), downtimeLimit(c), maxBandwidth(c), ...throttling(c), novaRamp(c)].filter((r): r is Recommendation => r !== null);
}
