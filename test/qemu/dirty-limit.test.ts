// dirty-limit against real QEMU 10.2: QEMU refuses it without KVM's dirty ring (what the
// TCG build in ../shared answers, so this runs everywhere that build is), and with KVM
// and a dirty ring it takes the capability and its parameters while the guest runs and
// dirties memory. The recordings of dirty-limit migrations (bench/recordings-10.2/
// dirty-limit-*.jsonl) are replayed by test/unit/simulator-recordings-mechanisms.test.ts;
// re-recording them is `scripts/record-migrations.ts --qemu 10.2 dirty-limit` (needs KVM).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { buildGuest, decodeStatus, GUEST_STATUS_ADDR, GUEST_STATUS_SIZE, guestSkipReason } from './migration/guest';
import { DIRTY_RING_SIZE, KVM_QEMU_ENV, qemuCommand } from './migration/record';
import { QmpProcess } from './qmpProcess';

function tcgSkip(): string | false {
  const { binary } = qemuCommand('10.2');
  return existsSync(binary) ? false : `QEMU 10.2 not found at ${binary} (it lives in ../shared/qemu/bin/10.2)`;
}

function kvmSkip(): string | false {
  if (!existsSync('/dev/kvm')) return 'needs KVM: this machine has no /dev/kvm';
  const binary = process.env[KVM_QEMU_ENV];
  if (!binary || !existsSync(binary)) {
    return `needs a QEMU 10.2 built with KVM named by ${KVM_QEMU_ENV} (the one in ../shared/qemu/bin/10.2 is TCG only; BENCHMARKS.md says how to build one)`;
  }
  return guestSkipReason();
}

test('QEMU 10.2 under TCG refuses the dirty-limit capability: it needs KVM with a dirty ring', { skip: tcgSkip(), timeout: 30_000 }, async () => {
  const { binary, args } = qemuCommand('10.2');
  const qmp = await QmpProcess.startNegotiated({ binary, args: [...args, '-M', 'none', '-accel', 'tcg'] });
  try {
    const r = await qmp.send(
      JSON.stringify({ execute: 'migrate-set-capabilities', arguments: { capabilities: [{ capability: 'dirty-limit', state: true }] } }),
    );
    assert.equal(r.kind, 'error');
    assert.match(r.kind === 'error' ? r.desc : '', /dirty-limit requires KVM with accelerator property 'dirty-ring-size' set/);
  } finally {
    await qmp.quit();
  }
});

test(
  'QEMU 10.2 under KVM with a dirty ring: the guest runs and dirties memory, and dirty-limit and its parameters are taken',
  { skip: kvmSkip(), timeout: 120_000 },
  async () => {
    const { binary, args } = qemuCommand('10.2', 'kvm');
    const dir = mkdtempSync(join(tmpdir(), 'qapi-qmp-dirty-limit-'));
    const status = join(dir, 'status.bin');
    const qmp = await QmpProcess.startNegotiated({
      binary,
      args: [
        ...args,
        '-M',
        'pc',
        '-accel',
        `kvm,dirty-ring-size=${DIRTY_RING_SIZE}`,
        '-smp',
        '1',
        '-m',
        '128',
        '-kernel',
        buildGuest(),
        '-append',
        'ws=8 fill=8 rate=0 mode=cpu delay=1 sparse=1',
      ],
    });
    try {
      await qmp.execute('cont');
      const read = async () => {
        await qmp.execute('pmemsave', { val: GUEST_STATUS_ADDR, size: GUEST_STATUS_SIZE, filename: status });
        return decodeStatus(readFileSync(status));
      };
      // Poll with a deadline: under KVM's instruction emulator the BIOS alone takes seconds.
      const deadline = Date.now() + 90_000;
      let first = await read();
      while (!(first?.state === 'writing' && first.pages > 0)) {
        assert.ok(Date.now() < deadline, `the guest never started writing under KVM: ${JSON.stringify(first)}`);
        await new Promise((r) => setTimeout(r, 200));
        first = await read();
      }
      let later = await read();
      while (later!.pages === first.pages) {
        assert.ok(Date.now() < deadline, 'the guest stopped writing under KVM');
        await new Promise((r) => setTimeout(r, 200));
        later = await read();
      }
      assert.deepEqual(await qmp.execute('query-kvm'), { enabled: true, present: true });
      await qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'dirty-limit', state: true }] });
      await qmp.execute('migrate-set-parameters', { 'vcpu-dirty-limit': 4, 'x-vcpu-dirty-limit-period': 500 });
      const params = (await qmp.execute('query-migrate-parameters')) as Record<string, unknown>;
      assert.equal(params['vcpu-dirty-limit'], 4);
      assert.equal(params['x-vcpu-dirty-limit-period'], 500);
      const caps = (await qmp.execute('query-migrate-capabilities')) as { capability: string; state: boolean }[];
      assert.equal(caps.find((c) => c.capability === 'dirty-limit')?.state, true);
    } finally {
      await qmp.quit();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
