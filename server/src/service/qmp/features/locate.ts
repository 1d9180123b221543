// What lies under the cursor in a parsed script: the statement, the command it
// runs, and the member path and node at the offset (hover, focus of the preview).
import type { Script, Statement } from '../script/parse';
import { objectMembers, type QmpSchema, type SMember } from '../schema/types';
import type { JEntry, JValue, Span } from '../script/value';

export interface Located {
  statement: Statement;
  command?: string;
  /** On the command name. */
  onCommand: boolean;
  /** Member names from the arguments object down (array indexes skipped). */
  path: string[];
  /** The entry whose key or value holds the cursor. */
  entry?: JEntry;
  onKey: boolean;
  /** The node the cursor is on (a value). */
  node?: JValue;
}

export function statementAt(script: Script, offset: number): Statement | undefined {
  const st = script.statements;
  let lo = 0,
    hi = st.length - 1,
    found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (st[mid].span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const s = found >= 0 ? st[found] : undefined;
  return s && offset <= s.span.end ? s : undefined;
}

const inside = (s: Span, o: number) => s.start <= o && o <= s.end;

export function locate(script: Script, offset: number): Located | undefined {
  const statement = statementAt(script, offset);
  if (!statement || statement.value.kind !== 'object') return undefined;
  const top = statement.value;
  const exec = top.entries.find((e) => e.key === 'execute' || e.key === 'exec-oob');
  const command = exec?.value.kind === 'string' ? exec.value.value : undefined;
  const out: Located = { statement, command, onCommand: false, path: [], onKey: false };
  if ((statement.nameSpan && inside(statement.nameSpan, offset)) || (exec && inside(exec.value, offset) && !statement.nameSpan)) {
    out.onCommand = true;
    return out;
  }
  const args = top.entries.find((e) => e.key === 'arguments')?.value;
  if (!args) return out;
  const walk = (v: JValue): void => {
    if (v.kind === 'object') {
      for (const e of v.entries) {
        if (inside(e.keySpan, offset) && !(e.value.kind === 'object' && e.value.start === e.keySpan.start)) {
          out.path.push(e.key);
          out.entry = e;
          out.onKey = true;
          out.node = e.value;
          return;
        }
        if (inside(e.value, offset)) {
          out.path.push(e.key);
          out.entry = e;
          out.node = e.value;
          return walk(e.value);
        }
      }
    } else if (v.kind === 'array') {
      for (const item of v.items)
        if (inside(item, offset)) {
          out.node = item;
          return walk(item);
        }
    }
  };
  walk(args);
  return out;
}

/** The schema member at a path below a command's arguments. */
export function memberAt(schema: QmpSchema, command: string, path: string[]): SMember | undefined {
  let typeName = schema.commands.get(command)?.args;
  let m: SMember | undefined;
  for (const key of path) {
    let t = schema.types.get(typeName ?? '');
    while (t?.kind === 'array') t = schema.types.get(t.element);
    if (t?.kind !== 'object') return undefined;
    m =
      objectMembers(schema, t).get(key) ??
      [...(t.variants?.cases.values() ?? [])].map((c) => schema.types.get(c)).flatMap((c) => (c?.kind === 'object' ? [c.members.get(key)] : []))[0];
    if (!m) return undefined;
    typeName = m.type;
  }
  return m;
}
