// The precopy simulator's speed: one hour of simulated migration (targets <= 5 ms)
// and a 100 x 100 sweep avail-switchover-bandwidth x downtime-limit (<= 500 ms).
import { simulate, sweep, type Scenario } from '../server/src/simulator/index';
import { register, stats, time, type BenchResult } from './registry';

const GiB = 2 ** 30,
  MiB = 2 ** 20;

const hour = (guest: Partial<Scenario['guest']>, parameters: Scenario['parameters']): Scenario => ({
  qemuVersion: '10.2',
  guest: { ramBytes: 8 * GiB, workingSetBytes: 4 * GiB, dirtyBytesPerSecond: 200e6, zeroPageFraction: 0, vcpus: 4, ...guest },
  link: { bytesPerSecond: 125e6, sendingEfficiency: 1 },
  parameters,
  capabilities: {},
  maxSeconds: 3600,
});

const CASES: [string, Scenario][] = [
  ['1 h, dirtying faster than a 1G link (2 bodies per window)', hour({}, { 'max-bandwidth': 0 })],
  ['1 h, 128 MiB/s cap on 10G (1 body per window)', { ...hour({}, {}), link: { bytesPerSecond: 1.25e9, sendingEfficiency: 1 } }],
  ['1 h, 48 MB hot set at 2 GB/s (a sync on every loop)', hour({ ramBytes: 4 * GiB, workingSetBytes: 48e6, dirtyBytesPerSecond: 2e9 }, { 'max-bandwidth': 0 })],
];

/** The 10.2 recordings' guest (512 MiB, 64 MiB rewritten at ~80 MiB/s, 32 MiB/s cap), 60 s. */
const recorded: Scenario = {
  qemuVersion: '10.2',
  guest: { ramBytes: 512 * MiB, workingSetBytes: 64 * MiB, dirtyBytesPerSecond: 80 * MiB, zeroPageFraction: 0.75, vcpus: 1 },
  link: { bytesPerSecond: 2.5e9, sendingEfficiency: 1 },
  parameters: { 'max-bandwidth': 32 * MiB },
  capabilities: {},
  maxSeconds: 60,
};

/** Process CPU time per sample (the machine is shared: wall time includes waiting). */
function cpuPer(start: NodeJS.CpuUsage, n: number): string {
  const u = process.cpuUsage(start);
  return `process CPU ${((u.user + u.system) / 1000 / n).toFixed(2)} ms each;`;
}

register({
  name: 'simulator',
  run(): BenchResult[] {
    const out: BenchResult[] = [];
    for (const [name, s] of CASES) {
      for (let i = 0; i < 10; i++) simulate(s);
      const cpu0 = process.cpuUsage();
      const samples = Array.from({ length: 30 }, () => time(() => simulate(s)));
      const st = stats(samples);
      out.push({
        name: `simulate: ${name}`,
        value: st.median,
        unit: 'ms',
        reference: '<= 5 ms',
        detail: `${cpuPer(cpu0, samples.length)} min ${st.min.toFixed(2)} p99 ${st.p99.toFixed(2)}`,
      });
    }
    const x = { parameter: 'avail-switchover-bandwidth' as const, values: Array.from({ length: 100 }, (_, i) => (i + 1) * 10 * MiB) };
    const y = { parameter: 'downtime-limit' as const, values: Array.from({ length: 100 }, (_, i) => (i + 1) * 20) };
    sweep(recorded, x, y);
    const cpu0 = process.cpuUsage();
    const samples = Array.from({ length: 5 }, () => time(() => sweep(recorded, x, y)));
    const cpu = cpuPer(cpu0, samples.length);
    const st = stats(samples);
    const cells = sweep(recorded, x, y).converged.flat();
    out.push({
      name: 'sweep 100 x 100 asb x downtime-limit (60 s each)',
      value: st.median,
      unit: 'ms',
      reference: '<= 500 ms',
      detail: `${cpu} min ${st.min.toFixed(1)}; ${cells.filter(Boolean).length} of ${cells.length} cells converge`,
    });
    return out;
  },
});
