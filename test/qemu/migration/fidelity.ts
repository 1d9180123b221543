// Every committed recording against the simulator, grouped by mechanism and QEMU version:
// how many runs, how many verdicts agree, and the median and worst relative error of
// switchover time, transferred bytes and downtime. BENCHMARKS.md's tables and the
// simulator's table of measured errors (what the preview's confidence reads) come from it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../helpers/shared';
import type { MeasuredError } from '../../../server/src/simulator/fidelity';
import { compareRecording, TOLERANCE, type Comparison } from './compare';
import { MECHANISM_CASES } from './mechanisms';
import { parseRecording } from './recording';

export const RECORDING_DIRS = { '7.2': join(REPO, 'bench', 'recordings-7.2'), '10.2': join(REPO, 'bench', 'recordings-10.2') } as const;

/** The mechanism a recording exercises: its case's, or plain precopy / auto-converge for the 7.2 calibration set. */
export function mechanismOf(name: string): string {
  const c = MECHANISM_CASES.find((m) => m.name === name);
  if (c) return c.mechanism;
  return name === 'autoconverge' ? 'auto-converge' : 'precopy';
}

export interface Row {
  version: string;
  name: string;
  mechanism: string;
  comparison: Comparison;
}

export function compareAll(): Row[] {
  const rows: Row[] = [];
  for (const [version, dir] of Object.entries(RECORDING_DIRS)) {
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.jsonl'))
      .sort()) {
      const comparison = compareRecording(parseRecording(readFileSync(join(dir, f), 'utf8')));
      rows.push({ version, name: comparison.name, mechanism: mechanismOf(comparison.name), comparison });
    }
  }
  return rows;
}

export interface Summary {
  mechanism: string;
  version: string;
  recordings: number;
  verdictsAgree: number;
  /** Absolute relative errors; null when no run of the group has the figure. */
  switchover: { median: number; worst: number; within15: number; n: number } | null;
  bytes: { median: number; worst: number } | null;
  downtimeMs: { median: number; worst: number; withinTolerance: number; n: number } | null;
  syncs: { median: number; worst: number } | null;
  /** Runs whose every check is within tolerance. */
  withinTolerance: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs: number[]) => (xs.length ? { median: median(xs), worst: Math.max(...xs) } : null);

export function summarise(rows: Row[]): Summary[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.mechanism}\u0000${r.version}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: Summary[] = [];
  for (const [key, rs] of groups) {
    const [mechanism, version] = key.split('\u0000');
    const metric = (m: string) => rs.flatMap((r) => r.comparison.checks.filter((k) => k.metric === m && k.error !== null).map((k) => Math.abs(k.error!)));
    const sw = metric('switchover s');
    const down = rs.flatMap((r) => r.comparison.checks.filter((k) => k.metric === 'downtime ms'));
    const downErr = down.map((k) => Math.abs(k.error!)).filter(Number.isFinite);
    out.push({
      mechanism,
      version,
      recordings: rs.length,
      verdictsAgree: rs.filter((r) => r.comparison.checks.find((k) => k.metric === 'verdict')!.ok).length,
      switchover: sw.length ? { ...stats(sw)!, within15: sw.filter((e) => e <= 0.15).length, n: sw.length } : null,
      bytes: stats(metric('transferred MB')),
      downtimeMs: down.length
        ? {
            ...(stats(downErr) ?? { median: NaN, worst: NaN }),
            withinTolerance: down.filter(
              (k) => Math.abs((k.simulated as number) - (k.real as number)) <= Math.max(TOLERANCE.downtimeAbsoluteMs, TOLERANCE.downtime * (k.real as number)),
            ).length,
            n: down.length,
          }
        : null,
      syncs: stats(metric('dirty syncs')),
      withinTolerance: rs.filter((r) => r.comparison.ok).length,
    });
  }
  return out.sort((a, b) => a.mechanism.localeCompare(b.mechanism) || a.version.localeCompare(b.version));
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** BENCHMARKS.md's per-mechanism table. */
export function summaryTable(sums: Summary[]): string {
  const lines = [
    '| mechanism | QEMU | recordings | verdicts agree | switchover error median / worst | within 15% | bytes error median / worst | downtime error median / worst | downtime within tolerance | syncs error median / worst | every check within tolerance |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of sums) {
    lines.push(
      `| ${s.mechanism} | ${s.version} | ${s.recordings} | ${s.verdictsAgree}/${s.recordings} ` +
        `| ${s.switchover ? `${pct(s.switchover.median)} / ${pct(s.switchover.worst)}` : '–'} | ${s.switchover ? `${s.switchover.within15}/${s.switchover.n}` : '–'} ` +
        `| ${s.bytes ? `${pct(s.bytes.median)} / ${pct(s.bytes.worst)}` : '–'} ` +
        `| ${s.downtimeMs && Number.isFinite(s.downtimeMs.median) ? `${pct(s.downtimeMs.median)} / ${pct(s.downtimeMs.worst)}` : '–'} ` +
        `| ${s.downtimeMs ? `${s.downtimeMs.withinTolerance}/${s.downtimeMs.n}` : '–'} ` +
        `| ${s.syncs ? `${pct(s.syncs.median)} / ${pct(s.syncs.worst)}` : '–'} | ${s.withinTolerance}/${s.recordings} |`,
    );
  }
  return lines.join('\n');
}

const round2 = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);

/** The simulator's table of measured errors (server/src/simulator/fidelity.ts) as the recordings give it now. */
export function measuredErrors(sums: Summary[]): MeasuredError[] {
  return sums.map((s) => ({
    mechanism: s.mechanism,
    version: s.version,
    recordings: s.recordings,
    verdictsAgree: s.verdictsAgree,
    switchoverMedian: round2(s.switchover?.median),
    switchoverWorst: round2(s.switchover?.worst),
    bytesWorst: round2(s.bytes?.worst),
    withinTolerance: s.withinTolerance,
  }));
}

export const FIDELITY_SOURCE = join(REPO, 'server', 'src', 'simulator', 'fidelity.ts');

/** fidelity.ts with the generated block replaced by `table`. */
export function withTable(source: string, table: MeasuredError[]): string {
  const begin = '// BEGIN MEASURED ERRORS (generated)\n',
    end = '// END MEASURED ERRORS';
  const i = source.indexOf(begin),
    j = source.indexOf(end);
  if (i < 0 || j < i) throw new Error('fidelity.ts has lost its generated-table markers');
  const value = (v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v));
  const row = (r: MeasuredError) =>
    `  { ${Object.entries(r)
      .map(([k, v]) => `${k}: ${value(v)}`)
      .join(', ')} },`;
  const body = `export const MEASURED_ERRORS: MeasuredError[] = [\n${table.map(row).join('\n')}\n];\n`;
  return source.slice(0, i + begin.length) + body + source.slice(j);
}
