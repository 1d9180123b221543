// The shape of a `check` run's result: what --format json prints and what the SARIF
// writer reads (its own file so the two formats do not import each other).
import type { RuleSet } from '../service/common/versions';
import type { FirstError } from '../service/qapi/model';

export interface JsonDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'information';
  code: string | null;
  message: string;
}
export interface CheckReport {
  rules: RuleSet;
  files: { path: string; diagnostics: JsonDiagnostic[] }[];
  firstError: FirstError | null;
}
