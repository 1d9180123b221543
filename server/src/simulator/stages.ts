// The stages of QEMU's precopy, one function each, over the named state (state.ts).
// Each is named after the QEMU function it models (migration/migration.c, ram.c,
// cpu-throttle.c); docs/migration-model.md §1 describes them, §3.3 the model.
import { FORCED_SYNC_MS, PAGE, THROTTLE_PERIOD_MS, WINDOW_MS } from './model';
import type { Config } from './scenario';
import type { PrecopyState, Setup } from './state';
import type { WindowState } from './types';

// Module imports are live bindings (getters under some loaders): plain copies for the hot loop.
const PAGE_BYTES = PAGE,
  WINDOW = WINDOW_MS,
  THROTTLE_PERIOD = THROTTLE_PERIOD_MS,
  TIMER_TICK = FORCED_SYNC_MS;

/** Simulated time passes: the guest keeps writing its hot set (uniformly, saturating) while its vCPU runs. */
export function elapse(c: Config, s: PrecopyState, dt: number): void {
  const runMs = s.throttlePercent > 0 ? throttleRunMs(c, s, s.nowMs, s.nowMs + dt) : dt;
  s.nowMs += dt;
  const W = c.workingSetBytes;
  if (W > 0 && s.hotDirtiedSinceSync < 1) s.hotDirtiedSinceSync = Math.min(1, s.hotDirtiedSinceSync + (s.runningBytesPerMs * runMs) / W);
}

/**
 * cpu-throttle.c, tick by tick: each tick starts a cycle of P = 10 ms / (1 - p) whose first
 * S = P - 10 ms the vCPU sleeps (cpu_throttle_thread); a late sleep is still running at the
 * next tick, which is skipped, so that cycle lasts 2P. How long the vCPU runs in [from, to).
 */
function throttleRunMs(c: Config, s: PrecopyState, from: number, to: number): number {
  let t = from,
    run = 0;
  for (let guard = 0; t < to && guard < 1e6; guard++) {
    // The next tick is due at the cycle's end (or now, when the throttle has just started).
    if (t >= s.throttleCycleEndMs) startThrottleCycle(c, s, Math.max(t, s.throttleCycleEndMs));
    const end = Math.min(to, s.throttleCycleEndMs);
    if (t < s.throttleSleepEndMs) t = Math.min(end, s.throttleSleepEndMs);
    if (t < end) {
      run += end - t;
      t = end;
    }
  }
  return run;
}

function startThrottleCycle(c: Config, s: PrecopyState, at: number): void {
  const p = s.throttlePercent / 100;
  const period = 10 / (1 - p);
  s.throttleLateCredit += c.host.throttleLateFraction;
  const late = s.throttleLateCredit >= 1 - 1e-9;
  if (late) s.throttleLateCredit -= 1;
  s.throttleSleepEndMs = at + period - 10;
  s.throttleCycleEndMs = at + (late ? 2 : 1) * period;
}

/** Hot-set pages written since the last sync and not already set in the bitmap. */
export function newlyDirtyBytes(c: Config, s: PrecopyState): number {
  const W = c.workingSetBytes;
  return W > 0 ? Math.max(0, s.hotDirtiedSinceSync * W * (1 - (s.hotAhead + s.hotBehind) / W)) : 0;
}

/**
 * The guest's write rate under the throttle or the dirty limit. cpu-throttle.c: a tick
 * every P = 10 ms / (1 - p) queues a vCPU sleep of S = p / (1 - p) x 10 ms = P - 10 ms,
 * unless the vCPU's last sleep is still running (throttle_thread_scheduled). A sleep
 * that starts or ends more than 10 ms late (the vCPU must leave guest code first, and on
 * a loaded host wait for a CPU) is still running at the next tick, which is skipped: that
 * cycle is 2P with one sleep. With a share q of late sleeps the vCPU sleeps p / (1 + q) of
 * the time (q = 0: QEMU's design, 1 - p; q = 1: at 99% it still runs half the time).
 */
function applyThrottle(c: Config, s: PrecopyState): void {
  s.dirtyBytesPerMs = c.dirtyBytesPerMs * (1 - s.throttlePercent / 100 / (1 + c.host.throttleLateFraction));
  s.runningBytesPerMs = c.dirtyBytesPerMs;
  if (s.dirtyLimitOn) {
    const limit = (c.vcpus * (c.dirtyLimitMBps + c.host.dirtyLimitSlackMBps) * 1e6) / 1000;
    s.dirtyBytesPerMs = Math.min(s.dirtyBytesPerMs, limit);
    s.runningBytesPerMs = Math.min(s.runningBytesPerMs, limit);
  }
}

/**
 * ram.c migration_trigger_throttle: once per period, a strike when the guest dirtied
 * more than throttle-trigger-threshold % of what was sent; two strikes throttle
 * (mig_throttle_guest_down) or turn the dirty limit on.
 */
export function migrationTriggerThrottle(c: Config, s: PrecopyState): void {
  const bytesXferPeriod = s.transferredBytes - s.bytesXferPrev;
  const limit = (bytesXferPeriod * c.throttleTrigger) / 100;
  if ((c.autoConverge || c.dirtyLimit) && s.bytesDirtyPeriod > limit && ++s.dirtyRateHighCount >= 2) {
    s.dirtyRateHighCount = 0;
    if (c.autoConverge) {
      if (s.throttlePercent === 0) {
        s.throttlePercent = c.throttleInitial;
        // cpu_throttle_set: the first tick runs at once.
        s.throttleCycleEndMs = s.nowMs;
      } else {
        let increment = c.throttleIncrement;
        if (c.tailslow) {
          const cpuNow = 100 - s.throttlePercent;
          increment = Math.min(cpuNow - Math.floor((cpuNow * limit) / s.bytesDirtyPeriod), increment);
        }
        s.throttlePercent = Math.max(1, Math.min(s.throttlePercent + increment, c.throttleMax, 99));
      }
    } else s.dirtyLimitOn = true;
    applyThrottle(c, s);
  }
}

/**
 * ram.c migration_bitmap_sync: merge what the guest dirtied into the bitmap (only
 * newly set pages count), spend the sync's time without sending, and every second
 * let migration_trigger_throttle look at the period.
 */
export function migrationBitmapSync(c: Config, k: Setup, s: PrecopyState): void {
  const fresh = newlyDirtyBytes(c, s);
  s.hotAhead += fresh * (1 - s.scannedFraction);
  s.hotBehind += fresh * s.scannedFraction;
  s.hotDirtiedSinceSync = 0;
  s.bytesDirtyPeriod += fresh;
  s.dirtySyncCount++;
  elapse(c, s, k.syncMs);
  if (s.nowMs > s.timeLastBitmapSyncMs + THROTTLE_PERIOD) {
    migrationTriggerThrottle(c, s);
    s.dirtyRateKnown = s.bytesDirtyPeriod > 0;
    s.timeLastBitmapSyncMs = s.nowMs;
    s.bytesDirtyPeriod = 0;
    s.bytesXferPrev = s.transferredBytes;
  }
  // QEMU counts whole pages.
  s.dirtyBytesLastSync = Math.round(s.pendingBytes() / PAGE_BYTES) * PAGE_BYTES;
}

/** Lists the window (every `windowStride`-th one, and the milestones). */
export function recordWindow(k: Setup, s: PrecopyState, state: WindowState): void {
  if (!k.listWindows) return;
  s.windows.push({
    t: Math.round(s.nowMs) / 1000,
    pendingBytes: Math.round(s.pendingBytes()),
    pendingAtSyncBytes: Math.round(s.dirtyBytesLastSync),
    thresholdBytes: Math.round(s.thresholdSize),
    measuredBytesPerSecond: Math.round(s.bandwidthPerMs * 1000),
    assumedBytesPerSecond: Math.round(s.expectedBwPerMs * 1000),
    expectedDowntimeMs: Math.round(s.expectedDowntimeMs),
    throttlePercent: s.throttlePercent,
    dirtySyncCount: s.dirtySyncCount,
    pass: s.passes,
    state,
  });
}

/**
 * migration.c migration_update_counters, at the end of a window of at least 100 ms:
 * the window's bandwidth, the threshold (avail-switchover-bandwidth or the bandwidth,
 * times downtime-limit), expected_downtime; then a new window starts.
 */
export function migrationUpdateCounters(_c: Config, k: Setup, s: PrecopyState, state: WindowState): void {
  const timeSpent = s.nowMs - s.iterationStartMs;
  s.bandwidthPerMs = timeSpent > 0 ? s.iterationBytes / timeSpent : 0;
  s.expectedBwPerMs = k.availSwitchoverPerMs > 0 ? k.availSwitchoverPerMs : s.bandwidthPerMs;
  s.thresholdSize = s.expectedBwPerMs * s.downtimeLimitMs;
  if (s.nowMs - s.bucketStartMs >= 10_000) {
    s.prevBucketMaxThreshold = s.bucketMaxThreshold;
    s.prevBucketMaxBwPerMs = s.bucketMaxBwPerMs;
    s.bucketMaxThreshold = 0;
    s.bucketMaxBwPerMs = 0;
    s.bucketStartMs = s.nowMs;
  }
  if (s.thresholdSize > s.bucketMaxThreshold) {
    s.bucketMaxThreshold = s.thresholdSize;
    s.bucketMaxBwPerMs = s.expectedBwPerMs;
  }
  if (s.dirtyRateKnown && s.transferredBytes > 10000 && s.expectedBwPerMs > 0) {
    // 7.2: ram_counters.remaining / bandwidth; 8.0+: dirty_bytes_last_sync / expected_bw_per_ms.
    s.expectedDowntimeMs = !k.expectedDowntimeFromLastSync
      ? s.bandwidthPerMs > 0
        ? s.pendingBytes() / s.bandwidthPerMs
        : s.expectedDowntimeMs
      : s.dirtyBytesLastSync / s.expectedBwPerMs;
  }
  if (++s.windowIndex % k.windowStride === 0) recordWindow(k, s, state);
  s.iterationStartMs = s.nowMs;
  s.iterationBytes = 0;
}

/**
 * ram.c ram_save_iterate (ram_find_and_save_block / find_dirty_block): send from the
 * bitmap for up to `spanMs` or until the window's byte budget is used.
 */
export function ramSaveIterate(c: Config, k: Setup, s: PrecopyState, spanMs: number): void {
  let left = spanMs;
  let budgetLeft = k.windowBudget - s.iterationBytes;
  // Normally one step, a few more when the pass wraps; the bound guards float dust.
  for (let step = 0; step < 16 && left > 1e-9 && budgetLeft > 1e-6; step++) {
    // Zero pages at the end of RAM are reached only once the data before them is sent.
    let zero = c.zeroPagesLast && s.hotAhead + s.coldAhead > 0 ? 0 : s.zeroAhead;
    let ahead = s.hotAhead + s.coldAhead + zero;
    if (ahead <= 0) {
      if (s.hotBehind + s.coldBehind <= 0) return;
      // find_dirty_block wraps (complete_round): a new pass starts, and XBZRLE with it
      // (its cache fills during that pass; deltas start with the next one).
      s.hotAhead = s.hotBehind;
      s.coldAhead = s.coldBehind;
      s.hotBehind = 0;
      s.coldBehind = 0;
      s.scannedFraction = 0;
      s.passes++;
      if (s.xbzrleStarted) s.xbzrleCacheFilled = true;
      s.xbzrleStarted = c.xbzrle;
      zero = 0;
      ahead = s.hotAhead + s.coldAhead;
    }
    const nonZeroWire = (s.hotAhead * (s.xbzrleCacheFilled ? k.xbzrleWire : 1) + s.coldAhead) * k.wireRatio;
    const wirePerByte = (nonZeroWire + zero * k.zeroWireRatio) / ahead;
    const msPerByte = (nonZeroWire / k.sendPerMs + zero / k.zeroScanPerMs) / ahead;
    let n = ahead;
    if (n * msPerByte > left) n = left / msPerByte;
    if (n * wirePerByte > budgetLeft) n = budgetLeft / wirePerByte;
    const f = n / ahead;
    if (f >= 1) {
      s.hotAhead = 0;
      s.coldAhead = 0;
      if (zero > 0) s.zeroAhead = 0;
    } else {
      s.hotAhead *= 1 - f;
      s.coldAhead *= 1 - f;
      if (zero > 0) s.zeroAhead *= 1 - f;
    }
    s.scannedFraction = 1 - (1 - s.scannedFraction) * (1 - f);
    const dt = n * msPerByte;
    left -= dt;
    elapse(c, s, dt);
    const bytes = n * wirePerByte;
    s.iterationBytes += bytes;
    s.transferredBytes += bytes;
    budgetLeft -= bytes;
  }
}

/** When the next timed event is due: a downtime step, the 9.2+ timer, postcopy start, the ack. */
export function nextEventMs(c: Config, k: Setup, s: PrecopyState): number {
  const steps = c.downtimeSteps;
  return Math.min(
    s.nextDowntimeStep < steps.length ? steps[s.nextDowntimeStep].atMs : Infinity,
    c.forcedSyncTimer ? s.nextTimerTickMs : Infinity,
    c.postcopyStartMs !== null && s.nowMs < c.postcopyStartMs ? c.postcopyStartMs : Infinity,
    s.nowMs < k.switchoverAckMs ? k.switchoverAckMs : Infinity,
  );
}

/**
 * Timed events that are not QEMU's loop: the orchestrator's downtime-limit ramp
 * (migrate-set-parameters from outside) and, 9.2+ with auto-converge,
 * cpu_throttle_dirty_sync_timer_tick (a sync when none happened for 5 s).
 */
export function timedEvents(c: Config, k: Setup, s: PrecopyState): void {
  const steps = c.downtimeSteps;
  while (s.nextDowntimeStep < steps.length && steps[s.nextDowntimeStep].atMs <= s.nowMs) s.downtimeLimitMs = steps[s.nextDowntimeStep++].downtimeLimitMs;
  if (c.forcedSyncTimer && s.nowMs >= s.nextTimerTickMs) {
    if (s.dirtySyncCount > 1 && s.dirtySyncCount === s.syncCountAtLastTick) migrationBitmapSync(c, k, s);
    s.syncCountAtLastTick = s.dirtySyncCount;
    s.nextTimerTickMs += TIMER_TICK;
  }
}

/**
 * migration.c migration_iteration_run: the estimate; an exact sync when it is under
 * the threshold (8.x with postcopy-ram: on every loop); then the version's switchover
 * rule (docs/migration-model.md §1.4). Returns the switchover taken, or null to iterate.
 */
export function migrationIterationRun(c: Config, k: Setup, s: PrecopyState): 'precopy' | 'postcopy' | null {
  const canSwitchover = s.nowMs >= k.switchoverAckMs;
  const postcopyRequested = c.postcopyStartMs !== null && s.nowMs >= c.postcopyStartMs;
  let pending = s.pendingBytes();
  if (k.rules8 && c.postcopyRam ? 0 <= s.thresholdSize : pending < s.thresholdSize) {
    migrationBitmapSync(c, k, s);
    pending = s.dirtyBytesLastSync;
  }
  s.decidedPending = pending;
  // With postcopy-ram every RAM page can go after the switchover: must_precopy is 0.
  const mustPrecopy = c.postcopyRam ? 0 : pending;
  const postcopyNow = postcopyRequested && canSwitchover && mustPrecopy <= s.thresholdSize;
  const completeReady = k.rules101 ? pending <= s.thresholdSize : pending === 0 || pending < s.thresholdSize;
  if (completeReady && !canSwitchover) s.heldByAck = true;
  // 10.1+ asks about postcopy before completion; earlier versions after it.
  if (k.rules101 && postcopyNow) return 'postcopy';
  if (completeReady && canSwitchover) return 'precopy';
  if (postcopyNow) return 'postcopy';
  return null;
}

/**
 * migration-stats.c migration_rate_limit: a window that ran its 100 ms is closed; one
 * whose byte budget is used (or that could send nothing) sleeps to its end first.
 */
export function migrationRateLimit(c: Config, k: Setup, s: PrecopyState, loopStartMs: number): void {
  if (s.nowMs >= s.iterationStartMs + WINDOW) migrationUpdateCounters(c, k, s, 'active');
  else if (s.iterationBytes >= k.windowBudget || s.nowMs === loopStartMs) {
    elapse(c, s, s.iterationStartMs + WINDOW - s.nowMs);
    migrationUpdateCounters(c, k, s, 'active');
  }
}
