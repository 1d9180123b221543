// Checks a parsed script against a schema, statement by statement, the way QEMU's
// dispatcher would: the message's shape, the command, its arguments, then the
// command-level and state-dependent migration checks. Replies (`<-`) are data.
import { QmpCode } from '../codes';
import type { Script, Statement } from '../script/parse';
import { existsIn, factFor } from '../schema/facts';
import type { QmpSchema } from '../schema/types';
import { toPlain, type JObject, type Span } from '../script/value';
import { convertHmpValue } from './hmp';
import { checkMigrationCommand, newState, type MigrationState } from './migration';
import { Reporter } from './report';
import { didYouMean, suggest } from '../../common/suggest';
import { checkArguments, memberWarnings, versionMessage } from './values';

export interface RecordedReply {
  line: number;
  offset: number;
  ram: Record<string, number>;
}

export interface ScriptCheck {
  report: Reporter;
  state: MigrationState;
  /** `query-migrate` replies found in transcripts (their ram statistics). */
  replies: RecordedReply[];
}

const TOP = new Set(['execute', 'exec-oob', 'arguments', 'id']);

export function checkScript(script: Script, schema: QmpSchema): ScriptCheck {
  const report = new Reporter();
  const state = newState();
  const replies: RecordedReply[] = [];
  for (const p of script.problems) report.error(p, QmpCode.syntax, p.message);
  let lastCommand = '';
  for (const st of script.statements) {
    if (st.direction === 'server') {
      const ram = lastCommand === 'query-migrate' ? ramOf(toPlain(st.value)) : undefined;
      if (ram) replies.push({ line: st.line, offset: st.span.start, ram });
      continue;
    }
    const errors = report.errors;
    lastCommand = checkMessage(st, schema, state, report) ?? '';
    if (lastCommand === 'quit' && report.errors === errors) newQemu(state);
  }
  return { report, state, replies };
}

/**
 * After `quit` the next command goes to another QEMU (iotests and other scripts drive
 * several in turn): it starts in negotiation mode with default parameters and
 * capabilities. The history stays: it records what was sent, in order.
 */
function newQemu(state: MigrationState): void {
  state.negotiated = undefined;
  state.oob = false;
  state.migrate = undefined;
  state.parameters.clear();
  state.capabilities.clear();
}

function ramOf(v: unknown): Record<string, number> | undefined {
  const ram = (v as { return?: { ram?: unknown } } | null)?.return?.ram;
  if (!ram || typeof ram !== 'object') return undefined;
  return Object.fromEntries(Object.entries(ram).filter(([, x]) => typeof x === 'number')) as Record<string, number>;
}

/** Returns the command name when the message names one. */
function checkMessage(st: Statement, schema: QmpSchema, state: MigrationState, report: Reporter): string | undefined {
  const v = st.value;
  if (v.kind !== 'object') {
    if (v.kind !== 'elided') report.error(v, QmpCode.notObject, 'a QMP command must be a JSON object such as {"execute": "query-status"}');
    return undefined;
  }
  const before = report.errors;
  const seen = new Set<string>();
  for (const e of v.entries) {
    if (seen.has(e.key)) report.error(e.keySpan, QmpCode.duplicateKey, `'${e.key}' is given twice; QEMU refuses duplicate keys`);
    seen.add(e.key);
    const whole = { start: e.keySpan.start, end: e.value.end };
    if (!TOP.has(e.key)) {
      const s = suggest(e.key, TOP);
      report.error(
        e.keySpan,
        QmpCode.unexpectedMember,
        `QEMU refuses the member '${e.key}' in a command; allowed are execute, arguments and id${didYouMean(s)}`,
        s.length ? { kind: 'suggest', names: s } : { kind: 'remove', title: `Remove '${e.key}'`, span: whole },
      );
    } else if (e.key === 'exec-oob' && !state.oob) {
      report.error(
        e.keySpan,
        QmpCode.unexpectedMember,
        'exec-oob needs out-of-band execution turned on first: {"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}',
      );
    }
  }
  const exec = v.entries.find((e) => e.key === 'execute' || e.key === 'exec-oob');
  if (seen.has('execute') && seen.has('exec-oob'))
    report.error(v.entries.find((e) => e.key === 'exec-oob')!.keySpan, QmpCode.unexpectedMember, 'use either execute or exec-oob, not both');
  const argsEntry = v.entries.find((e) => e.key === 'arguments');
  if (argsEntry && argsEntry.value.kind !== 'object' && argsEntry.value.kind !== 'elided') {
    report.error(argsEntry.value, QmpCode.argumentsNotObject, "'arguments' must be an object");
  }
  if (!exec) {
    if (!v.elided) report.error({ start: v.start, end: v.start + 1 }, QmpCode.missingExecute, 'this command has no "execute" member naming the command');
    return undefined;
  }
  if (exec.value.kind !== 'string') {
    if (exec.value.kind !== 'elided') report.error(exec.value, QmpCode.executeNotString, `'${exec.key}' must be a string naming the command`);
    return undefined;
  }
  const name = exec.value.value;
  const nameSpan: Span = st.nameSpan ?? exec.value;
  if (report.errors > before) return name;
  const cmd = schema.commands.get(name);
  if (!cmd) {
    unknownCommand(name, nameSpan, schema, report);
    return name;
  }
  if (exec.key === 'exec-oob' && state.oob && cmd.allowOob === false) {
    report.error(nameSpan, QmpCode.unexpectedMember, `'${name}' cannot run out of band; use execute`);
    return name;
  }
  memberWarnings({ schema, report, command: name }, cmd, nameSpan);
  if (st.hmp?.valueWord) convertHmpValue(st, schema, report);
  if (report.errors > before) return name;
  const args = argsEntry?.value.kind === 'object' ? argsEntry.value : undefined;
  checkArguments({ schema, report, command: name, open: cmd.openArgs }, args, cmd.args, nameSpan);
  if (report.errors > before) return name;
  checkMigrationCommand(name, { args: args as JObject | undefined, line: st.line, offset: st.span.start, nameSpan }, state, schema.version, report);
  return name;
}

function unknownCommand(name: string, span: Span, schema: QmpSchema, report: Reporter): void {
  const fact = factFor('command', name);
  if (fact && !existsIn(fact, schema.version)) {
    report.error(span, QmpCode.notInVersion, versionMessage(`command '${name}'`, fact, schema.version));
    return;
  }
  const s = suggest(name, schema.commands);
  const data = s.length ? { kind: 'suggest' as const, names: s } : undefined;
  if (schema.complete) report.error(span, QmpCode.commandNotFound, `QEMU has no command '${name}'${didYouMean(s)}`, data);
  else if (s.length) report.warn(span, QmpCode.commandNotFound, `'${name}' is not a migration command known to the shipped facts${didYouMean(s)}`, data);
}
