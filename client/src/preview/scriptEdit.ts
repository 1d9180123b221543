// The text edits that apply a recommendation to a QMP script: update (or add) the
// parameters in the nearest `migrate-set-parameters` at or above the cursor, in
// whichever of the four script formats it is written, or add a new command line
// before the statement under the cursor. Pure (no `vscode`), so node tests cover it.
import type { MigrationCapabilities, MigrationParameters } from '../../../server/src/simulator/types';

export interface OffsetEdit { start: number; end: number; newText: string }
export interface Change { parameters?: MigrationParameters; capabilities?: MigrationCapabilities }
type Value = MigrationParameters[string];
type Format = 'json' | 'transcript' | 'shell' | 'hmp';

interface Member { key: string; valueStart: number; valueEnd: number }
interface ObjectScan { end: number; members: Member[]; quote: string }

/** End index (exclusive) of the string starting at `i` (QMP accepts '…' as well as "…"). */
function stringEnd(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === q) return j + 1;
  }
  return text.length;
}

/** The top-level members of the object whose `{` is at `open`; undefined if it never closes. */
export function scanObject(text: string, open: number): ObjectScan | undefined {
  const members: Member[] = [];
  let depth = 0, cur: { key: string; valueStart?: number } | undefined, expectKey = true, lastEnd = open + 1, quote = '"';
  const close = () => {
    if (cur?.valueStart !== undefined) members.push({ key: cur.key, valueStart: cur.valueStart, valueEnd: lastEnd });
    cur = undefined;
  };
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const j = stringEnd(text, i);
      if (depth === 0 && expectKey) {
        cur = { key: text.slice(i + 1, j - 1) };
        if (!members.length) quote = c;
      } else if (depth === 0 && cur && cur.valueStart === undefined) cur.valueStart = i;
      lastEnd = j;
      i = j - 1;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 0) {
      if (c === ':' && cur) { expectKey = false; continue; }
      if (c === ',') { close(); expectKey = true; continue; }
      if (c === '}') { close(); return { end: i + 1, members, quote }; }
      if (cur && !expectKey && cur.valueStart === undefined) cur.valueStart = i;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    lastEnd = i + 1;
  }
  return undefined;
}

/** The `{` of the innermost object still open at `offset` (braces inside strings are rare in QMP and ignored). */
function enclosingOpen(text: string, offset: number): number | undefined {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    if (text[i] === '}') depth++;
    else if (text[i] === '{' && depth-- === 0) return i;
  }
  return undefined;
}

const lineStartOf = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

function detectFormat(text: string): Format {
  if (/^\s*->/m.test(text)) return 'transcript';
  if (/^\s*(migrate_set_\w+|info\s+migrate|migrate_\w+)\b/m.test(text)) return 'hmp';
  if (/^\s*[{]/m.test(text)) return 'json';
  if (/^\s*[a-z][\w-]*(\s+[\w.-]+=|\s*$)/m.test(text.replace(/^\s*#.*$/gm, ''))) return 'shell';
  return 'json';
}

/** HMP sizes: a bare number is MiB/s for the two bandwidths, so always write a suffix there. */
function hmpValue(name: string, v: Value): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'number' && /bandwidth/.test(name)) {
    for (const [suffix, size] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
      if (v > 0 && v % size === 0) return `${v / size}${suffix}`;
    }
    return `${v}B`;
  }
  return String(v);
}
const shellValue = (v: Value) => String(v);
const jsonValue = (v: Value, q: string) => (typeof v === 'string' && q === "'" ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v));
const jsonKey = (k: string, q: string) => `${q}${k}${q}`;

/** New command lines in the script's own format. */
function newLines(format: Format, change: Change): string[] {
  const params = Object.entries(change.parameters ?? {});
  const caps = Object.entries(change.capabilities ?? {});
  const prefix = format === 'transcript' ? '-> ' : '';
  const out: string[] = [];
  if (format === 'hmp') {
    for (const [k, v] of params) out.push(`migrate_set_parameter ${k} ${hmpValue(k, v)}`);
    for (const [k, v] of caps) out.push(`migrate_set_capability ${k} ${v ? 'on' : 'off'}`);
    return out;
  }
  const capList = JSON.stringify(caps.map(([capability, state]) => ({ capability, state })));
  if (format === 'shell') {
    if (params.length) out.push(`migrate-set-parameters ${params.map(([k, v]) => `${k}=${shellValue(v)}`).join(' ')}`);
    if (caps.length) out.push(`migrate-set-capabilities capabilities=${capList.replace(/\s/g, '')}`);
    return out;
  }
  if (params.length) out.push(`${prefix}{"execute": "migrate-set-parameters", "arguments": {${params.map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(', ')}}}`);
  if (caps.length) {
    const list = caps.map(([k, v]) => `{"capability": "${k}", "state": ${v}}`).join(', ');
    out.push(`${prefix}{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [${list}]}}`);
  }
  return out;
}

/** Edits inside an existing JSON `migrate-set-parameters` (the match is at `at`). */
function jsonParameterEdits(text: string, at: number, params: [string, Value][]): OffsetEdit[] | undefined {
  const open = enclosingOpen(text, at);
  const cmd = open === undefined ? undefined : scanObject(text, open);
  if (!cmd) return undefined;
  const q = cmd.quote;
  const args = cmd.members.find((m) => m.key === 'arguments');
  if (!args) {
    const last = cmd.members[cmd.members.length - 1];
    const body = params.map(([k, v]) => `${jsonKey(k, q)}: ${jsonValue(v, q)}`).join(', ');
    return [{ start: last.valueEnd, end: last.valueEnd, newText: `, ${jsonKey('arguments', q)}: {${body}}` }];
  }
  const inner = text[args.valueStart] === '{' ? scanObject(text, args.valueStart) : undefined;
  if (!inner) return undefined;
  const edits: OffsetEdit[] = [];
  const added: string[] = [];
  for (const [k, v] of params) {
    const m = inner.members.find((x) => x.key === k);
    if (m) edits.push({ start: m.valueStart, end: m.valueEnd, newText: jsonValue(v, q) });
    else added.push(`${jsonKey(k, q)}: ${jsonValue(v, q)}`);
  }
  if (added.length) {
    const last = inner.members[inner.members.length - 1];
    const pos = last ? last.valueEnd : args.valueStart + 1;
    edits.push({ start: pos, end: pos, newText: (last ? ', ' : '') + added.join(', ') });
  }
  return edits;
}

/** Edits for the shell line `migrate-set-parameters k=v …` spanning [start, end). */
function shellParameterEdits(text: string, start: number, end: number, params: [string, Value][]): OffsetEdit[] {
  const line = text.slice(start, end);
  const edits: OffsetEdit[] = [];
  const added: string[] = [];
  for (const [k, v] of params) {
    const m = new RegExp(`(\\s${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=)(\\S*)`).exec(line);
    if (m) edits.push({ start: start + m.index + m[1].length, end: start + m.index + m[0].length, newText: shellValue(v) });
    else added.push(`${k}=${shellValue(v)}`);
  }
  const trimmedEnd = start + line.replace(/\s+$/, '').length;
  if (added.length) edits.push({ start: trimmedEnd, end: trimmedEnd, newText: ' ' + added.join(' ') });
  return edits;
}

/**
 * The edits applying `change` with the cursor on line `cursorLine` (0-based).
 * Returns offset edits into `text`; they never overlap.
 */
export function recommendationEdits(text: string, cursorLine: number, change: Change): OffsetEdit[] {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const starts: number[] = [];
  for (let i = 0, off = 0; i < lines.length; off += lines[i].length + eol.length, i++) starts.push(off);
  const cursor = Math.max(0, Math.min(cursorLine, lines.length - 1));
  const format = detectFormat(text);
  const params = Object.entries(change.parameters ?? {});
  const edits: OffsetEdit[] = [];
  let rest: Change = { capabilities: change.capabilities };

  if (params.length) {
    let handled = false;
    if (format === 'hmp') {
      // HMP sets one parameter a line: update each one's nearest line, add the others.
      const missing: [string, Value][] = [];
      for (const [k, v] of params) {
        let found = false;
        for (let l = cursor; l >= 0 && !found; l--) {
          const m = /^(\s*migrate_set_parameter\s+)(\S+)(\s+)(\S+)/.exec(lines[l]);
          if (m && m[2].replace(/_/g, '-') === k) {
            const s = starts[l] + m[1].length + m[2].length + m[3].length;
            edits.push({ start: s, end: s + m[4].length, newText: hmpValue(k, v) });
            found = true;
          }
        }
        if (!found) missing.push([k, v]);
      }
      rest = { parameters: Object.fromEntries(missing), capabilities: change.capabilities };
      handled = true;
    } else {
      for (let l = cursor; l >= 0 && !handled; l--) {
        const line = lines[l];
        if (/^\s*#/.test(line)) continue;
        if (format === 'shell' && /^\s*migrate-set-parameters(\s|$)/.test(line)) {
          edits.push(...shellParameterEdits(text, starts[l], starts[l] + line.length, params));
          handled = true;
        } else if (format !== 'shell') {
          const m = /(["'])migrate-set-parameters\1/.exec(line);
          const found = m && jsonParameterEdits(text, starts[l] + m.index, params);
          if (found) { edits.push(...found); handled = true; }
        }
      }
    }
    if (!handled) rest = change;
  }

  const added = newLines(format, rest);
  if (added.length) {
    // Before the statement under the cursor: the line where its JSON object opens, if the cursor is inside one.
    const open = format === 'json' || format === 'transcript' ? enclosingOpen(text, starts[cursor]) : undefined;
    const at = open === undefined ? starts[cursor] : lineStartOf(text, open);
    const indent = /^[ \t]*/.exec(text.slice(at))![0];
    edits.push({ start: at, end: at, newText: added.map((l) => indent + l + eol).join('') });
  }
  return edits;
}
