// What the extension knows about a migration parameter beyond the schema (unit,
// default, the range QEMU enforces), for hovers on MigrationParameters members.
import { MIGRATION_PARAMETERS } from '../../../migration/facts';
import { compareVersions, parseVersion } from '../../common/versions';

/** The structs (and enum) whose members are migration parameters. */
export const PARAMETER_TYPES = new Set(['MigrationParameters', 'MigrateSetParameters', 'MigrationParameter']);

const UNITS: Record<string, string> = { 'B/s': 'bytes per second', B: 'bytes', ms: 'milliseconds', '%': 'percent' };
const byName = new Map(MIGRATION_PARAMETERS.map((p) => [p.name, p]));

/** A Markdown line with the parameter's unit, default and enforced range under QEMU `version`, or undefined. */
export function parameterFacts(name: string, version: string): string | undefined {
  const p = byName.get(name);
  if (!p) return undefined;
  const parts: string[] = [];
  if (p.unit) parts.push(`Unit: ${p.unit}${UNITS[p.unit] ? ` (${UNITS[p.unit]})` : ''}`);
  if (p.default !== undefined) parts.push(`Default: \`${JSON.stringify(p.default)}\``);
  const v = parseVersion(version);
  const checked = !p.checkedSince || (v && compareVersions(v, parseVersion(p.checkedSince)!) >= 0);
  if (checked && (p.min !== undefined || p.max !== undefined)) parts.push(`QEMU accepts ${p.min ?? '…'}..${p.max ?? '…'}`);
  return parts.length ? parts.join(' · ') : undefined;
}
