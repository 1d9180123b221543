// Benchmarks register here; bench/run.ts runs them all and writes a table.
// A benchmark measures with the clock in a warm process, never inside a test.

export interface BenchResult {
  name: string;
  /** The figure and its unit, e.g. { value: 12.3, unit: 'ms' }. */
  value: number;
  unit: string;
  /** The brief's target or a reference figure, in words (e.g. "<= 20 ms; QEMU: ~320 ms"). */
  reference?: string;
  detail?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]> | BenchResult[];
}

export const benchmarks: Benchmark[] = [];

export function register(b: Benchmark): void {
  benchmarks.push(b);
}

/** Median and p99 of timing samples in ms. */
export function stats(samples: number[]): { median: number; p99: number; min: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p99: at(0.99), min: s[0] };
}

export function time(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
