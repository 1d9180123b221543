// `qapi-qmp check`: QAPI schemas and QMP scripts, with GCC-style or JSON output.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { CachedFiles, diskFiles } from '../service/common/files';
import { pathToUri } from '../service/common/paths';
import { defaultSettings, type Settings } from '../service/common/settings';
import { compareVersions, parseVersion, resolveVersion, RULE_SETS, type RuleSet } from '../service/common/versions';
import { createLanguageService, languageOfPath } from '../service/languageService';
import type { LanguageId } from '../service/language';
import { withDocExampleWarnings } from '../service/docExamples';
import type { FirstError } from '../service/qapi/model';
import { paintFor, severityPaint, type Paint } from './color';
import { checkToSarif } from './sarif';
import type { CheckReport, JsonDiagnostic } from './checkReport';
import { UsageError } from './usage';

interface CheckArgs {
  values: { 'qemu-version'?: string; schema?: string; introspection?: string; format?: string };
  positionals: string[];
}

const OLDEST = parseVersion(RULE_SETS[0])!;
const NEWEST = parseVersion(RULE_SETS[RULE_SETS.length - 1])!;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build']);

export function runCheck(args: CheckArgs, out: NodeJS.WritableStream): number {
  const settings = settingsFrom(args.values);
  if (args.positionals.length === 0) throw new UsageError('check needs at least one file or folder');
  const targets = collect(args.positionals);

  // One run sees one snapshot of the files, each read once.
  const service = createLanguageService({ files: new CachedFiles(diskFiles, Infinity) });
  const byPath = new Map<string, Diagnostic[]>();
  const order: string[] = [];
  const note = (path: string, diags: Diagnostic[]) => {
    if (!byPath.has(path)) order.push(path);
    byPath.set(path, diags);
  };
  let firstError: FirstError | null = null;
  let rules: RuleSet | undefined;
  const checkedRoots = new Set<string>();

  for (const { path, language } of targets) {
    if (language === 'qapi') {
      const root = service.qapi.project.rootFor(path, settings);
      if (checkedRoots.has(root)) continue;
      checkedRoots.add(root);
      const result = service.qapi.checkSchemaOf(path, settings);
      rules ??= result.rules;
      firstError ??= result.firstError;
      if (!result.diagnostics.has(path)) note(path, []);
      // In a QEMU tree with its C sources, the migration parameters' C wiring too.
      for (const [p, d] of service.withWiring(result, path, withDocExampleWarnings(result))) note(p, d);
    } else {
      const text = read(path);
      const doc = TextDocument.create(pathToUri(path), 'qmp', 1, text);
      for (const [p, d] of service.validate(doc, settings)) note(p, d);
    }
  }
  rules ??= resolveVersion(settings.qemuVersion, targets[0]?.path, diskFiles).rules;
  // QMP-only runs: the first error of the first script stands in for QEMU's first error.
  if (!firstError) {
    for (const p of order) {
      const e = byPath.get(p)!.find((d) => d.severity === DiagnosticSeverity.Error);
      if (e) {
        firstError = { path: display(p), line: e.range.start.line + 1, column: e.range.start.character + 1, message: messageText(e.message) };
        break;
      }
    }
  } else {
    firstError = { ...firstError, path: display(firstError.path) };
  }

  const report: CheckReport = {
    rules,
    files: order.map((p) => ({ path: display(p), diagnostics: sortDiagnostics(byPath.get(p)!).map(toJson) })),
    firstError,
  };
  if (args.values.format === 'json') out.write(JSON.stringify(report, null, 2) + '\n');
  else if (args.values.format === 'sarif') out.write(JSON.stringify(checkToSarif(report), null, 2) + '\n');
  else out.write(formatText(report, paintFor(out as { isTTY?: boolean })));
  const hasError = report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error'));
  return hasError ? 1 : 0;
}

function settingsFrom(v: CheckArgs['values']): Settings {
  const settings: Settings = { ...defaultSettings };
  const qv = v['qemu-version'];
  if (qv !== undefined && qv !== 'auto') {
    const parsed = /^\d+\.\d+$/.test(qv) ? parseVersion(qv) : undefined;
    if (!parsed) throw new UsageError(`--qemu-version must be 'auto' or X.Y (such as 8.2), not '${qv}'`);
    if (compareVersions(parsed, OLDEST) < 0 || compareVersions(parsed, { major: NEWEST.major, minor: 99 }) > 0) {
      throw new UsageError(`unknown QEMU version ${qv}: rules are known for ${RULE_SETS[0]} to ${NEWEST.major}.x`);
    }
    settings.qemuVersion = qv;
  }
  if (v.schema !== undefined) settings.schemaRoot = mustBeFile(v.schema, '--schema');
  if (v.introspection !== undefined) settings.introspectionFile = mustBeFile(v.introspection, '--introspection');
  return settings;
}

function mustBeFile(p: string, flag: string): string {
  const abs = resolve(p);
  if (!diskFiles.isFile(abs)) throw new UsageError(`${flag} ${p}: no such file`);
  return abs;
}

function read(path: string): string {
  const r = diskFiles.read(path);
  if ('error' in r) throw new UsageError(`${display(path)}: cannot read (${r.error})`);
  return r.text;
}

function collect(paths: string[]): { path: string; language: LanguageId }[] {
  const found: { path: string; language: LanguageId }[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    if (!isDir) {
      const language = languageOfPath(abs, firstLine(abs)) ?? (abs.endsWith('.json') ? 'qapi' : undefined);
      if (!language) throw new UsageError(`${p}: not a QAPI schema (.json) or QMP script (.qmp)`);
      found.push({ path: abs, language });
      continue;
    }
    const before = found.length;
    walk(abs, found);
    if (found.length === before) throw new UsageError(`${p}: no QAPI schema or QMP script found in this folder`);
  }
  return found;
}

function walk(dir: string, found: { path: string; language: LanguageId }[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw new UsageError(`${display(dir)}: cannot list folder (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p, found);
    } else if (e.isFile()) {
      const language = languageOfPath(p, firstLine(p));
      if (language) found.push({ path: p, language });
    }
  }
}

function firstLine(path: string): string {
  if (!path.endsWith('.json')) return '';
  const r = diskFiles.read(path);
  return 'text' in r ? r.text.slice(0, 200).split('\n', 1)[0] : '';
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

const severityName = (s: DiagnosticSeverity | undefined): JsonDiagnostic['severity'] =>
  s === DiagnosticSeverity.Warning ? 'warning' : s === DiagnosticSeverity.Error || s === undefined ? 'error' : 'information';

function toJson(d: Diagnostic): JsonDiagnostic {
  return {
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: severityName(d.severity),
    code: d.code === undefined ? null : String(d.code),
    message: messageText(d.message),
  };
}

function sortDiagnostics(d: Diagnostic[]): Diagnostic[] {
  return [...d].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function formatText(report: CheckReport, paint: Paint): string {
  let s = '';
  for (const f of report.files) {
    for (const d of f.diagnostics) {
      s += `${paint.path(`${f.path}:${d.line}:${d.column}:`)} ${severityPaint(paint, d.severity)(`${d.severity}:`)} ${d.message}${d.code ? ` ${paint.dim(`[${d.code}]`)}` : ''}\n`;
    }
  }
  return s;
}

/** LSP 3.18 allows markup in diagnostic messages; the command line prints plain text. */
function messageText(m: Diagnostic['message']): string {
  return typeof m === 'string' ? m : m.value;
}
