// A scenario's QEMU parameters and capabilities, judged as QEMU judges them: the
// migration domain's facts (which exist in the version, their types and ranges) and
// rules (migrate_params_check as one migrate-set-parameters, then migrate_caps_check
// as one migrate-set-capabilities), with the QMP checker's messages.
import {
  capabilityRefusals,
  inRange,
  MIGRATION_CAPABILITIES,
  MIGRATION_ENUMS,
  PARAMETER_FACTS,
  parameterDefault,
  parameterRefusals,
  rangeRefusal,
  type Fact,
  type ParameterFact,
  type QemuVersion,
} from '../migration/index';
import { MODELLED_CAPABILITIES, MODELLED_PARAMETERS } from './config';
import { describe, num, ScenarioError, sizeValue } from './read';

type Kind = 'size' | 'uint' | 'bool' | 'enum';

/** How a modelled parameter's value is read: from its QAPI type (facts.ts). */
function kindOf(fact: ParameterFact): Kind | undefined {
  if (!MODELLED_PARAMETERS.includes(fact.name)) return undefined;
  if (fact.type === 'size') return 'size';
  if (/^u?int\d*$/.test(fact.type)) return 'uint';
  if (fact.type === 'bool') return 'bool';
  return ENUMS.has(fact.type) ? 'enum' : undefined;
}
const MODELLED_CAPS = new Set(MODELLED_CAPABILITIES);
const CAPS = new Map<string, Fact>(MIGRATION_CAPABILITIES.map((c) => [c.name, c]));
const ENUMS = new Map(MIGRATION_ENUMS.map((e) => [e.name, e.values]));

/** Throws when `fact` does not exist in the scenario's QEMU version. */
function mustExist(fact: Fact, what: string, version: QemuVersion, v: string, field: string): void {
  if (!inRange(version, fact.since)) throw new ScenarioError(field, `${what} does not exist in QEMU ${v} (it was added in ${fact.since})`);
  if (fact.removed && inRange(version, fact.removed))
    throw new ScenarioError(field, `${what} no longer exists in QEMU ${v} (it was removed in ${fact.removed})`);
}

export interface Settings {
  /** Parameters read, by QMP name; missing ones take `value(name)`'s default. */
  value: (name: string) => unknown;
  cap: (name: string) => boolean;
  ignored: string[];
  /** Build- or accelerator-dependent settings QEMU may refuse (the checker's warnings). */
  warnings: string[];
}

export function readSettings(version: QemuVersion, params: Record<string, unknown>, caps: Record<string, unknown>): Settings {
  const v = `${version.major}.${version.minor}`;
  const ignored: string[] = [];
  const warnings: string[] = [];
  const p = new Map<string, unknown>();
  for (const [name, value] of Object.entries(params)) {
    const field = `parameters.${name}`;
    const fact = PARAMETER_FACTS.get(name);
    if (!fact) {
      ignored.push(name);
      continue;
    }
    mustExist(fact, name, version, v, field);
    if (value === null || value === undefined) continue;
    switch (kindOf(fact)) {
      case 'size':
        p.set(name, sizeValue(value, field));
        break;
      case 'uint': {
        const n = num(value, field, { integer: true, min: 0 });
        const r = rangeRefusal(version, name, BigInt(n));
        if (r?.level === 'error') throw new ScenarioError(field, r.message);
        if (r) warnings.push(r.message);
        p.set(name, n);
        break;
      }
      case 'bool':
        if (typeof value !== 'boolean') throw new ScenarioError(field, `${field} must be true or false, got ${describe(value)}`);
        p.set(name, value);
        break;
      case 'enum': {
        const values = (ENUMS.get(fact.type) ?? []).filter((e) => inRange(version, e.since, e.removed)).map((e) => e.name);
        if (typeof value !== 'string' || !values.includes(value)) {
          throw new ScenarioError(field, `${field} must be one of ${values.join(', ')}, got ${describe(value)}`);
        }
        p.set(name, value);
        break;
      }
      default: {
        // Not modelled, but QEMU still checks it (ranges, and the rules that read it).
        ignored.push(name);
        const r = typeof value === 'number' && Number.isInteger(value) ? rangeRefusal(version, name, BigInt(value)) : undefined;
        if (r?.level === 'error') throw new ScenarioError(field, r.message);
        if (r) warnings.push(r.message);
        p.set(name, value);
      }
    }
  }
  if ((p.get('multifd-compression') ?? 'none') !== 'none') ignored.push('multifd-compression');

  const cap = new Map<string, boolean>();
  for (const [name, value] of Object.entries(caps)) {
    const field = `capabilities.${name}`;
    const fact = CAPS.get(name);
    if (typeof value !== 'boolean') throw new ScenarioError(field, `${field} must be true or false, got ${describe(value)}`);
    if (!fact) {
      ignored.push(name);
      continue;
    }
    mustExist(fact, `capability ${name}`, version, v, field);
    if (!MODELLED_CAPS.has(name) && value) ignored.push(name);
    cap.set(name, value);
  }

  // QEMU's own checks: the parameters as one migrate-set-parameters, then the
  // capabilities as one migrate-set-capabilities.
  const noCaps = () => false;
  for (const r of parameterRefusals(version, p, parameterDefault, noCaps)) {
    if (r.level === 'error') throw new ScenarioError(`parameters.${r.blame}`, r.message);
    warnings.push(r.message);
  }
  const value = (name: string) => (p.has(name) ? p.get(name) : parameterDefault(name));
  const capOn = (name: string) => cap.get(name) === true;
  for (const r of capabilityRefusals(version, capOn, value)) {
    if (r.level === 'error') throw new ScenarioError(`capabilities.${r.blame}`, r.message);
    warnings.push(r.message);
  }
  return { value, cap: capOn, ignored, warnings };
}
