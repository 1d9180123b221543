// Collects diagnostics with offsets and turns them into LSP diagnostics once, at the end.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { QmpCode } from '../codes';
import type { Span } from '../script/value';

/** What a quick fix needs (codeActions reads it back from diagnostic.data). */
export type FixData = { kind: 'replace'; title: string; text: string } | { kind: 'remove'; title: string; span: Span } | { kind: 'suggest'; names: string[] };

export interface Finding {
  span: Span;
  severity: DiagnosticSeverity;
  code: QmpCode;
  message: string;
  data?: FixData;
}

export class Reporter {
  readonly findings: Finding[] = [];
  errors = 0;
  add(span: Span, severity: DiagnosticSeverity, code: QmpCode, message: string, data?: FixData): void {
    if (severity === DiagnosticSeverity.Error) this.errors++;
    this.findings.push({ span, severity, code, message, data });
  }
  error(span: Span, code: QmpCode, message: string, data?: FixData): void {
    this.add(span, DiagnosticSeverity.Error, code, message, data);
  }
  warn(span: Span, code: QmpCode, message: string, data?: FixData): void {
    this.add(span, DiagnosticSeverity.Warning, code, message, data);
  }
}

export function toDiagnostics(findings: Finding[], positionAt: (offset: number) => { line: number; character: number }): Diagnostic[] {
  return [...findings]
    .sort((a, b) => a.span.start - b.span.start)
    .map((f) => ({
      range: { start: positionAt(f.span.start), end: positionAt(Math.max(f.span.end, f.span.start)) },
      severity: f.severity,
      code: f.code,
      source: 'qmp',
      message: f.message,
      ...(f.data ? { data: f.data } : {}),
    }));
}
