// Records one real migration: boots the guest under TCG (Debian's QEMU 7.2 or the 10.2
// build in ../shared), measures its own write rate, sets capabilities and parameters,
// migrates either to `exec:cat > /dev/null` or to a real destination QEMU over a unix
// socket (`-incoming defer`, needed for multifd and postcopy), optionally switches to
// postcopy, and samples query-migrate and the guest's counter every 100 ms. The result
// is the JSONL format of ../shared/qemu/migrations-10.2 (header, polls, events, final);
// the final line also carries what this run achieved under the host's load (the guest's
// write rate during the migration, the sender's peak rate), so a comparison can use it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDir } from '../../helpers/shared';
import { QmpProcess } from '../qmpProcess';
import { buildGuest, decodeStatus, GUEST_STATUS_ADDR, GUEST_STATUS_SIZE, type GuestStatus } from './guest';

const MiB = 1024 * 1024;
const POLL_S = 0.1;
const WARMUP_S = 2;
/** Guest boot and fill; generous because TCG slows down on a loaded host. */
const BOOT_TIMEOUT_S = 60;
export const MIGRATION_URI = 'exec:cat > /dev/null';

export type QemuUnderTest = '7.2' | '10.2';

/**
 * The 10.2 build in ../shared is TCG only (its README: `--without-default-features
 * --enable-tcg`), so a KVM recording on 10.2 needs a QEMU 10.2 built with `--enable-kvm`
 * from the same source (../shared/qemu/bin/10.2/qemu-10.2.0-src.tar.xz), named here.
 */
export const KVM_QEMU_ENV = 'QEMU_10_2_KVM';

/** The binary and its extra arguments: Debian's 7.2 on PATH, or the 10.2 build beside the repository. */
export function qemuCommand(v: QemuUnderTest, accel: 'tcg' | 'kvm' = 'tcg'): { binary: string; args: string[] } {
  if (v === '7.2') return { binary: 'qemu-system-x86_64', args: [] };
  const dir = join(sharedDir(), 'qemu', 'bin', '10.2');
  const firmware = ['-L', join(dir, 'firmware')];
  if (accel === 'kvm') {
    const binary = process.env[KVM_QEMU_ENV];
    if (!binary) {
      throw new Error(
        `${dir}/qemu-system-x86_64 is built without KVM; build QEMU 10.2 with --enable-kvm from its qemu-10.2.0-src.tar.xz (BENCHMARKS.md) and set ${KVM_QEMU_ENV} to it`,
      );
    }
    return { binary, args: firmware };
  }
  return { binary: join(dir, 'qemu-system-x86_64'), args: firmware };
}

/** KVM's dirty ring, in entries (dirty-limit needs it): QEMU's recommended size. */
export const DIRTY_RING_SIZE = 4096;

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
  /** Which QEMU runs both sides (default 7.2). */
  qemu?: QemuUnderTest;
  /** exec: `cat > /dev/null` (default); qemu: a real destination QEMU over a unix socket. */
  dest?: 'exec' | 'qemu';
  /** byte (default): one byte per page write; full: every word of the page (guest.c). */
  touch?: 'byte' | 'full';
  /** Further capabilities (set on both sides with a destination QEMU). */
  capabilities?: Record<string, boolean>;
  /** Further parameters (multifd-channels is set on both sides). */
  parameters?: Record<string, number | boolean>;
  /** Issue migrate-start-postcopy this long after migrate (needs postcopy-ram). */
  postcopyAfterSeconds?: number;
  /** tcg (default), or kvm with a dirty ring (dirty-limit needs it). */
  accel?: 'tcg' | 'kvm';
  /** mode=cpu: a fixed busy-loop count per write instead of calibrating (no floating point in the guest). */
  delay?: number;
  /** One word per page at fill time instead of every word (guest.c sparse=1). */
  sparseFill?: boolean;
}

/** The query-migrate `ram` fields the comparison uses (the full section is mostly zeros). */
const RAM_FIELDS = [
  'total',
  'transferred',
  'remaining',
  'duplicate',
  'normal',
  'dirty-sync-count',
  'mbps',
  'dirty-pages-rate',
  'precopy-bytes',
  'downtime-bytes',
  'postcopy-bytes',
  'multifd-bytes',
  'postcopy-requests',
];
const XBZRLE_FIELDS = ['cache-size', 'bytes', 'pages', 'cache-miss', 'cache-miss-rate', 'encoding-rate', 'overflow'];

export type RecordingLine = Record<string, unknown> & { type: 'header' | 'poll' | 'event' | 'final' };

type Json = Record<string, unknown>;

export async function recordMigration(c: MigrationCase): Promise<RecordingLine[]> {
  const elf = buildGuest();
  const dir = mkdtempSync(join(tmpdir(), 'qapi-qmp-migration-'));
  const statusFile = join(dir, 'status.bin');
  const append = [
    `ws=${c.wsMiB}`,
    `fill=${c.fillMiB}`,
    `rate=${c.rateMiBps}`,
    `pattern=${c.pattern ?? 'sweep'}`,
    `mode=${c.writer ?? 'paced'}`,
    `touch=${c.touch ?? 'byte'}`,
    ...(c.delay ? [`delay=${c.delay}`] : []),
    ...(c.sparseFill ? ['sparse=1'] : []),
  ].join(' ');
  const version = c.qemu ?? '7.2';
  const accel = c.accel ?? 'tcg';
  const { binary, args } = qemuCommand(version, accel);
  const accelArg = accel === 'kvm' ? `kvm,dirty-ring-size=${DIRTY_RING_SIZE}` : 'tcg';
  const machine = [...args, '-M', 'pc', '-accel', accelArg, '-smp', '1', '-m', String(c.ramMiB), '-kernel', elf, '-append', append];
  const uri = c.dest === 'qemu' ? `unix:${join(dir, 'migrate.sock')}` : MIGRATION_URI;
  const caps: Record<string, boolean> = { 'auto-converge': !!c.autoConverge, ...c.capabilities };
  const capList = Object.entries(caps).map(([capability, state]) => ({ capability, state }));
  let dest: QmpProcess | null = null;
  const qmp = await QmpProcess.startNegotiated({ binary, args: machine });
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
    const w0 = await guest(),
      t0 = performance.now();
    await sleep(WARMUP_S * 1000);
    const w1 = await guest(),
      t1 = performance.now();
    const warmupRate = (w1!.pages - w0!.pages) / ((t1 - t0) / 1000);

    const paramsSet: Json = {
      'max-bandwidth': Math.round(c.maxBandwidthMiBps * MiB),
      'downtime-limit': c.downtimeLimitMs,
      ...c.parameters,
    };
    if (c.dest === 'qemu') {
      // The destination: same machine, waiting for the migration; `cont` while incoming
      // makes it run as soon as it has the state (postcopy needs a running destination).
      dest = await QmpProcess.startNegotiated({ binary, args: [...machine, '-incoming', 'defer'] });
      await dest.execute('migrate-set-capabilities', { capabilities: capList });
      if (c.parameters?.['multifd-channels'] !== undefined) {
        await dest.execute('migrate-set-parameters', { 'multifd-channels': c.parameters['multifd-channels'] });
      }
      await dest.execute('cont');
      await dest.execute('migrate-incoming', { uri });
    }
    await qmp.execute('migrate-set-capabilities', { capabilities: capList });
    await qmp.execute('migrate-set-parameters', paramsSet);
    const paramsEffective = await qmp.execute('query-migrate-parameters');
    const capsEffective = await qmp.execute('query-migrate-capabilities');
    const qv = (qmp.greeting as { version?: { qemu?: { major: number; minor: number; micro: number } } }).version?.qemu;
    const header: RecordingLine = {
      type: 'header',
      name: c.name,
      description: c.description,
      qemu: qv ? `${qv.major}.${qv.minor}.${qv.micro}` : 'unknown',
      accel: accelArg,
      host_ncpu: cpus().length,
      host_loadavg: loadavg(),
      wall_start: new Date().toISOString(),
      ram_mib: c.ramMiB,
      fill_mib: c.fillMiB,
      ws_mib: c.wsMiB,
      pattern: c.pattern ?? 'sweep',
      writer: c.writer ?? 'paced',
      touch: c.touch ?? 'byte',
      rate_target_MiBps: c.rateMiBps,
      dest: c.dest ?? 'exec',
      uri: c.dest === 'qemu' ? 'unix:<temp>/migrate.sock' : uri,
      max_bandwidth_MiBps: c.maxBandwidthMiBps,
      downtime_limit_ms: c.downtimeLimitMs,
      auto_converge: !!c.autoConverge,
      capabilities_set: caps,
      postcopy_after_s: c.postcopyAfterSeconds ?? null,
      params_set: paramsSet,
      params_effective: paramsEffective,
      capabilities_effective: capsEffective,
      guest_status_pre: w1,
      guest_page_writes_per_s: warmupRate,
      guest_write_MiBps: (warmupRate * 4096) / MiB,
      pipe_bytes_per_s: c.dest === 'qemu' ? null : pipeBytesPerSecond(),
      warmup_s: WARMUP_S,
      cap_s: c.capSeconds,
      poll_s: POLL_S,
    };

    const lines: RecordingLine[] = [header];
    const start = performance.now();
    const now = () => (performance.now() - start) / 1000;
    await qmp.execute('migrate', { uri });
    let cancelledAt: number | null = null;
    let postcopyAt: number | null = null;
    for (let k = 1; ; k++) {
      const info = (await qmp.execute('query-migrate')) as Json;
      const g = await guest();
      const t = now();
      lines.push(poll(t, info, g));
      const status = String(info.status);
      if (status === 'completed' || status === 'failed' || status === 'cancelled') break;
      if (postcopyAt === null && c.postcopyAfterSeconds !== undefined && t >= c.postcopyAfterSeconds && status === 'active') {
        await qmp.execute('migrate-start-postcopy');
        postcopyAt = now();
        lines.push({ type: 'event', t: postcopyAt, event: 'migrate-start-postcopy' });
      }
      if (cancelledAt === null && t >= c.capSeconds && !status.startsWith('postcopy')) {
        await qmp.execute('migrate_cancel');
        cancelledAt = now();
        lines.push({ type: 'event', t: cancelledAt, event: 'migrate_cancel (time cap)' });
      }
      if (t >= c.capSeconds + 60) throw new Error(`migration still ${status} ${t.toFixed(0)} s after it started`);
      if (cancelledAt !== null && t - cancelledAt > 10) throw new Error('migration did not cancel within 10 s');
      await sleep(Math.max(0, start + k * POLL_S * 1000 - performance.now()));
    }
    const last = lines[lines.length - 1] as Json;
    if (last.status === 'failed') throw new Error(`migration failed: ${qmp.stderr.trim()} ${dest?.stderr.trim() ?? ''}`);
    lines.push({
      type: 'final',
      guest_status: await guest(),
      vm_status: await qmp.execute('query-status'),
      host_loadavg: loadavg(),
      achieved: achieved(lines),
      events: qmp.events,
      // A cancelled migration leaves the destination with a cut stream: it exits, as it should.
      dest_status: dest ? await dest.execute('query-status').catch(() => ({ exited: dest!.stderr.trim().split('\n').pop() })) : null,
    });
    return lines;
  } catch (e) {
    // Say what the QEMUs said: a crash or a refused capability is the likely cause.
    const said = [qmp.stderr.trim() && `source: ${qmp.stderr.trim()}`, dest?.stderr.trim() && `destination: ${dest.stderr.trim()}`].filter(Boolean);
    throw new Error(`${c.name}: ${e instanceof Error ? e.message : String(e)}${said.length ? `\n${said.join('\n')}` : ''}`);
  } finally {
    await qmp.quit();
    if (dest) await dest.quit();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What this run achieved on this host at this moment: the guest's page writes while it
 * migrated before any throttle (bytes/s), and the sender's best 1 s of wire bytes in
 * precopy (bytes/s; with a cap below it, the cap). Both go into the recording so the
 * simulator is fed what happened, not what was asked for.
 */
export function achieved(lines: RecordingLine[]): Json {
  const polls = lines.filter((l) => l.type === 'poll' && l.status === 'active') as Json[];
  const ram = (p: Json) => (p.ram ?? {}) as Json;
  const plain = polls.filter((p) => !p['cpu-throttle-percentage'] && typeof p.guest_pages === 'number');
  let guest = 0;
  if (plain.length >= 2) {
    const a = plain[0],
      b = plain[plain.length - 1];
    guest = (((b.guest_pages as number) - (a.guest_pages as number)) * 4096) / ((b.t as number) - (a.t as number));
  }
  let peak = 0;
  for (let i = 0, j = 0; i < polls.length; i++) {
    while (j < i && (polls[i].t as number) - (polls[j].t as number) > 1.05) j++;
    const dt = (polls[i].t as number) - (polls[j].t as number);
    if (dt >= 0.95) peak = Math.max(peak, ((ram(polls[i]).transferred as number) - (ram(polls[j]).transferred as number)) / dt);
  }
  return { guest_write_bytes_per_s: Math.round(guest), sender_peak_bytes_per_s: Math.round(peak) };
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
  const xb = info['xbzrle-cache'] as Json | undefined;
  const xbzrle: Json | null = xb ? {} : null;
  if (xb) for (const f of XBZRLE_FIELDS) if (f in xb) xbzrle![f] = xb[f];
  return {
    type: 'poll',
    t: Math.round(t * 1e4) / 1e4,
    status: info.status,
    'total-time': info['total-time'] ?? null,
    'setup-time': info['setup-time'] ?? null,
    'expected-downtime': info['expected-downtime'] ?? null,
    downtime: info.downtime ?? null,
    'cpu-throttle-percentage': info['cpu-throttle-percentage'] ?? null,
    ...('dirty-limit-throttle-time-per-round' in info
      ? {
          'dirty-limit-throttle-time-per-round': info['dirty-limit-throttle-time-per-round'],
          'dirty-limit-ring-full-time': info['dirty-limit-ring-full-time'] ?? null,
        }
      : {}),
    ram: slim,
    guest_pages: g?.pages ?? null,
    guest_passes: g?.passes ?? null,
    ...(xbzrle ? { 'xbzrle-cache': xbzrle } : {}),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
