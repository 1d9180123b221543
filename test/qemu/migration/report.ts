// The comparison as a Markdown table (BENCHMARKS.md (Simulator vs real QEMU 7.2) is made from it).
import type { Comparison } from './compare';

const fmt = (v: unknown, digits: number) => (typeof v === 'number' ? v.toFixed(digits) : v === null ? '–' : String(v));
const pct = (e: number | null) => (e === null ? '' : ` (${e >= 0 ? '+' : ''}${(e * 100).toFixed(0)}%)`);

export function markdownTable(rows: Comparison[]): string {
  const out = [
    '| run | guest writes MiB/s (measured) | verdict real / sim | switchover s real / sim | dirty syncs real / sim | transferred MB real / sim | downtime ms real / sim | throttle % real / sim | within tolerance |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of rows) {
    const get = (m: string) => c.checks.find((k) => k.metric === m);
    const cell = (m: string, digits: number) => {
      const k = get(m);
      return k ? `${fmt(k.real, digits)} / ${fmt(k.simulated, digits)}${k.informative ? '' : pct(k.error)}` : '–';
    };
    const verdict = get('verdict')!;
    const down = get('downtime ms');
    out.push(
      `| ${c.name} | ${(c.scenario.guest.dirtyBytesPerSecond / 2 ** 20).toFixed(1)} | ${verdict.real} / ${verdict.simulated} | ${cell('switchover s', 2)} ` +
        `| ${cell('dirty syncs', 0)} | ${cell('transferred MB', 1)} | ${down ? `${fmt(down.real, 0)} / ${fmt(down.simulated, 1)}` : '–'} ` +
        `| ${c.observed.maxThrottlePercent} / ${c.result.finalThrottlePercent ?? 0} | ${
          c.ok
            ? 'yes'
            : `**no**: ${c.checks
                .filter((k) => !k.ok)
                .map((k) => k.metric)
                .join(', ')}`
        } |`,
    );
  }
  return out.join('\n');
}
