// What the simulated precopy keeps between loop iterations, named after QEMU's own
// fields where one exists (MigrationState in migration.h, RAMState in ram.c), and the
// per-run rates derived once from the configuration.
import { atLeast, BEHAVIOUR } from '../migration/index';
import { GiB, PAGE, WINDOW_MS, WIRE_PAGE, ZERO_PAGE_WIRE } from './model';
import type { Config } from './scenario';
import type { SimWindow } from './types';

/** At most this many windows are listed; longer runs list every n-th one. */
export const MAX_LISTED_WINDOWS = 1000;

/** Fixed for one run: what the configuration means in bytes per ms, and the version's rule flags. */
export interface Setup {
  /** The 8.0-8.2 rules (exact sync on every loop with postcopy-ram) and the 10.1+ rules (<= and postcopy first). */
  rules8: boolean;
  rules101: boolean;
  /** 8.0+: expected_downtime from dirty_bytes_last_sync (7.2: remaining / bandwidth). */
  expectedDowntimeFromLastSync: boolean;
  /** False: only the verdict is wanted (sweeps, bisection), no window list. */
  listWindows: boolean;
  /** Cost of one migration_bitmap_sync (ms). */
  syncMs: number;
  /** Wire bytes per ms the sender(s) can push at full speed: the link or the threads' own limit. */
  fullSendPerMs: number;
  /** The same while precopy competes with the busy thread (the link's sending efficiency). */
  sendPerMs: number;
  /** Zero-page scanning (buffer_is_zero), bytes of guest RAM per ms, at full speed and while busy. */
  fullZeroScanPerMs: number;
  zeroScanPerMs: number;
  /** migration_rate_set: max-bandwidth / XFER_LIMIT_RATIO bytes per window; Infinity = unlimited. */
  windowBudget: number;
  /** Wire bytes per hot-set byte once XBZRLE has started (cache hit rate and ratio). */
  xbzrleWire: number;
  /** Wire bytes per guest byte for a normal page and for a zero page. */
  wireRatio: number;
  zeroWireRatio: number;
  /** avail-switchover-bandwidth in bytes/ms (0 = use the measured bandwidth). */
  availSwitchoverPerMs: number;
  /** When the destination acks the switchover (0 without switchover-ack). */
  switchoverAckMs: number;
  /** Most bitmap bytes one 50 ms body can clear (lets two bodies run as one, see the loop). */
  maxDrainPerBody: number;
  /** Every n-th window is listed. */
  windowStride: number;
}

export function deriveSetup(c: Config, bodyMs: number, listWindows: boolean): Setup {
  const h = c.host;
  const W = c.workingSetBytes;
  const channels = c.multifd ? c.multifdChannels : 1;
  const fullSendPerMs = Math.min(c.linkBytesPerMs, (channels * h.perChannelBytesPerSecond) / 1000);
  const sendPerMs = fullSendPerMs * c.efficiency;
  const fullZeroScanPerMs = (h.zeroScanBytesPerSecond / 1000) * (c.multifd && c.zeroPageDetection === 'multifd' ? channels : 1);
  const zeroScanPerMs = fullZeroScanPerMs * c.efficiency;
  const hit = c.xbzrle ? (W > 0 ? Math.min(1, c.xbzrleCacheBytes / W) : 1) : 0;
  const xbzrleWire = 1 - hit + hit / h.xbzrleRatio;
  const wireRatio = WIRE_PAGE / PAGE;
  return {
    rules8: c.rules === '8.x',
    rules101: c.rules === '10.1+',
    listWindows,
    expectedDowntimeFromLastSync: atLeast(c.version, BEHAVIOUR.expectedDowntimeFromLastSync.since),
    syncMs: h.syncBaseMs + (h.syncMsPerGiB * c.ramBytes) / GiB,
    fullSendPerMs,
    sendPerMs,
    fullZeroScanPerMs,
    zeroScanPerMs,
    windowBudget: windowBudget(c, channels),
    xbzrleWire,
    wireRatio,
    zeroWireRatio: ZERO_PAGE_WIRE / PAGE,
    availSwitchoverPerMs: c.availSwitchoverBandwidth / 1000,
    switchoverAckMs: c.switchoverAck ? c.switchoverAckMs : 0,
    maxDrainPerBody: bodyMs * Math.max(sendPerMs / (wireRatio * (c.xbzrle ? xbzrleWire : 1)), zeroScanPerMs),
    windowStride: Math.max(1, Math.ceil(c.maxMs / WINDOW_MS / MAX_LISTED_WINDOWS)),
  };
}

/** MULTIFD_PACKET_SIZE (multifd.h): 512 KiB of pages per multifd packet, 128 pages of 4 KiB. */
const MULTIFD_PACKET_PAGES = 128;

/**
 * migration_rate_set: max-bandwidth / XFER_LIMIT_RATIO bytes per window (Infinity =
 * unlimited). With multifd the rate check (migration_rate_exceeded) sees multifd bytes
 * only in whole packets: up to 8.0 they are counted when the main thread hands a full
 * packet over (multifd_send_pages), so a window ends one packet past its budget; from 8.1
 * (commit cbec7eb768) each channel counts its packet after writing it, so every channel
 * has one more packet in flight that the check has not seen. Measured here with a
 * 32 MiB/s cap: 10.2 sent 42, 47 and 54 MB/s with 1, 2 and 4 channels (this gives 42,
 * 47, 58); 7.2 sent about 37 MB/s.
 */
function windowBudget(c: Config, channels: number): number {
  if (!(c.maxBandwidth > 0)) return Infinity;
  const budget = c.maxBandwidth / (1000 / WINDOW_MS);
  if (!c.multifd) return budget;
  const packet = MULTIFD_PACKET_PAGES * WIRE_PAGE;
  const inFlight = atLeast(c.version, BEHAVIOUR.multifdPacketInFlight.since) ? channels : 0;
  return (Math.floor(budget / packet) + 1 + inFlight) * packet;
}

/**
 * The migration's state. The dirty bitmap is kept as bytes per region (hot set, cold
 * non-zero RAM, zero pages), each split by whether the current pass's scan pointer is
 * still ahead of those pages or already past them.
 */
export class PrecopyState {
  /** Simulated wall time since the migration started (ms). */
  nowMs = 0;

  // --- The migration bitmap (RAMState.migration_dirty_pages, by region) ---
  hotAhead: number;
  coldAhead: number;
  zeroAhead: number;
  hotBehind = 0;
  coldBehind = 0;
  /** Fraction of the address space behind the scan pointer in this pass (last_seen_block). */
  scannedFraction = 0;
  /** Passes started over RAM (each find_dirty_block wrap-around starts one). */
  passes = 1;
  /** RAMState.xbzrle_started: XBZRLE encodes only after the first complete round. */
  xbzrleStarted = false;
  /**
   * The XBZRLE cache holds the hot set: a page enters it on its first miss, which is in
   * the first round after xbzrle_started (save_xbzrle_page: cache_insert on a miss), so
   * deltas (hits) start one round later. QEMU 10.2 reported 16,386 misses and no hit
   * over the whole first XBZRLE round of a 64 MiB (16,384-page) working set.
   */
  xbzrleCacheFilled = false;

  // --- The guest ---
  /** Fraction of the hot set written since the last bitmap sync. */
  hotDirtiedSinceSync = 0;
  /** The guest's unique-write rate now (after any throttle or dirty limit), bytes/ms. */
  dirtyBytesPerMs: number;

  // --- MigrationState: threshold and the 100 ms window (migration_update_counters) ---
  thresholdSize = 0;
  downtimeLimitMs: number;
  /** Next entry of the orchestrator's downtime-limit ramp. */
  nextDowntimeStep = 0;
  iterationStartMs = 0;
  /** Bytes sent in the current window (migration_transferred_bytes - iteration_initial_bytes). */
  iterationBytes = 0;
  transferredBytes = 0;
  /** The last window's bandwidth, and what the threshold used (it, or avail-switchover-bandwidth). */
  bandwidthPerMs = 0;
  expectedBwPerMs = 0;
  expectedDowntimeMs: number;

  // --- Bitmap syncs (migration_bitmap_sync) ---
  dirtySyncCount = 0;
  /** Pending found by the last exact (or forced) sync: mig_stats.dirty_bytes_last_sync. */
  dirtyBytesLastSync = 0;

  // --- Throttling (migration_trigger_throttle, mig_throttle_guest_down) ---
  throttlePercent = 0;
  dirtyRateHighCount = 0;
  /** RAMState.time_last_bitmap_sync: start of the current 1 s throttle period. */
  timeLastBitmapSyncMs = 0;
  /** RAMState.bytes_xfer_prev. */
  bytesXferPrev = 0;
  /** RAMState.num_dirty_pages_period, in bytes. */
  bytesDirtyPeriod = 0;
  /** mig_stats.dirty_pages_rate is non-zero (expected_downtime is computed only then). */
  dirtyRateKnown = false;
  dirtyLimitOn = false;
  /** The guest's rate while its vCPU runs (the dirty limit applied, not the throttle's sleeps). */
  runningBytesPerMs: number;
  /** cpu-throttle.c: the current tick's cycle ends, and the vCPU's sleep in it ends (ms). */
  throttleCycleEndMs = 0;
  throttleSleepEndMs = 0;
  /** Accumulates host.throttleLateFraction per cycle: a whole one makes that cycle's sleep late. */
  throttleLateCredit = 0;

  // --- 9.2+ cpu_throttle_dirty_sync_timer_tick ---
  nextTimerTickMs: number;
  syncCountAtLastTick = 2;

  // --- What the verdict reports ---
  /** The pending size the last migration_iteration_run decided on (after its exact sync, if any). */
  decidedPending = 0;
  /** Pending fitted under the threshold while switchover-ack held the switchover. */
  heldByAck = false;
  /** Two 10 s buckets of the highest threshold: a window that held a sync measures less. */
  bucketStartMs = 0;
  bucketMaxThreshold = 0;
  bucketMaxBwPerMs = 0;
  prevBucketMaxThreshold = 0;
  prevBucketMaxBwPerMs = 0;
  windows: SimWindow[] = [];
  windowIndex = 0;

  constructor(c: Config, forcedSyncMs: number) {
    this.hotAhead = c.workingSetBytes;
    this.coldAhead = c.ramBytes - c.workingSetBytes - c.zeroBytes;
    this.zeroAhead = c.zeroBytes;
    this.dirtyBytesPerMs = c.dirtyBytesPerMs;
    this.runningBytesPerMs = c.dirtyBytesPerMs;
    this.downtimeLimitMs = c.downtimeLimitMs;
    this.expectedDowntimeMs = c.downtimeLimitMs;
    this.nextTimerTickMs = forcedSyncMs;
  }

  /** All bytes still set in the migration bitmap (ram_state_pending_estimate). */
  pendingBytes(): number {
    return this.hotAhead + this.coldAhead + this.zeroAhead + this.hotBehind + this.coldBehind;
  }
}
