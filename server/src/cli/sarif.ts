// SARIF 2.1.0 (OASIS) for `check` and `converge`, so GitHub code scanning and other SARIF
// viewers show the findings on the lines they are about. Validated in test/cli/sarif.test.ts
// against the official 2.1.0 JSON schema.
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { version as toolVersion, homepage } from '../../../package.json';
import type { CheckReport, JsonDiagnostic } from './checkReport';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';
interface Region {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: Region } }[];
  properties?: Record<string, unknown>;
}
interface Rule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: Level };
}

/** Collects results and the rules they cite, in first-seen order (stable output). */
class RunBuilder {
  readonly rules: Rule[] = [];
  readonly results: SarifResult[] = [];
  private readonly index = new Map<string, number>();

  add(ruleId: string, describe: string, level: Level, text: string, path: string, region?: Region, properties?: Record<string, unknown>): void {
    let i = this.index.get(ruleId);
    if (i === undefined) {
      i = this.rules.length;
      this.index.set(ruleId, i);
      this.rules.push({ id: ruleId, shortDescription: { text: describe }, defaultConfiguration: { level } });
    }
    this.results.push({
      ruleId,
      ruleIndex: i,
      level,
      message: { text },
      locations: [{ physicalLocation: { artifactLocation: artifact(path), ...(region ? { region } : {}) } }],
      ...(properties ? { properties } : {}),
    });
  }

  log(properties: Record<string, unknown>): object {
    return {
      $schema: SARIF_SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'qapi-qmp', version: toolVersion, informationUri: homepage, rules: this.rules } },
          // Paths are relative to where the command ran (the repository root in CI).
          originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + sep).href } },
          // LSP positions count UTF-16 code units; say so rather than rely on a default.
          columnKind: 'utf16CodeUnits',
          results: this.results,
          properties,
        },
      ],
    };
  }
}

/** A relative path under the working directory becomes a SRCROOT-relative URI; others a file: URI. */
function artifact(path: string): { uri: string; uriBaseId?: string } {
  const rel = relative(process.cwd(), path);
  if (!rel.startsWith('..') && !/^([a-zA-Z]:|\/)/.test(rel) && rel !== '') {
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(path).href };
}

const level = (s: JsonDiagnostic['severity']): Level => (s === 'information' ? 'note' : s);

export function checkToSarif(report: CheckReport): object {
  const run = new RunBuilder();
  for (const f of report.files) {
    const fallback = /\.qmp$/i.test(f.path) ? 'qmp-script' : 'qapi-schema';
    for (const d of f.diagnostics) {
      const id = d.code ?? fallback;
      run.add(id, d.code ? `qapi-qmp check: ${d.code}` : `qapi-qmp check: ${fallback} problem`, level(d.severity), d.message, f.path, {
        startLine: d.line,
        startColumn: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
      });
    }
  }
  return run.log({ rules: report.rules, firstError: report.firstError });
}

/** What `converge` found: not converging, a real downtime above the limit, and the simulator's warnings. */
export interface ConvergeFindings {
  path: string;
  /** 1-based line of a QMP script the inputs were taken at; none for a scenario file. */
  line?: number;
  qemuVersion: string;
  converged: boolean;
  reason: string;
  downtimeMs: number | null;
  downtimeLimitMs: number;
  recommendations: { kind: string; message: string }[];
}

export function convergeToSarif(f: ConvergeFindings): object {
  const run = new RunBuilder();
  // Code scanning places every result on a line: the script's line, or a scenario's first.
  const region = { startLine: f.line ?? 1 };
  const fixes = f.recommendations.filter((r) => r.kind !== 'warning');
  if (!f.converged) {
    const how = fixes.length ? `\nWhat converges:\n${fixes.map((r) => `- ${r.message}`).join('\n')}` : '';
    run.add('converge/no-switchover', 'The migration never switches over', 'error', `${f.reason} (QEMU ${f.qemuVersion} rules)${how}`, f.path, region, {
      recommendations: fixes,
    });
  }
  const warnings = f.recommendations.filter((r) => r.kind === 'warning');
  if (f.downtimeMs !== null && f.downtimeMs > f.downtimeLimitMs) {
    // The simulator may already explain the overshoot in a warning: use its words, once.
    const explained = warnings.find((w) => /^The real downtime \(/.test(w.message));
    run.add(
      'converge/downtime-above-limit',
      'The real downtime exceeds downtime-limit',
      'warning',
      explained?.message ?? `The real downtime (${Math.round(f.downtimeMs)} ms) exceeds downtime-limit (${f.downtimeLimitMs} ms).`,
      f.path,
      region,
      { downtimeMs: f.downtimeMs, downtimeLimitMs: f.downtimeLimitMs },
    );
    if (explained) warnings.splice(warnings.indexOf(explained), 1);
  }
  for (const w of warnings) {
    run.add('converge/warning', 'A parameter value that works against the migration', 'warning', w.message, f.path, region);
  }
  return run.log({ converged: f.converged, qemuVersion: f.qemuVersion });
}
