// The migration inputs in force at a position, for the convergence preview:
// parameters and capabilities set by the (accepted) commands up to the cursor,
// without defaults (the simulator fills those for the version), the workload from
// the header and from a recorded query-migrate reply, and the parameter under the cursor.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { GuestWorkload } from '../../../migration/inputs';
import type { Analysis } from '../analysis';
import type { MigrationInputs } from '../inputs';
import { locate } from './locate';

const PAGE = 4096;

export function migrationInputsAt(a: Analysis, doc: TextDocument, pos: Position): MigrationInputs {
  const offset = doc.offsetAt(pos);
  const parameters: MigrationInputs['parameters'] = {};
  const capabilities: MigrationInputs['capabilities'] = {};
  const sources: string[] = [];
  for (const s of a.check.state.history) {
    if (s.offset > offset) break;
    if (s.kind === 'parameter') parameters[s.name] = s.value as never;
    else capabilities[s.name] = s.value === true;
    sources.push(`${s.name}: line ${s.line + 1}`);
  }
  const h = a.script.header;
  let guest: Partial<GuestWorkload> = {};
  const reply = [...a.check.replies].reverse().find((r) => r.offset <= offset);
  if (reply) {
    const r = reply.ram;
    const page = r['page-size'] ?? PAGE;
    if (r.total) guest.ramBytes = r.total;
    if (r['dirty-pages-rate'] !== undefined) guest.dirtyBytesPerSecond = r['dirty-pages-rate'] * page;
    if (r.total && r.duplicate !== undefined) guest.zeroPageFraction = Math.min(1, (r.duplicate * page) / r.total);
    sources.push(`workload from the query-migrate reply on line ${reply.line + 1}`);
  }
  if (Object.keys(h.guest).length) {
    guest = { ...guest, ...h.guest };
    sources.push(`workload from the header on line ${(h.workloadLine ?? 0) + 1}`);
  }
  const at = locate(a.script, offset);
  const focus = at?.command === 'migrate-set-parameters' && at.path.length ? at.path[0] : undefined;
  const out: MigrationInputs = { qemuVersion: a.choice.version, parameters, capabilities, sources };
  if (Object.keys(guest).length) out.guest = guest;
  if (Object.keys(h.link).length) out.link = { ...h.link };
  if (focus) out.focus = focus;
  return out;
}
