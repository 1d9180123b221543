// Measure the workload of a running guest for the convergence preview's `# workload:`
// header: calc-dirty-rate (page sampling, calc-time seconds; a command that makes QEMU
// work, so callers confirm first), query-dirty-rate, query-memory-size-summary,
// query-cpus-fast. QMP cannot measure the link, the working set or the zero pages: the
// user's values for those are kept.
import { readHeaderLine, emptyHeader } from '../service/qmp/script/header';
import type { QmpConnection } from './qmpClient';

export interface Measured {
  ramBytes: number;
  dirtyBytesPerSecond: number;
  vcpus: number;
}

export async function measureWorkload(conn: QmpConnection, calcTimeSeconds = 1): Promise<Measured> {
  const calc = Math.max(1, Math.min(60, Math.round(calcTimeSeconds)));
  await conn.execute('calc-dirty-rate', { 'calc-time': calc });
  const end = Date.now() + (calc + 15) * 1000;
  let rate: { status?: string; 'dirty-rate'?: number };
  for (;;) {
    rate = (await conn.execute('query-dirty-rate')) as typeof rate;
    if (rate?.status === 'measured') break;
    if (Date.now() > end) throw new Error(`calc-dirty-rate gave no result within ${calc + 15} s (status ${rate?.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const mem = (await conn.execute('query-memory-size-summary')) as { 'base-memory'?: number };
  const cpus = (await conn.execute('query-cpus-fast')) as unknown[];
  return {
    ramBytes: Number(mem?.['base-memory'] ?? 0),
    // QEMU reports MiB/s (dirtyrate.c shifts bytes by 20).
    dirtyBytesPerSecond: Number(rate['dirty-rate'] ?? 0) * 2 ** 20,
    vcpus: Array.isArray(cpus) ? cpus.length : 1,
  };
}

/** The `# workload:` line with the measured items, keeping every other item of `previous`. */
export function workloadLine(m: Measured, previous?: string): string {
  const keep = (previous ?? '')
    .replace(/^\s*#\s*workload\s*:\s*/i, '')
    .split(/\s+/)
    .filter((w) => w && !/^(ram|dirty-rate|vcpus)=/.test(w));
  const mib = (b: number) => `${Math.max(1, Math.round(b / 2 ** 20))}MiB`;
  return `# workload: ram=${mib(m.ramBytes)} dirty-rate=${mib(m.dirtyBytesPerSecond)}/s vcpus=${m.vcpus}${keep.length ? ' ' + keep.join(' ') : ''}`;
}

/** What the header parser reads back from a line (to check the units round-trip). */
export function readWorkload(line: string) {
  const h = emptyHeader();
  readHeaderLine(h, line, 0, 0);
  return h;
}
