// Numbers as the page shows them: binary byte units (QEMU's sizes are powers of 1024),
// seconds with one decimal, and the verdict as one sentence for screen readers.
import type { SimulationResult } from '../../server/src/simulator/types';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = v >= 100 || u === 0 ? 0 : v >= 10 ? 1 : 2;
  return `${n < 0 ? '-' : ''}${Number(v.toFixed(digits))} ${UNITS[u]}`;
}

export const formatRate = (bytesPerSecond: number) => `${formatBytes(bytesPerSecond)}/s`;

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 10) return `${Number(s.toFixed(2))} s`;
  if (s < 120) return `${Number(s.toFixed(1))} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

export const formatMs = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)} ms` : '–');

/** The verdict as a headline. */
export function verdictTitle(r: SimulationResult): string {
  if (r.converged && r.switchoverSeconds !== null) return `Converges: switchover after ${formatSeconds(r.switchoverSeconds)}`;
  const last = r.windows.length ? r.windows[r.windows.length - 1].t : 0;
  return `Does not converge within ${formatSeconds(last)}`;
}

/** The verdict in one sentence (the aria-live region and the chart's label). */
export function verdictSentence(r: SimulationResult): string {
  const parts = [verdictTitle(r) + '.'];
  if (r.downtimeMs !== null) {
    const over = r.downtimeMs > r.downtimeLimitMs;
    parts.push(`Downtime ${formatMs(r.downtimeMs)}, ${over ? 'above' : 'within'} the ${formatMs(r.downtimeLimitMs)} limit.`);
  } else {
    parts.push(`Downtime limit ${formatMs(r.downtimeLimitMs)}.`);
  }
  parts.push(`${r.dirtySyncCount} dirty bitmap sync${r.dirtySyncCount === 1 ? '' : 's'}, ${formatBytes(r.transferredBytes)} sent.`);
  if (r.recommendations.length) parts.push(`${r.recommendations.length} recommendation${r.recommendations.length === 1 ? '' : 's'}.`);
  return parts.join(' ');
}
