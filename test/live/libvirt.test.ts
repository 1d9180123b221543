// `libvirt:DOMAIN?URI` against Debian's libvirt daemon and a TCG domain. The test starts
// its own libvirtd (private socket folder) and, when none runs, virtlogd, creates a
// transient diskless domain, and stops everything by PID at the end. It needs the
// libvirt-daemon, libvirt-daemon-driver-qemu and libvirt-clients packages and the
// libvirt-qemu user (.ci/install-deps creates it); without them it skips, saying so.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { connectTo } from '../../server/src/live/connect';
import { QmpCommandError, QmpConnectionError } from '../../server/src/live/errors';
import { runCli } from './cli';
import { waitUntil } from './qemus';

const LIBVIRTD = '/usr/sbin/libvirtd',
  VIRTLOGD = '/usr/sbin/virtlogd',
  VIRTLOGD_SOCK = '/run/libvirt/virtlogd-sock';

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'the libvirt test runs a privileged libvirtd (needs root)';
  for (const f of [LIBVIRTD, VIRTLOGD, '/usr/bin/virsh', '/usr/bin/qemu-system-x86_64']) {
    if (!existsSync(f))
      return `${f} is absent: apt-get install libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 (see .ci/install-deps)`;
  }
  if (spawnSync('getent', ['passwd', 'libvirt-qemu']).status !== 0)
    return 'the libvirt-qemu user is missing (libvirt-daemon-system or .ci/install-deps creates it)';
  return false;
}

const DOMAIN_XML = `<domain type='qemu'>
  <name>qapi-qmp-live-test</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>`;

async function stop(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  process.kill(p.pid!, 'SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  if (p.exitCode === null && p.signalCode === null) {
    process.kill(p.pid!, 'SIGKILL');
    await gone;
  }
}

/**
 * A privileged libvirtd keeps machine-wide state (/run/libvirt), so two test runs on one
 * machine (several worktrees) must not start theirs at the same time: an exclusive lock
 * file, taken over when the PID in it is gone, waited for with a deadline.
 */
async function machineLock(timeoutMs: number): Promise<() => void> {
  const path = join(tmpdir(), 'qapi-qmp-libvirt.lock');
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(path, 'utf8'));
      } catch {
        /* removed meanwhile */
      }
      let alive = false;
      try {
        if (holder > 0) {
          process.kill(holder, 0);
          alive = true;
        }
      } catch {
        /* gone */
      }
      if (!alive) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > end) throw new Error(`another test run (PID ${holder}) holds ${path}: its libvirtd is still running`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const skip = skipReason();
test('libvirt:DOMAIN?URI through virsh qemu-monitor-command: version, schema, run, QEMU errors, a missing domain', { skip, timeout: 360_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-qmp-libvirt-'));
  const sockDir = join(dir, 'sock');
  mkdirSync(sockDir);
  const conf = join(dir, 'libvirtd.conf');
  writeFileSync(conf, `unix_sock_dir = "${sockDir}"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n`);
  const uri = `qemu:///system?socket=${sockDir}/libvirt-sock`;
  let virtlogd: ChildProcess | undefined,
    libvirtd: ChildProcess | undefined,
    domain = false;
  const unlock = await machineLock(150_000);
  try {
    if (!existsSync(VIRTLOGD_SOCK)) {
      virtlogd = spawn(VIRTLOGD, [], { stdio: 'ignore' });
      await waitUntil(
        () => existsSync(VIRTLOGD_SOCK),
        30_000,
        () => 'virtlogd to open its socket',
      );
    }
    let log = '';
    libvirtd = spawn(LIBVIRTD, ['-f', conf, '-p', join(dir, 'libvirtd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    libvirtd.stderr!.on('data', (b: Buffer) => {
      log = (log + b.toString()).slice(-4000);
    });
    await waitUntil(
      () => existsSync(join(sockDir, 'libvirt-sock')),
      30_000,
      () => `libvirtd to open its socket: ${log}`,
    );
    writeFileSync(join(dir, 'domain.xml'), DOMAIN_XML);
    execFileSync('virsh', ['-c', uri, 'create', join(dir, 'domain.xml')], { stdio: 'pipe', timeout: 90_000 });
    domain = true;

    const address = `libvirt:qapi-qmp-live-test?${uri}`;
    const conn = await connectTo(address);
    try {
      assert.equal(`${conn.version.major}.${conn.version.minor}`, '7.2');
      assert.equal(((await conn.execute('query-status')) as { status: string }).status, 'running');
      await assert.rejects(conn.execute('no-such-command'), (e: unknown) => e instanceof QmpCommandError && e.errorClass === 'CommandNotFound');
    } finally {
      await conn.close();
    }
    const schema = await runCli(['schema', '--connect', address]);
    assert.equal(schema.code, 0, schema.stderr);
    assert.ok(JSON.parse(schema.stdout).return.some((e: { name: string }) => e.name === 'query-migrate'));
    writeFileSync(join(dir, 's.qmp'), 'query-status\ninfo migrate_parameters\n');
    const run = await runCli(['run', join(dir, 's.qmp'), '--connect', address]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /<- \{"return":"announce-initial: 50 ms/);

    await assert.rejects(
      connectTo(`libvirt:no-such-domain?${uri}`),
      (e: unknown) => e instanceof QmpConnectionError && /virsh failed/.test((e as Error).message),
    );
  } finally {
    if (domain) spawnSync('virsh', ['-c', uri, 'destroy', 'qapi-qmp-live-test'], { timeout: 30_000 });
    await stop(libvirtd);
    await stop(virtlogd);
    rmSync(dir, { recursive: true, force: true });
    unlock();
  }
});
