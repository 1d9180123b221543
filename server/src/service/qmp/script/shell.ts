// qmp-shell lines (python/qemu/qmp/qmp_shell.py): `command key=value ...`, dotted
// keys building nested objects, and `transaction(` ... `)` groups. Values follow
// qmp-shell's order: integer, then true/false in any case, then JSON when the value
// starts with `{` or `[`, else a string (so `null`, `0.5` and `1G` stay strings).
import { parseJson } from './json';
import type { JEntry, JObject, JValue, Span } from './value';
import type { Word } from './words';

export type Problem = Span & { message: string };

/** As deep as QEMU's JSON parser allows (and the recursive walks over values stay bounded). */
const MAX_DEPTH = 1024;

/** Builds the arguments object from key=value words; problems are qmp-shell's own refusals. */
export function shellArguments(text: string, words: Word[], span: Span): { args: JObject; problems: Problem[] } {
  const args: JObject = { kind: 'object', entries: [], elided: false, ...span };
  const problems: Problem[] = [];
  for (const w of words) {
    const eq = w.text.indexOf('=');
    if (eq < 0) { problems.push({ start: w.start, end: w.end, message: `qmp-shell expects key=value here, not '${w.text}'` }); continue; }
    const key = w.text.slice(0, eq);
    // Offsets inside the word are exact only for a plain word; a quoted one maps to the whole word.
    const valueSpan = w.plain ? { start: w.start + eq + 1, end: w.end } : { start: w.start, end: w.end };
    const value = shellValue(text, w.text.slice(eq + 1), valueSpan, w.plain);
    let parent = args;
    const path = key.split('.');
    if (path.length > MAX_DEPTH) {
      problems.push({ start: w.start, end: w.end, message: `this key nests deeper than ${MAX_DEPTH} levels` });
      continue;
    }
    let at = w.start;
    let ok = true;
    for (let p = 0; p < path.length; p++) {
      const seg = path[p];
      const segSpan = w.plain ? { start: at, end: at + seg.length } : { start: w.start, end: w.end };
      at += seg.length + 1;
      const existing = parent.entries.find((e) => e.key === seg);
      if (p === path.length - 1) {
        if (existing) {
          problems.push({ ...segSpan, message: existing.value.kind === 'object'
            ? `qmp-shell refuses '${path.slice(0, p + 1).join('.')}' as both a leaf and a non-leaf key`
            : `qmp-shell refuses setting '${key}' twice` });
          ok = false;
        } else parent.entries.push({ key: seg, keySpan: segSpan, value });
      } else if (existing) {
        if (existing.value.kind !== 'object') {
          problems.push({ ...segSpan, message: `qmp-shell refuses '${path.slice(0, p + 1).join('.')}' as both a leaf and a non-leaf key` });
          ok = false; break;
        }
        parent = existing.value;
      } else {
        const child: JObject = { kind: 'object', entries: [], elided: false, start: w.start, end: w.end };
        parent.entries.push({ key: seg, keySpan: segSpan, value: child } as JEntry);
        parent = child;
      }
      if (!ok) break;
    }
  }
  return { args, problems };
}

function shellValue(text: string, raw: string, span: Span, plain: boolean): JValue {
  const t = raw.trim();
  if (/^[+-]?\d+(_\d+)*$/.test(t)) {
    const digits = t.replace(/_/g, '').replace(/^\+/, '');
    return { kind: 'number', value: Number(digits), text: digits, integer: true, ...span };
  }
  if (/^(true|false)$/i.test(raw)) return { kind: 'bool', value: raw.toLowerCase() === 'true', ...span };
  if (raw.startsWith('{') || raw.startsWith('[')) {
    const r = plain ? parseJson(text, span.start, false, span.end) : parseJson(raw, 0, false);
    if (r.value && r.end === (plain ? span.end : raw.length)) return plain ? r.value : respan(r.value, span);
  }
  return { kind: 'string', value: raw, ...span };
}

function respan(v: JValue, span: Span): JValue {
  if (v.kind === 'object') return { ...v, ...span, entries: v.entries.map((e) => ({ key: e.key, keySpan: span, value: respan(e.value, span) })) };
  if (v.kind === 'array') return { ...v, ...span, items: v.items.map((i) => respan(i, span)) };
  return { ...v, ...span };
}
