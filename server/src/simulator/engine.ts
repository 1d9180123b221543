// QEMU's precopy loop at its own granularity (migration-model.md §1, §3.3):
// migration_thread -> migration_iteration_run (estimate, exact sync when under the
// threshold, switchover rule of the version) -> ram_save_iterate (a body of up to
// 50 ms or until the window's byte budget is used) -> migration_rate_limit (sleep to
// the window end, then the 100 ms window's bandwidth sets the threshold).
// Pure and deterministic: no clock, no randomness, no I/O, no allocation per body.
import {
  BODY_MS, FORCED_SYNC_MS, GiB, PAGE, THROTTLE_PERIOD_MS, WINDOW_MS, WIRE_PAGE, ZERO_PAGE_WIRE,
} from './model';
import type { Config } from './scenario';
import type { SimWindow, WindowState } from './types';

/** At most this many windows are listed; longer runs list every n-th one. */
export const MAX_LISTED_WINDOWS = 1000;

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
  // Module imports are live bindings (getters under some loaders): copy the constants
  // used in the hot loop into locals.
  const bodyMs = BODY_MS, windowMs = WINDOW_MS, forcedSyncMs = FORCED_SYNC_MS, throttlePeriodMs = THROTTLE_PERIOD_MS;
  const page = PAGE, gib = GiB, wirePage = WIRE_PAGE, zeroPageWire = ZERO_PAGE_WIRE;
  const h = c.host;
  const W = c.workingSetBytes;
  const tSync = h.syncBaseMs + (h.syncMsPerGiB * c.ramBytes) / gib;
  const channels = c.multifd ? c.multifdChannels : 1;
  // Wire bytes per ms the sender(s) can push: the link, or the threads' own limit.
  const fullSend = Math.min(c.linkBytesPerMs, (channels * h.perChannelBytesPerSecond) / 1000);
  const send = fullSend * c.efficiency;
  const zeroScanFull = (h.zeroScanBytesPerSecond / 1000) * (c.multifd && c.zeroPageDetection === 'multifd' ? channels : 1);
  const zeroScan = zeroScanFull * c.efficiency;
  const budget = c.maxBandwidth > 0 ? c.maxBandwidth / (1000 / windowMs) : Infinity;
  const hit = c.xbzrle ? (W > 0 ? Math.min(1, c.xbzrleCacheBytes / W) : 1) : 0;
  const xbzrleWire = 1 - hit + hit / h.xbzrleRatio;
  const wireRatio = wirePage / page;
  const zeroWireRatio = zeroPageWire / page;
  const asbPerMs = c.availSwitchoverBandwidth / 1000;
  const zeroLast = c.zeroPagesLast, xbzrle = c.xbzrle;
  const ackMs = c.switchoverAck ? c.switchoverAckMs : 0;
  const steps = c.downtimeSteps;
  const maxMs = c.maxMs;
  const windowStride = Math.max(1, Math.ceil(maxMs / windowMs / MAX_LISTED_WINDOWS));

  // Dirty bitmap, split by region (hot set, cold non-zero, zero pages) and by whether
  // the scan pointer of the current pass is still ahead of the pages or past them.
  let aH = W, aC = c.ramBytes - W - c.zeroBytes, aZ = c.zeroBytes, bH = 0, bC = 0;
  let scanned = 0; // fraction of the address space behind the pointer in this pass
  let passes = 1;
  let xbzrleOn = false;
  let dirtied = 0; // fraction of the hot set written since the last sync
  let dirtyPerMs = c.dirtyBytesPerMs;
  let t = 0;
  let T = 0;
  let dl = c.downtimeLimitMs;
  let stepAt = 0;
  let winStart = 0, winBytes = 0, total = 0;
  let bw = 0, assumed = 0, expectedDowntime = c.downtimeLimitMs;
  let syncCount = 0;
  let lastSyncPending = 0;
  // Auto-converge / dirty-limit bookkeeping (ram.c migration_bitmap_sync).
  let pct = 0, highCount = 0, periodStart = 0, xferPrev = 0, dirtyPeriod = 0, dirtyRateKnown = false;
  let dirtyLimitOn = false;
  let nextTick = forcedSyncMs, prevTickSyncs = 2;
  let heldByAck = false;
  // Two 10 s buckets of the highest threshold: a window that held a sync measures less.
  let bucketStart = 0, curMaxT = 0, curMaxBw = 0, prevMaxT = 0, prevMaxBw = 0;
  const windows: SimWindow[] = [];
  let windowIndex = 0;

  const pending = () => aH + aC + aZ + bH + bC;
  const advance = (dt: number) => {
    t += dt;
    if (W > 0 && dirtied < 1) dirtied = Math.min(1, dirtied + (dirtyPerMs * dt) / W);
  };
  const setDirtyRate = () => {
    dirtyPerMs = c.dirtyBytesPerMs * (1 - pct / 100);
    if (dirtyLimitOn) dirtyPerMs = Math.min(dirtyPerMs, (c.vcpus * (c.dirtyLimitMBps + h.dirtyLimitSlackMBps) * 1e6) / 1000);
  };
  const record = (state: WindowState) => {
    if (!listWindows) return;
    windows.push({
      t: Math.round(t) / 1000,
      pendingBytes: Math.round(pending()),
      pendingAtSyncBytes: Math.round(lastSyncPending),
      thresholdBytes: Math.round(T),
      measuredBytesPerSecond: Math.round(bw * 1000),
      assumedBytesPerSecond: Math.round(assumed * 1000),
      expectedDowntimeMs: Math.round(expectedDowntime),
      throttlePercent: pct,
      dirtySyncCount: syncCount,
      pass: passes,
      state,
    });
  };
  /** Pages of the hot set written since the last sync and not already in the bitmap. */
  const newlyDirty = () => (W > 0 ? Math.max(0, dirtied * W * (1 - (aH + bH) / W)) : 0);

  const throttleCheck = () => {
    const xfer = total - xferPrev;
    const limit = (xfer * c.throttleTrigger) / 100;
    if ((c.autoConverge || c.dirtyLimit) && dirtyPeriod > limit && ++highCount >= 2) {
      highCount = 0;
      if (c.autoConverge) {
        if (pct === 0) pct = c.throttleInitial;
        else {
          let inc = c.throttleIncrement;
          if (c.tailslow) {
            const cpuNow = 100 - pct;
            inc = Math.min(cpuNow - Math.floor((cpuNow * limit) / dirtyPeriod), inc);
          }
          pct = Math.max(1, Math.min(pct + inc, c.throttleMax, 99));
        }
      } else dirtyLimitOn = true;
      setDirtyRate();
    }
  };

  const sync = () => {
    const fresh = newlyDirty();
    aH += fresh * (1 - scanned);
    bH += fresh * scanned;
    dirtied = 0;
    dirtyPeriod += fresh;
    syncCount++;
    advance(tSync);
    if (t > periodStart + throttlePeriodMs) {
      throttleCheck();
      dirtyRateKnown = dirtyPeriod > 0;
      periodStart = t;
      dirtyPeriod = 0;
      xferPrev = total;
    }
    // QEMU counts whole pages.
    lastSyncPending = Math.round(pending() / page) * page;
  };

  const closeWindow = (state: WindowState) => {
    const elapsed = t - winStart;
    bw = elapsed > 0 ? winBytes / elapsed : 0;
    assumed = asbPerMs > 0 ? asbPerMs : bw;
    T = assumed * dl;
    if (t - bucketStart >= 10_000) {
      prevMaxT = curMaxT; prevMaxBw = curMaxBw; curMaxT = 0; curMaxBw = 0; bucketStart = t;
    }
    if (T > curMaxT) { curMaxT = T; curMaxBw = assumed; }
    if (dirtyRateKnown && total > 10000 && assumed > 0) {
      expectedDowntime = c.rules === '7.2' ? (bw > 0 ? pending() / bw : expectedDowntime) : lastSyncPending / assumed;
    }
    if (++windowIndex % windowStride === 0) record(state);
    winStart = t;
    winBytes = 0;
  };

  /** ram_save_iterate: send from the bitmap for up to `span` ms or until the budget is used. */
  const body = (span: number) => {
    let left = span;
    let budgetLeft = budget - winBytes;
    // Normally one step, a few more when the pass wraps; the bound guards float dust.
    for (let step = 0; step < 16 && left > 1e-9 && budgetLeft > 1e-6; step++) {
      // Zero pages at the end of RAM are reached only once the data before them is sent.
      let zero = zeroLast && aH + aC > 0 ? 0 : aZ;
      let ahead = aH + aC + zero;
      if (ahead <= 0) {
        if (bH + bC <= 0) return;
        // find_dirty_block wraps: a new pass starts, and XBZRLE with it.
        aH = bH; aC = bC; bH = 0; bC = 0; scanned = 0;
        passes++;
        xbzrleOn = xbzrle;
        zero = 0;
        ahead = aH + aC;
      }
      const nonZeroWire = (aH * (xbzrleOn ? xbzrleWire : 1) + aC) * wireRatio;
      const wirePerByte = (nonZeroWire + zero * zeroWireRatio) / ahead;
      const msPerByte = (nonZeroWire / send + zero / zeroScan) / ahead;
      let n = ahead;
      if (n * msPerByte > left) n = left / msPerByte;
      if (n * wirePerByte > budgetLeft) n = budgetLeft / wirePerByte;
      const f = n / ahead;
      if (f >= 1) {
        aH = 0; aC = 0;
        if (zero > 0) aZ = 0;
      } else {
        aH *= 1 - f; aC *= 1 - f;
        if (zero > 0) aZ *= 1 - f;
      }
      scanned = 1 - (1 - scanned) * (1 - f);
      const dt = n * msPerByte;
      left -= dt;
      advance(dt);
      const bytes = n * wirePerByte;
      winBytes += bytes;
      total += bytes;
      budgetLeft -= bytes;
    }
  };

  // Setup: every page dirty, the first sync (dirty-sync-count 1), the window starts after it.
  sync();
  winStart = t;
  record('setup');

  const startPostcopyMs = c.postcopyStartMs;
  const rules8 = c.rules === '8.x', rules101 = c.rules === '10.1+';
  const postcopyRam = c.postcopyRam, forcedTimer = c.forcedSyncTimer;
  // Most bitmap bytes one 50 ms body can clear: two bodies in a window run as one
  // when the check between them provably does nothing (same result, half the work).
  const maxDrain = bodyMs * Math.max(send / (wireRatio * (c.xbzrle ? xbzrleWire : 1)), zeroScan);
  const nextEvent = () => Math.min(
    stepAt < steps.length ? steps[stepAt].atMs : Infinity,
    forcedTimer ? nextTick : Infinity,
    startPostcopyMs !== null && t < startPostcopyMs ? startPostcopyMs : Infinity,
    t < ackMs ? ackMs : Infinity,
  );
  let eventAt = nextEvent();
  let mode: Run['mode'] = null;
  let switchoverMs: number | null = null;
  let completedMs: number | null = null;
  let downtimeMs: number | null = null;
  const loopGuard = (maxMs / windowMs) * 20 + 1000;
  let loops = 0;
  let loopGuardHit = false;

  while (t < maxMs) {
    if (++loops > loopGuard) { loopGuardHit = true; break; }
    const before = t;
    if (t >= eventAt) {
      while (stepAt < steps.length && steps[stepAt].atMs <= t) dl = steps[stepAt++].downtimeLimitMs;
      if (forcedTimer && t >= nextTick) {
        // 9.2+ cpu_throttle_dirty_sync_timer_tick: a sync when none happened for 5 s.
        if (syncCount > 1 && syncCount === prevTickSyncs) sync();
        prevTickSyncs = syncCount;
        nextTick += forcedSyncMs;
      }
      eventAt = nextEvent();
    }
    const canSwitchover = t >= ackMs;
    const postcopyAsked = startPostcopyMs !== null && t >= startPostcopyMs;

    // migration_iteration_run
    let est = aH + aC + aZ + bH + bC;
    if (rules8 && postcopyRam ? 0 <= T : est < T) {
      sync();
      est = lastSyncPending;
    }
    const postcopyNow = postcopyAsked && canSwitchover && (postcopyRam ? 0 : est) <= T;
    const fits = rules101 ? est <= T : est === 0 || est < T;
    if (fits && !canSwitchover) heldByAck = true;
    if (rules101 && postcopyNow) { mode = 'postcopy'; break; }
    if (fits && canSwitchover) { mode = 'precopy'; break; }
    if (postcopyNow) { mode = 'postcopy'; break; }

    const toWindowEnd = winStart + windowMs - t;
    const merge = toWindowEnd > bodyMs && eventAt > t + bodyMs && est - maxDrain > T && !(rules8 && postcopyRam);
    body(merge ? 2 * bodyMs : bodyMs);

    // migration_rate_limit
    if (t >= winStart + windowMs) closeWindow('active');
    else if (winBytes >= budget || t === before) {
      advance(winStart + windowMs - t);
      closeWindow('active');
    }
  }

  if (mode !== null) {
    switchoverMs = t;
    // The last-stage sync with the VM stopped, then everything left at full speed:
    // the rate limit is lifted and the busy thread no longer competes with the guest.
    const fresh = newlyDirty();
    const hotLeft = aH + bH + fresh;
    const nonZero = hotLeft * (xbzrleOn ? xbzrleWire : 1) + aC + bC;
    syncCount++;
    record(mode === 'postcopy' ? 'postcopy' : 'active');
    if (mode === 'precopy') {
      const wire = nonZero * wireRatio + aZ * zeroWireRatio + h.deviceStateBytes;
      downtimeMs = tSync + (nonZero * wireRatio) / fullSend + aZ / zeroScanFull
        + h.deviceStateBytes / c.linkBytesPerMs + h.switchoverOverheadMs;
      total += wire;
      completedMs = t + downtimeMs;
    } else {
      // Postcopy: only device state while stopped; RAM follows from the running destination.
      downtimeMs = tSync + h.deviceStateBytes / c.linkBytesPerMs + h.switchoverOverheadMs;
      const rate = Math.min(c.linkBytesPerMs, h.perChannelBytesPerSecond / 1000,
        c.maxPostcopyBandwidth > 0 ? c.maxPostcopyBandwidth / 1000 : Infinity);
      const wire = (hotLeft + aC + bC) * wireRatio + aZ * zeroWireRatio;
      total += wire + h.deviceStateBytes;
      completedMs = t + downtimeMs + wire / rate;
    }
    aH = aC = aZ = bH = bC = 0;
    dirtied = 0;
    t = completedMs;
    record('completed');
  } else {
    record('timeout');
  }

  return {
    mode, switchoverMs, completedMs, downtimeMs, syncCount,
    transferredBytes: total,
    endMs: t,
    lastSyncPending, threshold: T,
    recentMaxThreshold: Math.max(curMaxT, prevMaxT),
    recentMaxAssumedPerMs: curMaxT >= prevMaxT ? curMaxBw : prevMaxBw,
    measuredBytesPerMs: bw, assumedBytesPerMs: assumed, downtimeLimitMs: dl,
    pendingAtEnd: pending(), throttlePercent: pct, dirtyLimitOn, passes, heldByAck, loopGuardHit,
    windows, windowStride,
  };
}
