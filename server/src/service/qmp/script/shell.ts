// qmp-shell lines (python/qemu/qmp/qmp_shell.py, QMPShell._cli_expr; the same in
// 7.2 and 10.2): `command key=value ...`. Each word is split at its first `=`; the
// key's dots build nested objects; values are read as pyValue.ts says. Followed to
// the letter, including its quirk that after a dotted key the next keys go into the
// same nested object (`a.b=1 c=2` sends {"a": {"b": 1, "c": 2}}), and that quotes stay
// part of keys and values. The first refusal ends the line, as it does in qmp-shell.
import { readShellValue } from './pyValue';
import type { JObject, JValue, Span } from './value';
import type { Word } from './words';

export type Problem = Span & { message: string };

/** Nesting bound of the arguments a line builds (QEMU's JSON parser allows 1024). */
const MAX_DEPTH = 1000;

export interface ShellArguments {
  args: JObject;
  /** Refusals: qmp-shell sends nothing for the line (the first ends it). */
  problems: Problem[];
  /** Values read but that cannot reach QEMU: they fail when the message is sent. */
  unsendable: Problem[];
}

export function shellArguments(words: Word[], span: Span): ShellArguments {
  const args: JObject = { kind: 'object', entries: [], elided: false, ...span };
  const problems: Problem[] = [];
  const unsendable: Problem[] = [];
  let parent = args;
  let depth = 0;
  for (const w of words) {
    const eq = w.text.indexOf('=');
    if (eq < 0) return refuse(args, w, `qmp-shell expects a key=value pair, not '${w.text}'`, problems, unsendable);
    const key = w.text.slice(0, eq);
    const read = readShellValue(w.text, eq + 1, w.text.length);
    const shift = (v: JValue): JValue => moved(v, w.start);
    if ('problem' in read) {
      const p = { start: w.start + eq + 1, end: w.end, message: read.problem };
      if (read.crash) return refuse(args, w, read.problem, problems, unsendable, p);
      unsendable.push(p);
    }
    // A value that cannot be sent still takes its place (later keys may collide with it).
    const value: JValue = 'value' in read ? shift(read.value) : { kind: 'null', start: w.start + eq + 1, end: w.end };
    const path = key.split('.');
    // Keys nest from where the previous dotted key left off: bound the whole depth, as
    // json.dumps does when qmp-shell sends it (and every walk over the value stays bounded).
    if (depth + path.length > MAX_DEPTH)
      return refuse(args, w, `these keys nest deeper than ${MAX_DEPTH} levels; qmp-shell cannot send that (Python RecursionError)`, problems, unsendable);
    depth += path.length - 1;
    const cur: string[] = [];
    let at = w.start;
    for (const seg of path.slice(0, -1)) {
      cur.push(seg);
      const segSpan = { start: at, end: at + seg.length };
      at += seg.length + 1;
      const existing = parent.entries.find((e) => e.key === seg);
      if (existing && existing.value.kind !== 'object')
        return refuse(args, w, `qmp-shell refuses "${cur.join('.')}" as both a leaf and a non-leaf key`, problems, unsendable);
      if (existing) {
        parent = existing.value as JObject;
        continue;
      }
      const child: JObject = { kind: 'object', entries: [], elided: false, start: w.start, end: w.end };
      parent.entries.push({ key: seg, keySpan: segSpan, value: child });
      parent = child;
    }
    const last = path[path.length - 1];
    const existing = parent.entries.find((e) => e.key === last);
    if (existing) {
      return refuse(
        args,
        w,
        existing.value.kind === 'object'
          ? `qmp-shell refuses "${cur.join('.')}" as both a leaf and a non-leaf key`
          : `qmp-shell refuses setting "${key}" more than once`,
        problems,
        unsendable,
      );
    }
    parent.entries.push({ key: last, keySpan: { start: at, end: at + last.length }, value });
  }
  return { args, problems, unsendable };
}

function refuse(args: JObject, w: Word, message: string, problems: Problem[], unsendable: Problem[], at?: Problem): ShellArguments {
  problems.push(at ?? { start: w.start, end: w.end, message });
  return { args, problems, unsendable };
}

/** A value read from a word's own text, moved to the word's place in the document. */
function moved(v: JValue, by: number): JValue {
  const base = { start: v.start + by, end: v.end + by };
  if (v.kind === 'object')
    return {
      ...v,
      ...base,
      entries: v.entries.map((e) => ({ key: e.key, keySpan: { start: e.keySpan.start + by, end: e.keySpan.end + by }, value: moved(e.value, by) })),
    };
  if (v.kind === 'array') return { ...v, ...base, items: v.items.map((i) => moved(i, by)) };
  return { ...v, ...base };
}
