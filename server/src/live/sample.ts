// One `query-migrate` reply as the watcher uses it. Replies are untrusted: every field
// is read defensively, a missing or odd one becomes null.

export interface MigrationSample {
  /** Seconds since the watcher started (our clock). */
  t: number;
  status: string;
  /** QEMU's total-time (ms since the migration started), null outside a migration. */
  totalTimeMs: number | null;
  setupTimeMs: number | null;
  expectedDowntimeMs: number | null;
  downtimeMs: number | null;
  throttlePercent: number;
  ram: {
    total: number | null;
    transferred: number | null;
    remaining: number | null;
    duplicate: number | null;
    normal: number | null;
    dirtySyncCount: number | null;
    /** QEMU's `mbps`: megabits per second over the last 100 ms window. */
    mbps: number | null;
    dirtyPagesRate: number | null;
    pageSize: number | null;
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function toSample(t: number, reply: unknown): MigrationSample {
  const r = (reply && typeof reply === 'object' ? reply : {}) as Record<string, unknown>;
  const ram = (r.ram && typeof r.ram === 'object' ? r.ram : {}) as Record<string, unknown>;
  return {
    t,
    status: typeof r.status === 'string' ? r.status : 'none',
    totalTimeMs: num(r['total-time']),
    setupTimeMs: num(r['setup-time']),
    expectedDowntimeMs: num(r['expected-downtime']),
    downtimeMs: num(r.downtime),
    throttlePercent: num(r['cpu-throttle-percentage']) ?? 0,
    ram: {
      total: num(ram.total),
      transferred: num(ram.transferred),
      remaining: num(ram.remaining),
      duplicate: num(ram.duplicate),
      normal: num(ram.normal),
      dirtySyncCount: num(ram['dirty-sync-count']),
      mbps: num(ram.mbps),
      dirtyPagesRate: num(ram['dirty-pages-rate']),
      pageSize: num(ram['page-size']),
    },
  };
}

export const FINISHED = new Set(['completed', 'failed', 'cancelled']);
/** States in which RAM is being sent and the numbers mean something. */
export const SENDING = new Set(['active', 'pre-switchover', 'device', 'postcopy-active']);

/** Bytes per second QEMU measured over its last window. */
export const measuredBytesPerSecond = (s: MigrationSample) => ((s.ram.mbps ?? 0) * 1e6) / 8;
