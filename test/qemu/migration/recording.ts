// Reading a JSONL migration recording: what QEMU did (the outcome the simulator must
// reproduce) and what the guest did (its measured write rate, an input). Also shrinks a
// recording for committing without losing a sync, a status change or a throttle step.
import type { RecordingLine } from './record';

type Json = Record<string, unknown>;

export interface Poll {
  t: number;
  status: string;
  'total-time': number | null;
  downtime: number | null;
  'expected-downtime': number | null;
  'cpu-throttle-percentage': number | null;
  ram: { total?: number; transferred?: number; remaining?: number; duplicate?: number; normal?: number; 'dirty-sync-count'?: number };
  guest_pages: number | null;
}

export interface Recording {
  header: Json & {
    name: string;
    ram_mib: number;
    fill_mib: number;
    ws_mib: number;
    max_bandwidth_MiBps: number;
    downtime_limit_ms: number;
    auto_converge: boolean;
    cap_s: number;
  };
  polls: Poll[];
  lines: RecordingLine[];
}

/** What QEMU reported: at completion, or at the last active poll before the time cap. */
export interface Observed {
  converged: boolean;
  /** It completed in postcopy: `seconds` is when postcopy started, `completedSeconds` when all RAM arrived. */
  postcopy: boolean;
  /** total-time at completion (s), or null. */
  completedSeconds: number | null;
  /** Start of the switchover (total-time minus downtime), or the last active poll's time. */
  seconds: number;
  downtimeMs: number | null;
  dirtySyncCount: number;
  transferredBytes: number;
  ramBytes: number;
  maxThrottlePercent: number;
  /** The guest's own page writes x 4 KiB per second while migrating, before any throttling. */
  guestWriteBytesPerSecond: number;
}

export function parseRecording(text: string): Recording {
  const lines = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RecordingLine);
  const header = lines.find((l) => l.type === 'header');
  if (!header) throw new Error('the recording has no header line');
  return { header: header as unknown as Recording['header'], polls: lines.filter((l) => l.type === 'poll') as unknown as Poll[], lines };
}

export function observe(rec: Recording): Observed {
  const active = rec.polls.filter((p) => p.status === 'active' && p.ram['dirty-sync-count'] !== undefined);
  if (active.length === 0) throw new Error(`${rec.header.name}: no active poll recorded`);
  const last = rec.polls[rec.polls.length - 1];
  const ramBytes = active[0].ram.total!;
  const maxThrottlePercent = Math.max(0, ...rec.polls.map((p) => p['cpu-throttle-percentage'] ?? 0));
  const unthrottled = active.filter((p) => !p['cpu-throttle-percentage'] && p.guest_pages !== null);
  const a = unthrottled[0],
    b = unthrottled[unthrottled.length - 1];
  const guestWriteBytesPerSecond = b && b.t > a.t ? ((b.guest_pages! - a.guest_pages!) * 4096) / (b.t - a.t) : 0;
  const common = { ramBytes, maxThrottlePercent, guestWriteBytesPerSecond };
  if (last.status === 'completed') {
    // Postcopy: the switch is when migrate-start-postcopy took effect (the first postcopy poll's
    // total-time minus the time since the command), which the event's time gives on our clock.
    const started = rec.lines.find((l) => l.type === 'event' && l.event === 'migrate-start-postcopy') as (RecordingLine & { t: number }) | undefined;
    const postcopy = !!started && rec.polls.some((p) => p.status.startsWith('postcopy'));
    return {
      converged: true,
      postcopy,
      completedSeconds: last['total-time']! / 1000,
      seconds: postcopy ? started!.t : (last['total-time']! - last.downtime!) / 1000,
      downtimeMs: last.downtime,
      dirtySyncCount: last.ram['dirty-sync-count']!,
      transferredBytes: last.ram.transferred!,
      ...common,
    };
  }
  const end = active[active.length - 1];
  return {
    converged: false,
    postcopy: false,
    completedSeconds: null,
    seconds: end['total-time']! / 1000,
    downtimeMs: null,
    dirtySyncCount: end.ram['dirty-sync-count']!,
    transferredBytes: end.ram.transferred!,
    ...common,
  };
}

const key = (p: Json) => JSON.stringify([p.status, (p.ram as Json)?.['dirty-sync-count'], p['cpu-throttle-percentage']]);

/**
 * Drops routine polls until the JSONL fits in maxBytes. Kept always: the header, events,
 * the final line, and the polls on both sides of every change of status, sync count or
 * throttle; of the rest every n-th, with n as small as fits.
 */
export function decimate(lines: RecordingLine[], maxBytes: number): RecordingLine[] {
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (l.type !== 'poll') return keep.add(i);
    const prev = lines[i - 1],
      next = lines[i + 1];
    if (prev?.type !== 'poll' || next?.type !== 'poll' || key(prev) !== key(l) || key(next) !== key(l)) keep.add(i);
  });
  for (let n = 1; ; n++) {
    const out = lines.filter((l, i) => keep.has(i) || (l.type === 'poll' && i % n === 0));
    if (serialize(out).length <= maxBytes || out.length === keep.size) return out;
  }
}

export function serialize(lines: RecordingLine[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
