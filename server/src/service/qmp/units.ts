// Sizes, rates and their spellings: the script header's quantities, HMP's size
// strings (QEMU's qemu_strtosz) and the conversions hover shows.

const BINARY: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };

/**
 * QEMU's size syntax (util/cutils.c do_strtosz): a non-negative number, a fraction only
 * with a suffix, one suffix letter B/K/M/G/T/P/E (any case, powers of 1024).
 * `defaultUnit` is what a bare number means (1 = bytes, 2^20 for max-bandwidth's MiB).
 */
export function qemuStrtosz(text: string, defaultUnit: number): { value: bigint } | { error: string } {
  const m = /^\s*(0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z]?)$/.exec(text);
  if (!m) {
    if (/^\s*-/.test(text)) return { error: 'sizes cannot be negative' };
    if (/^\s*[\d.]+\s*[A-Za-z]{2,}$/.test(text)) return { error: 'use a single suffix letter (B, K, M, G, T, P or E), not a unit such as GiB' };
    return { error: 'not a size: write a number with an optional suffix B, K, M, G, T, P or E' };
  }
  const [, num, suffix] = m;
  const unit = suffix ? BINARY[suffix.toLowerCase()] : defaultUnit;
  if (unit === undefined) return { error: `'${suffix}' is not a size suffix (B, K, M, G, T, P or E)` };
  if (num.includes('.') && unit === 1) return { error: 'a fraction of a byte is not a size: add a suffix (for example 1.5G)' };
  if (num.includes('.')) {
    const v = Math.round(Number(num) * unit);
    return Number.isFinite(v) && v <= 2 ** 64 ? { value: BigInt(v) } : { error: 'too large' };
  }
  const v = BigInt(num) * BigInt(unit);
  return v >= 2n ** 64n ? { error: 'too large for 64 bits' } : { value: v };
}

const HEADER_SIZE: Record<string, number> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tib: 2 ** 40,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
};
const HEADER_BITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9, tbit: 1e12 };

/** Header size: `8G`, `512MiB`, `1.5GB`, `4096` (bytes). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(text);
  const unit = m ? HEADER_SIZE[m[2].toLowerCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}

/** Header rate in bytes per second: a size per second (`200M/s`, `1.25GB/s`) or bits (`10Gbit/s`). */
export function parseRate(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)\/s$/.exec(text);
  if (!m) return undefined;
  const bits = HEADER_BITS[m[2].toLowerCase()];
  if (bits !== undefined) return (Number(m[1]) * bits) / 8;
  const unit = HEADER_SIZE[m[2].toLowerCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toString() : n >= 10 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2).replace(/\.?0+$/, ''));

function pick(n: number, units: [number, string][], stepDown = false): string {
  let i = 0;
  units.forEach((u, k) => {
    if (n >= u[0]) i = k;
  });
  // "1192 MiB/s" reads better than "1.16 GiB/s" for binary units.
  if (stepDown && i > 0 && n / units[i][0] < 10) i--;
  const best = units[i];
  return `${fmt(n / best[0])} ${best[1]}`;
}

/** `1250000000` B/s -> "1.25 GB/s = 10 Gbit/s = 1192 MiB/s". */
export function describeBytes(n: number, perSecond: boolean): string {
  const s = perSecond ? '/s' : '';
  if (n === 0) return `0 B${s}`;
  const dec =
    pick(n, [
      [1, 'B'],
      [1e3, 'kB'],
      [1e6, 'MB'],
      [1e9, 'GB'],
      [1e12, 'TB'],
    ]) + s;
  const bin =
    pick(
      n,
      [
        [1, 'B'],
        [2 ** 10, 'KiB'],
        [2 ** 20, 'MiB'],
        [2 ** 30, 'GiB'],
        [2 ** 40, 'TiB'],
      ],
      true,
    ) + s;
  const parts = [`${n} B${s}`, dec];
  if (perSecond)
    parts.push(
      pick(n * 8, [
        [1, 'bit/s'],
        [1e3, 'kbit/s'],
        [1e6, 'Mbit/s'],
        [1e9, 'Gbit/s'],
        [1e12, 'Tbit/s'],
      ]),
    );
  parts.push(bin);
  return [...new Set(parts)].join(' = ');
}

export function describeMs(n: number): string {
  return n >= 1000 ? `${n} ms = ${fmt(n / 1000)} s` : `${n} ms`;
}
