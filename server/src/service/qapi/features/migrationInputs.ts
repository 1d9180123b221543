// The convergence preview from a schema: with the cursor on a migration parameter
// (a member of MigrationParameters / MigrateSetParameters, or a value of the
// MigrationParameter enum), the preview runs that schema's QEMU version with its
// defaults and highlights the parameter.
import { basename } from 'node:path';
import type { Position } from 'vscode-languageserver-types';
import { formatVersion } from '../../common/versions';
import type { SchemaCheck } from '../model';
import { PARAMETER_TYPES } from './migrationFacts';
import { targetAt } from './schemaIndex';

/** The preview's inputs for a parameter of a schema (structurally QMP's MigrationInputs: QAPI does not import QMP). */
export interface ParameterAt {
  qemuVersion: string;
  parameters: Record<string, never>;
  capabilities: Record<string, never>;
  sources: string[];
  focus: string;
}

export function migrationInputsAt(check: SchemaCheck, path: string, pos: Position): ParameterAt | null {
  const t = targetAt(check, path, pos)?.target;
  if (t?.kind !== 'member' || !PARAMETER_TYPES.has(t.def.name)) return null;
  const line = t.member.span.range.start.line + 1;
  return {
    qemuVersion: formatVersion(check.version.version),
    parameters: {},
    capabilities: {},
    sources: [`${t.def.name}.${t.member.name} at ${basename(path)}:${line}; QEMU ${formatVersion(check.version.version)} from ${check.version.source}`],
    focus: t.member.name,
  };
}
