// Records one real precopy migration: boots the guest under TCG, measures its own write
// rate, sets the parameters, migrates to `exec:cat > /dev/null` (no network, no disk)
// and samples query-migrate and the guest's counter every 100 ms. The result is the
// JSONL format of ../shared/qemu/migrations-10.2 (header, polls, events, final).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpProcess } from '../qmpProcess';
import { buildGuest, decodeStatus, GUEST_STATUS_ADDR, GUEST_STATUS_SIZE, type GuestStatus } from './guest';

const MiB = 1024 * 1024;
const POLL_S = 0.1;
const WARMUP_S = 2;
/** Guest boot and fill; generous because TCG slows down on a loaded host. */
const BOOT_TIMEOUT_S = 60;
export const MIGRATION_URI = 'exec:cat > /dev/null';

export interface MigrationCase {
  name: string;
  description: string;
  ramMiB: number;
  /** Non-zero data written at boot; the rest of RAM stays zero. */
  fillMiB: number;
  /** Working set rewritten for ever; 0 = the guest halts after filling (idle). */
  wsMiB: number;
  /** Target page-write rate (4 KiB per write); the real rate is measured. */
  rateMiBps: number;
  pattern?: 'sweep' | 'random';
  /** paced (default): a steady rate on the TSC; cpu: a CPU-bound busy loop (see guest.c). */
  writer?: 'paced' | 'cpu';
  /** 0 = unlimited. */
  maxBandwidthMiBps: number;
  downtimeLimitMs: number;
  autoConverge?: boolean;
  /** Cancel a migration still running after this long. */
  capSeconds: number;
}

/** The query-migrate `ram` fields the comparison uses (the full section is mostly zeros). */
const RAM_FIELDS = ['total', 'transferred', 'remaining', 'duplicate', 'normal', 'dirty-sync-count', 'mbps', 'dirty-pages-rate'];

export type RecordingLine = Record<string, unknown> & { type: 'header' | 'poll' | 'event' | 'final' };

type Json = Record<string, unknown>;

export async function recordMigration(c: MigrationCase): Promise<RecordingLine[]> {
  const elf = buildGuest();
  const dir = mkdtempSync(join(tmpdir(), 'qapi-qmp-migration-'));
  const statusFile = join(dir, 'status.bin');
  const append = [`ws=${c.wsMiB}`, `fill=${c.fillMiB}`, `rate=${c.rateMiBps}`, `pattern=${c.pattern ?? 'sweep'}`, `mode=${c.writer ?? 'paced'}`].join(' ');
  const qmp = await QmpProcess.startNegotiated({
    args: ['-M', 'pc', '-accel', 'tcg', '-smp', '1', '-m', String(c.ramMiB), '-kernel', elf, '-append', append],
  });
  try {
    const guest = async (): Promise<GuestStatus | null> => {
      await qmp.execute('pmemsave', { val: GUEST_STATUS_ADDR, size: GUEST_STATUS_SIZE, filename: statusFile });
      return decodeStatus(readFileSync(statusFile));
    };
    await qmp.execute('cont');
    const booted = Date.now();
    let pre: GuestStatus | null = null;
    while (!pre || (pre.state !== 'writing' && pre.state !== 'idle')) {
      if (Date.now() - booted > BOOT_TIMEOUT_S * 1000) throw new Error(`guest not ready after ${BOOT_TIMEOUT_S} s: ${JSON.stringify(pre)}`);
      await sleep(100);
      pre = await guest();
      if (pre?.state === 'no-hpet') throw new Error('the guest found no HPET to time its writes (QEMU started without one?)');
    }
    // The guest's own counter over the warm-up: the real write rate on this host now.
    const w0 = await guest(), t0 = performance.now();
    await sleep(WARMUP_S * 1000);
    const w1 = await guest(), t1 = performance.now();
    const warmupRate = (w1!.pages - w0!.pages) / ((t1 - t0) / 1000);

    const paramsSet: Json = {
      'max-bandwidth': Math.round(c.maxBandwidthMiBps * MiB),
      'downtime-limit': c.downtimeLimitMs,
    };
    await qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'auto-converge', state: !!c.autoConverge }] });
    await qmp.execute('migrate-set-parameters', paramsSet);
    const paramsEffective = await qmp.execute('query-migrate-parameters');
    const capsEffective = await qmp.execute('query-migrate-capabilities');
    const version = (qmp.greeting as { version?: { qemu?: { major: number; minor: number; micro: number } } }).version?.qemu;
    const header: RecordingLine = {
      type: 'header', name: c.name, description: c.description,
      qemu: version ? `${version.major}.${version.minor}.${version.micro}` : 'unknown', accel: 'tcg',
      host_ncpu: cpus().length, host_loadavg: loadavg(), wall_start: new Date().toISOString(),
      ram_mib: c.ramMiB, fill_mib: c.fillMiB, ws_mib: c.wsMiB, pattern: c.pattern ?? 'sweep', writer: c.writer ?? 'paced',
      rate_target_MiBps: c.rateMiBps, dest: 'exec', uri: MIGRATION_URI,
      max_bandwidth_MiBps: c.maxBandwidthMiBps, downtime_limit_ms: c.downtimeLimitMs, auto_converge: !!c.autoConverge,
      params_set: paramsSet, params_effective: paramsEffective, capabilities_effective: capsEffective,
      guest_status_pre: w1, guest_page_writes_per_s: warmupRate,
      guest_write_MiBps: (warmupRate * 4096) / MiB, pipe_bytes_per_s: pipeBytesPerSecond(), warmup_s: WARMUP_S, cap_s: c.capSeconds, poll_s: POLL_S,
    };

    const lines: RecordingLine[] = [header];
    const start = performance.now();
    const now = () => (performance.now() - start) / 1000;
    await qmp.execute('migrate', { uri: MIGRATION_URI });
    let cancelledAt: number | null = null;
    for (let k = 1; ; k++) {
      const info = (await qmp.execute('query-migrate')) as Json;
      const g = await guest();
      const t = now();
      lines.push(poll(t, info, g));
      const status = String(info.status);
      if (status === 'completed' || status === 'failed' || status === 'cancelled') break;
      if (cancelledAt === null && t >= c.capSeconds) {
        await qmp.execute('migrate_cancel');
        cancelledAt = now();
        lines.push({ type: 'event', t: cancelledAt, event: 'migrate_cancel (time cap)' });
      }
      if (cancelledAt !== null && t - cancelledAt > 10) throw new Error('migration did not cancel within 10 s');
      await sleep(Math.max(0, (start + k * POLL_S * 1000) - performance.now()));
    }
    lines.push({
      type: 'final', guest_status: await guest(), vm_status: await qmp.execute('query-status'),
      host_loadavg: loadavg(), events: qmp.events,
    });
    return lines;
  } finally {
    await qmp.quit();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throughput of the local pipe the migration writes into (1 GiB through `cat > /dev/null`). */
export function pipeBytesPerSecond(): number {
  const t0 = performance.now();
  execFileSync('sh', ['-c', 'dd if=/dev/zero bs=64K count=16384 status=none | cat > /dev/null']);
  return 2 ** 30 / ((performance.now() - t0) / 1000);
}

function poll(t: number, info: Json, g: GuestStatus | null): RecordingLine {
  const ram = (info.ram ?? {}) as Json;
  const slim: Json = {};
  for (const f of RAM_FIELDS) if (f in ram) slim[f] = ram[f];
  return {
    type: 'poll', t: Math.round(t * 1e4) / 1e4, status: info.status,
    'total-time': info['total-time'] ?? null, 'setup-time': info['setup-time'] ?? null,
    'expected-downtime': info['expected-downtime'] ?? null, downtime: info.downtime ?? null,
    'cpu-throttle-percentage': info['cpu-throttle-percentage'] ?? null,
    ram: slim, guest_pages: g?.pages ?? null, guest_passes: g?.passes ?? null,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
