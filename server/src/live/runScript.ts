// Running a QMP script against a connected QEMU: checked first with the checker, against
// that QEMU's own query-qmp-schema, then sent in order. JSON and transcript `->` lines
// go as written, qmp-shell lines as the JSON they convert to, HMP lines through
// human-monitor-command. `<-` lines are expected replies and are not sent.
// Safety: without `yes` only query-* commands are sent; a command the checker refuses
// is sent only with `force`.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { diskFiles, type FileAccess } from '../service/common/files';
import { pathToUri } from '../service/common/paths';
import { defaultSettings } from '../service/common/settings';
import { createLanguageService } from '../service/languageService';
import { parseScript, type Format } from '../service/qmp/script/parse';
import { toPlain } from '../service/qmp/script/value';
import { QmpCommandError } from './errors';
import type { QmpConnection, RequestOptions } from './qmpClient';

export interface PlannedCommand {
  /** 1-based line of the statement. */
  line: number;
  endLine: number;
  format: Format;
  /** What is sent: the QMP command name and arguments. */
  command: string;
  arguments?: Record<string, unknown>;
  /** The HMP line (sent as human-monitor-command), when the statement is HMP. */
  hmp?: string;
  /** The checked command (HMP: its QMP equivalent), which decides whether it is a query. */
  checkedAs: string;
  /** Checker errors on this statement. */
  errors: Diagnostic[];
}

export interface Plan {
  commands: PlannedCommand[];
  /** Every diagnostic of the script (errors and warnings), 0-based ranges. */
  diagnostics: Diagnostic[];
  qemuVersion: string;
}

export interface CommandOutcome {
  line: number;
  command: string;
  arguments?: Record<string, unknown>;
  /** The message as sent, or null when not sent. */
  sent: Record<string, unknown> | null;
  reply: { return: unknown } | { error: { class: string; desc: string } } | null;
  /** Why it was not sent. */
  skipped?: string;
  ok: boolean;
}

const VIRTUAL_SCHEMA = '/\0qapi-qmp-live/query-qmp-schema.json';

/** Checks the script against the live schema (the reply's text) and lists what would be sent. */
export function planScript(path: string, text: string, schemaJson: string, qemuVersion: string): Plan {
  const files: FileAccess = {
    read: (p) => (p === VIRTUAL_SCHEMA ? { text: schemaJson } : p === path ? { text } : diskFiles.read(p)),
    isFile: (p) => p === VIRTUAL_SCHEMA || p === path || diskFiles.isFile(p),
  };
  const service = createLanguageService({ files, log: () => undefined });
  const doc = TextDocument.create(pathToUri(path), 'qmp', 1, text);
  const settings = { ...defaultSettings, qemuVersion, introspectionFile: VIRTUAL_SCHEMA };
  const diagnostics = [...service.validate(doc, settings).values()].flat();
  const script = parseScript(text);
  const lineOf = (offset: number) => doc.positionAt(offset).line;
  const commands: PlannedCommand[] = [];
  for (const st of script.statements) {
    if (st.direction !== 'client') continue;
    const from = st.line,
      to = lineOf(st.span.end);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error && d.range.start.line >= from && d.range.start.line <= to);
    const plain = toPlain(st.value) as Record<string, unknown> | null;
    const name = plain && typeof plain === 'object' && typeof plain.execute === 'string' ? plain.execute : '';
    const args = plain && typeof plain.arguments === 'object' && plain.arguments !== null ? (plain.arguments as Record<string, unknown>) : undefined;
    const base = { line: from + 1, endLine: to + 1, format: st.format, checkedAs: name, errors };
    if (st.format === 'hmp') {
      const hmp = text.slice(st.span.start, st.span.end).trim();
      commands.push({ ...base, command: 'human-monitor-command', arguments: { 'command-line': hmp }, hmp });
    } else {
      commands.push({ ...base, command: name || '(not a command)', ...(args ? { arguments: args } : {}) });
    }
  }
  return { commands, diagnostics, qemuVersion };
}

export interface RunOptions {
  /** Send commands that are not query-* (otherwise only queries are sent). */
  yes: boolean;
  /** Send commands the checker refuses. */
  force: boolean;
  request?: RequestOptions;
}

export const isQuery = (c: PlannedCommand) => c.checkedAs.startsWith('query-');

/** Sends the plan in order; one outcome per command, sent or not. */
export async function runPlan(conn: QmpConnection, plan: Plan, options: RunOptions, onOutcome?: (o: CommandOutcome) => void): Promise<CommandOutcome[]> {
  const outcomes: CommandOutcome[] = [];
  for (const c of plan.commands) {
    const base = { line: c.line, command: c.hmp ? `human-monitor-command (${c.hmp})` : c.command, ...(c.arguments ? { arguments: c.arguments } : {}) };
    let skipped: string | undefined;
    if (!c.checkedAs) skipped = 'not a command (no "execute")';
    else if (c.checkedAs === 'qmp_capabilities') skipped = 'capabilities were negotiated on connecting';
    else if (c.errors.length && !options.force)
      skipped = `the checker refuses it (${typeof c.errors[0].message === 'string' ? c.errors[0].message : c.errors[0].message.value}); --force sends it anyway`;
    else if (!options.yes && !isQuery(c)) skipped = 'not a query-* command; --yes sends it';
    let outcome: CommandOutcome;
    if (skipped) {
      // Skipping a command the user did not allow is not a failure; one the checker refuses is.
      outcome = { ...base, sent: null, reply: null, skipped, ok: !(c.errors.length && !options.force) && c.checkedAs !== '' };
    } else {
      const sent: Record<string, unknown> = { execute: c.command, ...(c.arguments ? { arguments: c.arguments } : {}) };
      try {
        const value = await conn.execute(c.command, c.arguments, options.request);
        // HMP reports its errors in the text it returns.
        const hmpError = c.hmp && typeof value === 'string' && /^Error:|^error:|unknown command/m.test(value);
        outcome = { ...base, sent, reply: { return: value }, ok: !hmpError };
      } catch (e) {
        if (!(e instanceof QmpCommandError)) throw e;
        outcome = { ...base, sent, reply: { error: { class: e.errorClass, desc: e.desc } }, ok: false };
      }
    }
    outcomes.push(outcome);
    onOutcome?.(outcome);
  }
  return outcomes;
}

/** The extension's transcript format: re-checkable and re-runnable. */
export function transcriptLines(o: CommandOutcome): string {
  if (!o.sent) return `# line ${o.line}: ${o.command} not sent: ${o.skipped}\n`;
  return `-> ${JSON.stringify(o.sent)}\n<- ${JSON.stringify(o.reply)}\n`;
}
