// QEMU's precopy loop at its own granularity (docs/migration-model.md §1, §3.3), as
// migration.c migration_thread runs it: migration_iteration_run (estimate, exact sync
// when under the threshold, the version's switchover rule) -> ram_save_iterate (a body
// of up to 50 ms or until the window's byte budget is used) -> migration_rate_limit
// (sleep to the window end; migration_update_counters sets the threshold from the
// window's bandwidth) -> at switchover, migration_completion. The stages are in
// stages.ts, the state they share in state.ts.
// Pure and deterministic: no clock, no randomness, no I/O, no allocation per body.
import { BODY_MS, FORCED_SYNC_MS, WINDOW_MS } from './model';
import type { Config } from './scenario';
import {
  migrationBitmapSync,
  migrationIterationRun,
  migrationRateLimit,
  newlyDirtyBytes,
  nextEventMs,
  ramSaveIterate,
  recordWindow,
  timedEvents,
} from './stages';
import { deriveSetup, PrecopyState, type Setup } from './state';
import type { SimWindow } from './types';

export { MAX_LISTED_WINDOWS } from './state';

export interface Run {
  mode: 'precopy' | 'postcopy' | null;
  switchoverMs: number | null;
  completedMs: number | null;
  downtimeMs: number | null;
  syncCount: number;
  transferredBytes: number;
  endMs: number;
  /** Pending found by the last exact (or forced) sync. */
  lastSyncPending: number;
  threshold: number;
  /** Highest threshold of the last 10-20 s, and the bandwidth behind it (the non-convergence reason). */
  recentMaxThreshold: number;
  recentMaxAssumedPerMs: number;
  measuredBytesPerMs: number;
  assumedBytesPerMs: number;
  downtimeLimitMs: number;
  pendingAtEnd: number;
  throttlePercent: number;
  dirtyLimitOn: boolean;
  passes: number;
  /** Pending fitted under the threshold while switchover-ack held the switchover. */
  heldByAck: boolean;
  /** The loop guard stopped the run (it should not happen; said in the notes). */
  loopGuardHit: boolean;
  windows: SimWindow[];
  windowStride: number;
}

/** `listWindows` false: only the verdict is wanted (sweeps, bisection), no window list. */
export function runPrecopy(c: Config, listWindows = true): Run {
  const bodyMs = BODY_MS,
    windowMs = WINDOW_MS;
  const k = deriveSetup(c, bodyMs, listWindows);
  const s = new PrecopyState(c, FORCED_SYNC_MS);

  // Setup (ram_init_bitmaps): every page dirty, the first sync (dirty-sync-count 1);
  // the first window starts after it (update_iteration_initial_status).
  migrationBitmapSync(c, k, s);
  s.iterationStartMs = s.nowMs;
  recordWindow(k, s, 'setup');

  let eventAt = nextEventMs(c, k, s);
  let mode: Run['mode'] = null;
  const loopGuard = (c.maxMs / windowMs) * 20 + 1000;
  let loops = 0;
  let loopGuardHit = false;

  // migration_thread
  while (s.nowMs < c.maxMs) {
    if (++loops > loopGuard) {
      loopGuardHit = true;
      break;
    }
    const loopStartMs = s.nowMs;
    if (s.nowMs >= eventAt) {
      timedEvents(c, k, s);
      eventAt = nextEventMs(c, k, s);
    }
    mode = migrationIterationRun(c, k, s);
    if (mode !== null) break;
    // Two bodies in a window run as one when the check between them provably does
    // nothing (same result, half the work): no event due and the estimate stays over T.
    const toWindowEnd = s.iterationStartMs + windowMs - s.nowMs;
    const merge = toWindowEnd > bodyMs && eventAt > s.nowMs + bodyMs && s.decidedPending - k.maxDrainPerBody > s.thresholdSize && !(k.rules8 && c.postcopyRam);
    ramSaveIterate(c, k, s, merge ? 2 * bodyMs : bodyMs);
    migrationRateLimit(c, k, s, loopStartMs);
  }

  const end = mode !== null ? migrationCompletion(c, k, s, mode) : { switchoverMs: null, completedMs: null, downtimeMs: null };
  if (mode === null) recordWindow(k, s, 'timeout');

  return {
    mode,
    ...end,
    syncCount: s.dirtySyncCount,
    transferredBytes: s.transferredBytes,
    endMs: s.nowMs,
    lastSyncPending: s.dirtyBytesLastSync,
    threshold: s.thresholdSize,
    recentMaxThreshold: Math.max(s.bucketMaxThreshold, s.prevBucketMaxThreshold),
    recentMaxAssumedPerMs: s.bucketMaxThreshold >= s.prevBucketMaxThreshold ? s.bucketMaxBwPerMs : s.prevBucketMaxBwPerMs,
    measuredBytesPerMs: s.bandwidthPerMs,
    assumedBytesPerMs: s.expectedBwPerMs,
    downtimeLimitMs: s.downtimeLimitMs,
    pendingAtEnd: s.pendingBytes(),
    throttlePercent: s.throttlePercent,
    dirtyLimitOn: s.dirtyLimitOn,
    passes: s.passes,
    heldByAck: s.heldByAck,
    loopGuardHit,
    windows: s.windows,
    windowStride: k.windowStride,
  };
}

/**
 * migration.c migration_completion (precopy) or postcopy_start: the last-stage sync
 * with the VM stopped, then everything left at full speed (the rate limit is lifted
 * and the busy thread no longer competes with the guest). Postcopy sends only device
 * state while stopped; RAM follows from the running destination.
 */
function migrationCompletion(c: Config, k: Setup, s: PrecopyState, mode: 'precopy' | 'postcopy') {
  const h = c.host;
  const switchoverMs = s.nowMs;
  const fresh = newlyDirtyBytes(c, s);
  const hotLeft = s.hotAhead + s.hotBehind + fresh;
  const nonZero = hotLeft * (s.xbzrleCacheFilled ? k.xbzrleWire : 1) + s.coldAhead + s.coldBehind;
  s.dirtySyncCount++;
  recordWindow(k, s, mode === 'postcopy' ? 'postcopy' : 'active');
  let downtimeMs: number, completedMs: number;
  if (mode === 'precopy') {
    const wire = nonZero * k.wireRatio + s.zeroAhead * k.zeroWireRatio + h.deviceStateBytes;
    downtimeMs =
      k.syncMs + (nonZero * k.wireRatio) / k.fullSendPerMs + s.zeroAhead / k.fullZeroScanPerMs + h.deviceStateBytes / c.linkBytesPerMs + h.switchoverOverheadMs;
    s.transferredBytes += wire;
    completedMs = switchoverMs + downtimeMs;
  } else {
    downtimeMs = k.syncMs + h.deviceStateBytes / c.linkBytesPerMs + h.switchoverOverheadMs;
    const rate = Math.min(c.linkBytesPerMs, h.perChannelBytesPerSecond / 1000, c.maxPostcopyBandwidth > 0 ? c.maxPostcopyBandwidth / 1000 : Infinity);
    const wire = (hotLeft + s.coldAhead + s.coldBehind) * k.wireRatio + s.zeroAhead * k.zeroWireRatio;
    s.transferredBytes += wire + h.deviceStateBytes;
    completedMs = switchoverMs + downtimeMs + wire / rate;
  }
  s.hotAhead = s.coldAhead = s.zeroAhead = s.hotBehind = s.coldBehind = 0;
  s.hotDirtiedSinceSync = 0;
  s.nowMs = completedMs;
  recordWindow(k, s, 'completed');
  return { switchoverMs, completedMs, downtimeMs };
}
