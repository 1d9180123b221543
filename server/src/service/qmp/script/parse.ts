// Reads a QMP script into statements, whatever mix of formats it uses:
//  - JSON objects (QEMU's dialect), one or many a line, or spanning lines;
//  - transcripts: `-> ` client messages and `<- ` server replies, continued on indented lines, `...` for elisions;
//  - qmp-shell lines `command key=value ...` and `transaction(` ... `)`;
//  - HMP lines for the migration commands (`migrate_set_parameter NAME VALUE`, `info migrate`, ...);
//  - `#` comment lines; the leading ones may form the header (header.ts).
// Nothing here throws: unreadable parts become problems and reading resumes at the next line.
import { HMP_COMMANDS } from '../../../migration/facts';
import { lineAt, lineStartsOf } from '../../common/lines';
import { emptyHeader, readHeaderLine, type Header } from './header';
import { parseJson } from './json';
import { shellArguments, type Problem } from './shell';
import type { JArray, JObject, JString, JValue, Span } from './value';
import { hmpWords, qmpShellWords, type Word } from './words';

export type Format = 'json' | 'transcript' | 'shell' | 'hmp';

export interface Statement {
  format: Format;
  direction: 'client' | 'server';
  value: JValue;
  span: Span;
  /** 0-based line where the statement starts. */
  line: number;
  /** qmp-shell / HMP: the command word. */
  nameSpan?: Span;
  /** HMP: the command as written; for migrate_set_parameter the raw value word (converted by the checker). */
  hmp?: {
    command: string;
    valueWord?: Word;
    /** migrate_set_parameter: the rest of the line from the value on (QEMU 10.2 reads it whole: `value:S`). */
    valueRest?: Word;
    /** migrate_set_parameter: the first word after the value (QEMU before 10.2 refuses it: `value:s`). */
    extra?: Word;
    /** migrate_set_parameter: why the value is no HMP string argument (QEMU before 10.2: "string expected"). */
    valueProblem?: Problem;
  };
}

export interface Script {
  statements: Statement[];
  problems: Problem[];
  header: Header;
  /** Offsets where each line starts. */
  lineStarts: number[];
}

const HMP_WORDS = new Set(Object.keys(HMP_COMMANDS).map((k) => k.split(' ')[0]));

const cache = new WeakMap<object, { version: number; script: Script }>();

/** Parses once per document version (hover, completion and validation share it). */
export function scriptOf(doc: { getText(): string; version: number }): Script {
  const hit = cache.get(doc);
  if (hit && hit.version === doc.version) return hit.script;
  const script = parseScript(doc.getText());
  cache.set(doc, { version: doc.version, script });
  return script;
}

export function parseScript(text: string): Script {
  const lineStarts = lineStartsOf(text);
  const script: Script = { statements: [], problems: [], header: emptyHeader(), lineStarts };
  if (looksBinary(text)) {
    script.problems.push({
      start: 0,
      end: Math.min(text.length, 1),
      message: 'this file looks binary (it contains NUL or many control characters), not a QMP script; nothing was checked',
    });
    return script;
  }
  const lineEnd = (l: number) => {
    const e = l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : text.length;
    return e > lineStarts[l] && text.charCodeAt(e - 1) === 13 ? e - 1 : e;
  };
  const lineOf = (offset: number) => lineAt(lineStarts, offset);
  let inHeader = true;
  let tx: Transaction | null = null;

  /** Reads JSON values from `at`; returns the line to continue with. */
  const readJson = (at: number, line: number, format: 'json' | 'transcript', direction: 'client' | 'server', stmtStart: number): number => {
    const end = lineEnd(line);
    for (;;) {
      const r = parseJson(text, at, format === 'transcript');
      if (r.value) {
        script.statements.push({ format, direction, value: r.value, span: { start: stmtStart, end: r.end }, line: lineOf(stmtStart) });
        let j = r.end;
        const l = lineOf(j);
        const le = lineEnd(l);
        while (j < le && (text[j] === ' ' || text[j] === '\t')) j++;
        if (j >= le) return l + 1;
        if (format === 'json' && (text[j] === '{' || text[j] === '[')) {
          at = j;
          stmtStart = j;
          continue;
        }
        script.problems.push({
          start: j,
          end: le,
          message: 'unexpected text after the message; put one message after another, or start a comment line with #',
        });
        return l + 1;
      }
      const p = r.problem!;
      const pl = lineOf(p.start);
      if (pl > line && !/string is never closed/.test(p.message)) {
        // The message ran into later lines without closing: blame its opening, resume where it broke.
        script.problems.push({
          start: stmtStart,
          end: Math.min(stmtStart + 1, end),
          message: `this message is never closed (reading stopped at line ${pl + 1}: ${p.message})`,
        });
        return text.slice(lineStarts[pl], p.start).trim() === '' ? pl : pl + 1;
      }
      script.problems.push(p);
      return pl + 1;
    }
  };

  let l = 0;
  while (l < lineStarts.length) {
    const ls = lineStarts[l];
    const le = lineEnd(l);
    let i = ls;
    while (i < le && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= le) {
      l++;
      continue;
    }
    const c = text[i];
    if (c === '#') {
      if (inHeader) readHeaderLine(script.header, text.slice(ls, le), ls, l);
      l++;
      continue;
    }
    inHeader = false;
    if ((c === '-' && text[i + 1] === '>') || (c === '<' && text[i + 1] === '-')) {
      const dir = c === '-' ? 'client' : 'server';
      let j = i + 2;
      while (j < le && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j >= le && !/^\s/.test(text.slice(lineStarts[l + 1] ?? text.length))) {
        script.problems.push({ start: i, end: i + 2, message: `a message must follow ${c === '-' ? '->' : '<-'}` });
        l++;
        continue;
      }
      l = readJson(j, l, 'transcript', dir, i);
      continue;
    }
    if (c === '{' || c === '[' || c === '"' || c === "'" || /[-\d]/.test(c) || /^(true|false|null)\b/.test(text.slice(i, i + 6))) {
      l = readJson(i, l, 'json', 'client', i);
      continue;
    }
    if (c === '.' && text.slice(i, le).trim() === '...') {
      l++;
      continue;
    }
    const words = qmpShellWords(text, i, le);
    const span = { start: i, end: le };
    if (!tx && isHmp(words)) {
      // HMP reads its own words (the monitor's argument parser), quotes removed.
      const hmp = hmpWords(text, i, le);
      // migrate_set_parameter's value is judged per version by the checker (10.2 reads the rest of the line raw).
      if (hmp.problem && !(hmp.words[0]?.text === 'migrate_set_parameter' && hmp.words.length >= 2)) script.problems.push(hmp.problem);
      else readHmp(script, text, hmp.words, span, l, hmp.problem);
      l++;
      continue;
    }
    tx = shellLine(script, words, span, l, tx);
    l++;
  }
  if (tx) script.problems.push({ start: tx.wordSpan.start, end: tx.wordSpan.end, message: 'this transaction( is never closed with )' });
  return script;
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\0')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

const str = (value: string, span: Span): JString => ({ kind: 'string', value, ...span });

/** `{"execute": NAME, "arguments": ARGS}` built from a command word. */
function command(name: Span & { text: string }, args: JObject | undefined): JObject {
  const entries = [{ key: 'execute', keySpan: name, value: str(name.text, name) }];
  if (args && args.entries.length) entries.push({ key: 'arguments', keySpan: name, value: args as never });
  return { kind: 'object', entries, elided: false, start: name.start, end: args?.end ?? name.end };
}

/** `unsendable`: actions whose values cannot reach QEMU; qmp-shell fails when it sends the transaction. */
type Transaction = { start: number; line: number; actions: JValue[]; wordSpan: Span; unsendable: { line: number; message: string }[] };

/**
 * One qmp-shell line, as QMPShell._build_cmd reads it: `transaction(` (re)starts
 * collecting actions, `)` sends them, each line in between is an action `TYPE
 * key=value ...` (a last word `)` also sends); any other line is a command. A line
 * qmp-shell refuses sends nothing (a refused action is left out, the transaction stays
 * open). Returns the transaction still open after the line.
 */
function shellLine(script: Script, words: Word[], span: Span, line: number, tx: Transaction | null): Transaction | null {
  let rest = words;
  if (rest.length && rest[0].text === 'transaction(') {
    tx = { start: span.start, line, actions: [], wordSpan: rest[0], unsendable: [] };
    rest = rest.slice(1);
  }
  if (rest.length && rest[0].text === ')' && tx) {
    if (rest.length > 1) {
      script.problems.push({
        start: rest[1].start,
        end: span.end,
        message: 'qmp-shell refuses anything after the ) that closes a transaction (the transaction is not sent)',
      });
      return null;
    }
    closeTransaction(script, tx, { start: rest[0].start, end: span.end });
    return null;
  }
  if (!rest.length) return tx;
  if (tx) {
    const finalize = rest.length > 1 && rest[rest.length - 1].text === ')';
    const [type, ...kv] = finalize ? rest.slice(0, -1) : rest;
    const { args, problems, unsendable } = shellArguments(kv, { start: type.end, end: span.end });
    if (problems.length) {
      script.problems.push(...problems);
      return tx;
    }
    for (const u of unsendable) tx.unsendable.push({ line, message: u.message });
    tx.actions.push({
      kind: 'object',
      elided: false,
      ...span,
      entries: [
        { key: 'type', keySpan: type, value: str(type.text, type) },
        { key: 'data', keySpan: type, value: args },
      ],
    });
    if (finalize) {
      closeTransaction(script, tx, rest[rest.length - 1]);
      return null;
    }
    return tx;
  }
  const { args, problems, unsendable } = shellArguments(rest.slice(1), { start: rest[0].end, end: span.end });
  script.problems.push(...(problems.length ? problems : unsendable));
  if (!problems.length && !unsendable.length)
    script.statements.push({ format: 'shell', direction: 'client', value: command(rest[0], args), span, line, nameSpan: rest[0] });
  return null;
}

/** Sends the transaction; where an action holds a value that cannot reach QEMU, it fails here, as in qmp-shell. */
function closeTransaction(script: Script, tx: Transaction, closing: Span): void {
  const end = closing.end;
  if (tx.unsendable.length) {
    const u = tx.unsendable[0];
    script.problems.push({ ...closing, message: `this transaction cannot be sent: the action on line ${u.line + 1}: ${u.message}` });
    return;
  }
  const name = { ...tx.wordSpan, text: 'transaction' };
  const actions: JArray = { kind: 'array', items: tx.actions, elided: false, start: tx.start, end };
  const args: JObject = { kind: 'object', elided: false, start: tx.start, end, entries: [{ key: 'actions', keySpan: tx.wordSpan, value: actions }] };
  script.statements.push({
    format: 'shell',
    direction: 'client',
    value: command(name, args),
    span: { start: tx.start, end },
    line: tx.line,
    nameSpan: tx.wordSpan,
  });
}

/** HMP when the first word is an HMP migration command and (for `migrate`) no word is key=value. */
function isHmp(words: Word[]): boolean {
  const w = words[0].text;
  if (!HMP_WORDS.has(w)) return false;
  if (w === 'migrate') return !words.slice(1).some((x) => /^[\w.-]+=/.test(x.text));
  return true;
}

/** The monitor's `b` argument type takes exactly these (monitor/hmp.c), in 7.2 as in 10.2. */
const HMP_BOOL: Record<string, boolean> = { on: true, off: false };

function readHmp(script: Script, text: string, words: Word[], span: Span, line: number, wordProblem?: Problem): void {
  const [cmd, ...rest] = words;
  const hmp = { command: cmd.text };
  switch (cmd.text) {
    case 'info': {
      const target = HMP_COMMANDS[`info ${rest[0]?.text ?? ''}`];
      if (!target || rest.length !== 1)
        return problem(script, rest[0] ?? cmd, 'this checker knows the HMP info commands migrate, migrate_parameters and migrate_capabilities');
      return push(script, { format: 'hmp', direction: 'client', value: command({ ...cmd, text: target }, undefined), span, line, nameSpan: cmd, hmp });
    }
    case 'migrate_set_parameter': {
      // A value is needed; words after it are judged per version by the checker (check/hmp.ts).
      let vs = rest[0]?.end ?? span.end;
      while (vs < span.end && /\s/.test(text[vs])) vs++;
      if (!rest[0] || vs >= span.end) return problem(script, rest[0] ?? cmd, 'HMP usage: migrate_set_parameter NAME VALUE');
      const valueRest: Word = { text: text.slice(vs, span.end), start: vs, end: span.end, plain: true };
      // Before 10.2 the value is one string argument; a quoted one that does not read is its problem.
      const inValue = wordProblem && (!rest[1] || wordProblem.start < rest[1].end + 1);
      const valueWord = rest[1] && !inValue ? rest[1] : { ...valueRest, text: valueRest.text.split(/\s/)[0], end: vs + valueRest.text.split(/\s/)[0].length };
      return push(script, {
        format: 'hmp',
        direction: 'client',
        span,
        line,
        nameSpan: cmd,
        value: command({ ...cmd, text: 'migrate-set-parameters' }, obj(span, [{ key: rest[0].text, keySpan: rest[0], value: str(valueWord.text, valueWord) }])),
        hmp: {
          command: cmd.text,
          valueWord,
          valueRest,
          extra: inValue ? undefined : (rest[2] ?? (wordProblem ? { text: '', start: wordProblem.start, end: span.end, plain: true } : undefined)),
          valueProblem: inValue ? wordProblem : undefined,
        },
      });
    }
    case 'migrate_set_capability': {
      if (!arity(script, cmd, rest, 2, span, 'HMP usage: migrate_set_capability NAME on|off')) return;
      const state = HMP_BOOL[rest[1].text];
      if (state === undefined) return problem(script, rest[1], `HMP takes exactly on or off here, not '${rest[1].text}' (QEMU: Expected 'on' or 'off')`);
      const item = obj(span, [
        { key: 'capability', keySpan: rest[0], value: str(rest[0].text, rest[0]) },
        { key: 'state', keySpan: rest[1], value: { kind: 'bool', value: state, start: rest[1].start, end: rest[1].end } },
      ]);
      const list: JArray = { kind: 'array', items: [item], elided: false, start: span.start, end: span.end };
      return push(script, {
        format: 'hmp',
        direction: 'client',
        value: command({ ...cmd, text: 'migrate-set-capabilities' }, obj(span, [{ key: 'capabilities', keySpan: cmd, value: list }])),
        span,
        line,
        nameSpan: cmd,
        hmp,
      });
    }
    case 'migrate':
    case 'migrate_incoming': {
      const uris = rest.filter((w) => !/^-[a-z]+$/.test(w.text));
      if (uris.length !== 1) return problem(script, uris[1] ?? cmd, `HMP usage: ${cmd.text} ${cmd.text === 'migrate' ? '[-d] ' : ''}URI`);
      const args = obj(span, [{ key: 'uri', keySpan: uris[0], value: str(uris[0].text, uris[0]) }]);
      return push(script, {
        format: 'hmp',
        direction: 'client',
        value: command({ ...cmd, text: HMP_COMMANDS[cmd.text] }, args),
        span,
        line,
        nameSpan: cmd,
        hmp,
      });
    }
    default:
      if (!arity(script, cmd, rest, 0, span, `HMP ${cmd.text} takes no arguments`)) return;
      return push(script, {
        format: 'hmp',
        direction: 'client',
        value: command({ ...cmd, text: HMP_COMMANDS[cmd.text] }, undefined),
        span,
        line,
        nameSpan: cmd,
        hmp,
      });
  }
}

function problem(script: Script, s: Span, message: string): void {
  script.problems.push({ start: s.start, end: s.end, message });
}

function push(script: Script, st: Statement): void {
  script.statements.push(st);
}

function obj(span: Span, entries: JObject['entries']): JObject {
  return { kind: 'object', entries, elided: false, start: span.start, end: span.end };
}

function arity(script: Script, cmd: Word, rest: Word[], n: number, span: Span, usage: string): boolean {
  if (rest.length === n) return true;
  problem(script, rest.length > n ? { start: rest[n].start, end: span.end } : cmd, usage);
  return false;
}
