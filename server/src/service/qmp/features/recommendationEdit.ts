// The text edits that apply a convergence recommendation to a QMP script, computed
// from the checker's own parse of the script (all four formats): update (or add) the
// parameters in the nearest `migrate-set-parameters` at or above the cursor, in the
// format it is written in, or add new command lines before the statement under the
// cursor, in that statement's format. The client only applies the result.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { MIGRATION_PARAMETERS } from '../../../migration/facts';
import type { MigrationCapabilities, MigrationParameters } from '../../../migration/inputs';
import { scriptOf, type Format, type Statement } from '../script/parse';
import { member, type JObject } from '../script/value';

export interface RecommendationChange {
  parameters?: MigrationParameters;
  capabilities?: MigrationCapabilities;
}
type Value = MigrationParameters[string];
interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Byte sizes and rates (the facts' type and unit): HMP reads some of them in MiB by default,
 * so they are written with an explicit suffix. Sizes in ms (announce-*) stay plain numbers.
 */
const BYTE_SIZES = new Set(MIGRATION_PARAMETERS.filter((p) => p.type === 'size' && p.unit?.startsWith('B')).map((p) => p.name));

function hmpValue(name: string, v: Value): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'number' && BYTE_SIZES.has(name)) {
    for (const [suffix, size] of [
      ['G', 2 ** 30],
      ['M', 2 ** 20],
      ['K', 2 ** 10],
    ] as const) {
      if (v > 0 && v % size === 0) return `${v / size}${suffix}`;
    }
    return `${v}B`;
  }
  return String(v);
}
const jsonValue = (v: Value, q: string) => (typeof v === 'string' && q === "'" ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v));
const jsonMember = (k: string, v: Value, q: string) => `${q}${k}${q}: ${jsonValue(v, q)}`;

/** New command lines in a format. */
function newLines(format: Format, parameters: [string, Value][], capabilities: [string, boolean][]): string[] {
  const out: string[] = [];
  if (format === 'hmp') {
    for (const [k, v] of parameters) out.push(`migrate_set_parameter ${k} ${hmpValue(k, v)}`);
    for (const [k, v] of capabilities) out.push(`migrate_set_capability ${k} ${v ? 'on' : 'off'}`);
    return out;
  }
  if (format === 'shell') {
    if (parameters.length) out.push(`migrate-set-parameters ${parameters.map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
    if (capabilities.length)
      out.push(`migrate-set-capabilities capabilities=${JSON.stringify(capabilities.map(([capability, state]) => ({ capability, state })))}`);
    return out;
  }
  const prefix = format === 'transcript' ? '-> ' : '';
  if (parameters.length)
    out.push(`${prefix}{"execute": "migrate-set-parameters", "arguments": {${parameters.map(([k, v]) => jsonMember(k, v, '"')).join(', ')}}}`);
  if (capabilities.length) {
    const list = capabilities.map(([k, v]) => `{"capability": "${k}", "state": ${v}}`).join(', ');
    out.push(`${prefix}{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [${list}]}}`);
  }
  return out;
}

const commandOf = (st: Statement) => {
  const e = st.value.kind === 'object' ? member(st.value, 'execute') : undefined;
  return e?.value.kind === 'string' ? e.value.value : undefined;
};

/** Edits inside a JSON or transcript `migrate-set-parameters`; undefined if its arguments are not an object. */
function jsonEdits(text: string, cmd: JObject, params: [string, Value][]): OffsetEdit[] | undefined {
  const q = text[cmd.entries[0]?.keySpan.start] === "'" ? "'" : '"';
  const args = member(cmd, 'arguments');
  if (!args) {
    const last = cmd.entries[cmd.entries.length - 1];
    const body = params.map(([k, v]) => jsonMember(k, v, q)).join(', ');
    return [{ start: last.value.end, end: last.value.end, newText: `, ${q}arguments${q}: {${body}}` }];
  }
  if (args.value.kind !== 'object') return undefined;
  const inner = args.value;
  const edits: OffsetEdit[] = [];
  const added: string[] = [];
  for (const [k, v] of params) {
    const m = member(inner, k);
    if (m) edits.push({ start: m.value.start, end: m.value.end, newText: jsonValue(v, q) });
    else added.push(jsonMember(k, v, q));
  }
  if (added.length) {
    const last = inner.entries[inner.entries.length - 1];
    const at = last ? last.value.end : inner.start + 1;
    edits.push({ start: at, end: at, newText: (last ? ', ' : '') + added.join(', ') });
  }
  return edits;
}

/** Edits for a qmp-shell `migrate-set-parameters k=v …` line. */
function shellEdits(text: string, st: Statement, params: [string, Value][]): OffsetEdit[] {
  const args = st.value.kind === 'object' ? member(st.value, 'arguments')?.value : undefined;
  const edits: OffsetEdit[] = [];
  const added: string[] = [];
  for (const [k, v] of params) {
    const m = args?.kind === 'object' ? member(args, k) : undefined;
    // A plain word's value span is the value alone; a quoted word's is the whole word.
    if (m && m.value.start > m.keySpan.start) edits.push({ start: m.value.start, end: m.value.end, newText: String(v) });
    else if (m) edits.push({ start: m.value.start, end: m.value.end, newText: `${k}=${String(v)}` });
    else added.push(`${k}=${String(v)}`);
  }
  const end = st.span.start + text.slice(st.span.start, st.span.end).trimEnd().length;
  if (added.length) edits.push({ start: end, end, newText: ' ' + added.join(' ') });
  return edits;
}

/** Offset edits (never overlapping) that apply `change` with the cursor on `cursorLine` (0-based). */
export function recommendationOffsetEdits(doc: TextDocument, cursorLine: number, change: RecommendationChange): OffsetEdit[] {
  const text = doc.getText();
  const script = scriptOf(doc);
  const cursor = Math.max(0, Math.min(cursorLine, script.lineStarts.length - 1));
  const client = script.statements.filter((s) => s.direction === 'client');
  const above = client.filter((s) => s.line <= cursor);
  const setters = above.filter((s) => commandOf(s) === 'migrate-set-parameters').reverse();
  let params = Object.entries(change.parameters ?? {});
  const edits: OffsetEdit[] = [];

  if (params.length && setters.length) {
    const nearest = setters[0];
    if (nearest.format === 'hmp') {
      // HMP sets one parameter a line: update each one's nearest line, add the others.
      params = params.filter(([k, v]) => {
        const line = setters.find((s) => {
          const args = s.format === 'hmp' && s.value.kind === 'object' ? member(s.value, 'arguments')?.value : undefined;
          return args?.kind === 'object' && args.entries[0]?.key.replace(/_/g, '-') === k && s.hmp?.valueWord;
        });
        const word = line?.hmp?.valueWord;
        if (word) edits.push({ start: word.start, end: word.end, newText: hmpValue(k, v) });
        return !word;
      });
    } else {
      const found =
        nearest.format === 'shell' ? shellEdits(text, nearest, params) : nearest.value.kind === 'object' ? jsonEdits(text, nearest.value, params) : undefined;
      if (found) {
        edits.push(...found);
        params = [];
      }
    }
  }

  const capabilities = Object.entries(change.capabilities ?? {});
  if (!params.length && !capabilities.length) return edits;
  // Before the statement under the cursor (from the line it starts on), in its format;
  // else before the cursor line, in the format of the nearest statement above.
  const lineOf = (offset: number) => {
    let lo = 0,
      hi = script.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (script.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const under = client.find((s) => s.line <= cursor && lineOf(s.span.end) >= cursor);
  const model = under ?? above[above.length - 1] ?? client[0];
  const format: Format = model?.format ?? 'json';
  const at = script.lineStarts[under ? under.line : cursor];
  const indent = /^[ \t]*/.exec(text.slice(at))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = newLines(format, params, capabilities);
  edits.push({ start: at, end: at, newText: lines.map((l) => indent + l + eol).join('') });
  return edits;
}

/** The same edits as LSP text edits. */
export function recommendationEdits(doc: TextDocument, cursorLine: number, change: RecommendationChange): TextEdit[] {
  return recommendationOffsetEdits(doc, cursorLine, change).map((e) => ({
    range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
    newText: e.newText,
  }));
}
