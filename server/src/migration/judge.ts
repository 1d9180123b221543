// QEMU's verdict on migration settings for one release, from the rules as data
// (rules.ts) and the facts (facts.ts). Pure: the checker asks it about each command
// of a script, the simulator about a scenario, with the same messages.
import { MIGRATION_PARAMETERS, type ParameterFact } from './facts';
import { CAPABILITY_RULES, COMMAND_STATE_RULES, PARAMETER_RULES, RANGE_TEXT, type CapabilityRule, type CommandStateRule, type ParameterRule } from './rules';
import { atLeast, inRange, type QemuVersion } from './version';

/** What QEMU does with a setting: refuse it (error) or, depending on the build, maybe (warning). */
export interface Refusal {
  level: 'error' | 'warning';
  /** range: a parameter's value; combination: capabilities/parameters together; state: the migration's state. */
  kind: 'range' | 'combination' | 'state';
  /** The rule's id (rules.ts), or `range:<parameter>`. */
  rule: string;
  /** The parameter or capability to point at. */
  blame: string;
  /** Our sentence, QEMU's own text included. */
  message: string;
  /** QEMU's error text (what `desc` says). */
  qemu: string;
}

type Version = QemuVersion | string;
const inWindow = (v: Version, r: { since: string; until?: string }) => inRange(v, r.since, r.until);

export const PARAMETER_FACTS = new Map<string, ParameterFact>(MIGRATION_PARAMETERS.map((p) => [p.name, p]));

/** Whether QEMU `version` has the migration parameter (an unknown name: true, the facts do not judge it). */
export function hasParameter(version: Version, name: string): boolean {
  const f = PARAMETER_FACTS.get(name);
  return !f || inRange(version, f.since, f.removed);
}

/** The default QEMU gives a parameter (facts.ts). */
export function parameterDefault(name: string): unknown {
  return PARAMETER_FACTS.get(name)?.default;
}

const quote = (qemu: string) => `QEMU says: "${qemu}"`;

// ---------------------------------------------------------------- capabilities

/**
 * migrate_caps_check on the capabilities as they would be after the command (`caps`),
 * with the parameters in force (`param`). Build-dependent rules are warnings and do
 * not stop the check; the first refusal does, as in QEMU.
 */
export function capabilityRefusals(version: Version, caps: (name: string) => boolean, param: (name: string) => unknown): Refusal[] {
  const out: Refusal[] = [];
  for (const r of CAPABILITY_RULES) {
    if (!inWindow(version, r) || !caps(r.cap)) continue;
    const refusal = capabilityRule(r, caps, param);
    if (!refusal) continue;
    out.push(refusal);
    if (refusal.level === 'error') break;
  }
  return out;
}

function capabilityRule(r: CapabilityRule, caps: (name: string) => boolean, param: (name: string) => unknown): Refusal | undefined {
  const base = { kind: 'combination' as const, rule: r.id, blame: r.cap };
  if (r.build) {
    return { ...base, level: 'warning', qemu: r.qemu, message: `${r.cap} needs ${r.build}; otherwise QEMU refuses it (${quote(r.qemu)})` };
  }
  if (r.requires && !caps(r.requires)) {
    return { ...base, level: 'error', qemu: r.qemu, message: `${r.cap} needs ${r.requires} (${quote(r.qemu)})` };
  }
  const other = r.conflicts?.find(caps);
  if (other) {
    const qemu = r.qemu.replace('%s', other);
    return { ...base, level: 'error', qemu, message: `${r.cap} cannot be combined with ${other} (${quote(qemu)})` };
  }
  const p = r.conflictsWithParameters?.find((name) => !neutral(name, param(name)));
  if (p) {
    return { ...base, level: 'error', qemu: r.qemu, message: `${r.cap} cannot be used with ${p} ${JSON.stringify(param(p))} (${quote(r.qemu)})` };
  }
  return undefined;
}

/** multifd-compression none and an empty or null tls-creds are what the checks accept. */
function neutral(name: string, value: unknown): boolean {
  if (name === 'multifd-compression') return value === undefined || value === null || value === 'none';
  return value === undefined || value === null || value === '';
}

// ---------------------------------------------------------------- parameters

/** A parameter's integer value as QEMU reads it: uint64 and size take negatives as their 2^64 wrap-around. */
function unsigned(fact: ParameterFact, n: bigint): bigint {
  return n < 0n && (fact.type === 'uint64' || fact.type === 'size') ? 2n ** 64n + n : n;
}

/** The range check of one integer parameter (facts min/max), or nothing when it passes. */
export function rangeRefusal(version: Version, name: string, written: bigint): Refusal | undefined {
  const fact = PARAMETER_FACTS.get(name);
  if (!fact) return undefined;
  const n = unsigned(fact, written);
  const shown = n === written ? `${n}` : `${written} (read as ${n})`;
  const low = fact.min !== undefined && n < BigInt(fact.min);
  const high = fact.max !== undefined && n > BigInt(fact.max);
  // max-cpu-throttle's lower bound is cpu-throttle-initial (its own rule).
  if (name === 'max-cpu-throttle' ? !high : !low && !high) return undefined;
  const range = fact.max === undefined ? `at least ${fact.min}` : `between ${fact.min ?? 0} and ${fact.max}`;
  const base = { kind: 'range' as const, rule: `range:${name}`, blame: name };
  const qemu = qemuRangeText(version, name);
  if (fact.checkedSince && !atLeast(version, fact.checkedSince)) {
    return {
      ...base,
      level: 'warning',
      qemu: '',
      message: `${name} should be ${range}; QEMU ${shortVersion(version)} does not check it and takes ${shown} anyway`,
    };
  }
  return { ...base, level: 'error', qemu, message: `${name} must be ${range}${fact.unit ? ` ${fact.unit}` : ''}, not ${shown} (${quote(qemu)})` };
}

function qemuRangeText(version: Version, name: string): string {
  if (name === 'vcpu-dirty-limit' && atLeast(version, '9.1')) return "Parameter 'vcpu_dirty_limit' must be greater than 1 MB/s";
  const qemuName = name === 'x-vcpu-dirty-limit-period' ? name : name.replace(/-/g, '_');
  return `Parameter '${qemuName}' expects ${RANGE_TEXT[name] ?? 'a valid value'}`;
}

function shortVersion(v: Version): string {
  return typeof v === 'string' ? v : `${v.major}.${v.minor}`;
}

/** Where an earlier value came from, for the message ("line 3", "the default"). */
export type Origin = (name: string) => string;

/**
 * migrate_params_check's other checks on the parameters as they would be after the
 * command: `given` are the command's, `inForce` the values before it (defaults
 * included), `caps` the capabilities in force. Range checks are `rangeRefusal`.
 */
export function parameterRefusals(
  version: Version,
  given: Map<string, unknown>,
  inForce: (name: string) => unknown,
  caps: (name: string) => boolean,
  origin: Origin = () => 'the default',
): Refusal[] {
  const after = (name: string) => (given.has(name) ? given.get(name) : inForce(name));
  const out: Refusal[] = [];
  for (const r of PARAMETER_RULES) {
    if (!inWindow(version, r)) continue;
    const refusal = parameterRule(r, given, inForce, after, caps, origin);
    if (!refusal) continue;
    out.push(refusal);
    if (refusal.level === 'error') break;
  }
  return out;
}

function parameterRule(
  r: ParameterRule,
  given: Map<string, unknown>,
  inForce: (name: string) => unknown,
  after: (name: string) => unknown,
  caps: (name: string) => boolean,
  origin: Origin,
): Refusal | undefined {
  const base = { kind: 'range' as const, rule: r.id, blame: r.param };
  switch (r.kind) {
    case 'power-of-two-page': {
      if (!given.has(r.param)) return undefined;
      const n = toBig(given.get(r.param));
      if (n === undefined) return undefined;
      const v = n < 0n ? 2n ** 64n + n : n;
      if (v >= 4096n && (v & (v - 1n)) === 0n) return undefined;
      return {
        ...base,
        level: 'error',
        qemu: r.qemu,
        message: `${r.param} must be a power of two of at least the page size (4096), not ${v} (${quote(r.qemu)})`,
      };
    }
    case 'at-least-parameter': {
      if (!given.has(r.param) && !given.has(r.other!)) return undefined;
      const max = Number(after(r.param)),
        low = Number(after(r.other!));
      if (!(max < low)) return undefined;
      const from = given.has(r.other!) ? 'this command' : origin(r.other!);
      return {
        ...base,
        blame: given.has(r.param) ? r.param : r.other!,
        level: 'error',
        qemu: r.qemu,
        message: `${r.param} (${max}) must be at least ${r.other} (${low}, from ${from}) (${quote(r.qemu)})`,
      };
    }
    case 'bitmap-alias-map': {
      if (!given.has(r.param)) return undefined;
      const problem = aliasMapProblem(given.get(r.param));
      if (!problem) return undefined;
      const qemu = r.qemu.replace('%s', problem);
      return { ...base, level: 'error', qemu, message: `block-bitmap-mapping: ${problem} (${quote(qemu)})` };
    }
    case 'capability-conflict': {
      if (!caps(r.capability!)) return undefined;
      // 9.0+ mapped-ram reads the values in force before the command (migrate_multifd_compression()).
      const read = r.readsOldValues ? inForce : after;
      const p = r.parameters!.find((name) => (r.readsOldValues || given.has(name)) && !neutral(name, read(name)));
      if (!p) return undefined;
      return {
        ...base,
        kind: 'combination',
        blame: given.has(p) ? p : r.param,
        level: 'error',
        qemu: r.qemu,
        message: `${r.capability} is on: it works only with uncompressed multifd without TLS, not ${p} ${JSON.stringify(read(p))} (${quote(r.qemu)})`,
      };
    }
    case 'build-enum': {
      const value = given.get(r.param);
      const needs = typeof value === 'string' ? r.values![value] : undefined;
      if (!needs) return undefined;
      const qemu = r.qemu.replace('%s', value as string);
      return { ...base, level: 'warning', qemu, message: `${r.param} ${value} needs ${needs}; otherwise QEMU refuses it (${quote(qemu)})` };
    }
  }
}

function toBig(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

const bytes = (s: string) => new TextEncoder().encode(s).length;
/** id_wellformed: a letter, then letters, digits, '-', '.', '_'. */
const wellFormed = (id: string) => /^[A-Za-z][A-Za-z0-9._-]*$/.test(id);

/**
 * check_dirty_bitmap_mig_alias_map: the mapping read both ways (node name -> alias,
 * then alias -> node name), the first problem in QEMU's words.
 */
export function aliasMapProblem(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const nameToAlias of [true, false]) {
    const nodes = new Set<string>();
    for (const item of list) {
      const node = item as { 'node-name'?: unknown; alias?: unknown; bitmaps?: unknown };
      const name = String(node['node-name'] ?? ''),
        alias = String(node.alias ?? '');
      if (!wellFormed(alias)) return `The node alias '${alias}' is not well-formed`;
      if (bytes(alias) > 255) return `The node alias '${alias}' is longer than 255 bytes`;
      if (bytes(name) > 31) return `The node name '${name}' is longer than 31 bytes`;
      const from = nameToAlias ? name : alias;
      if (nodes.has(from)) return nameToAlias ? `The node name '${name}' is mapped twice` : `The node alias '${alias}' is used twice`;
      nodes.add(from);
      const seen = new Set<string>();
      for (const b of Array.isArray(node.bitmaps) ? node.bitmaps : []) {
        const bm = b as { name?: unknown; alias?: unknown };
        const bname = String(bm.name ?? ''),
          balias = String(bm.alias ?? '');
        if (bytes(balias) > 255) return `The bitmap alias '${balias}' is longer than 255 bytes`;
        if (bytes(bname) > 1023) return `The bitmap name '${bname}' is longer than 1023 bytes`;
        const bfrom = nameToAlias ? bname : balias;
        if (seen.has(bfrom)) return nameToAlias ? `The bitmap '${name}'/'${bname}' is mapped twice` : `The bitmap alias '${alias}'/'${balias}' is used twice`;
        seen.add(bfrom);
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- command state

/** What the script has done so far that QEMU's command checks look at. */
export interface CommandHistory {
  caps: (name: string) => boolean;
  /** The last migrate, with the capabilities on at that time. */
  migrate?: { postcopy: boolean; pauseBeforeSwitchover: boolean };
  postcopyStarted: boolean;
}

/** The command's own state checks (qmp_migrate_start_postcopy, qmp_migrate_continue, ...). */
export function commandStateRefusal(version: Version, command: string, h: CommandHistory): Refusal | undefined {
  for (const r of COMMAND_STATE_RULES) {
    if (r.command !== command || !inWindow(version, r)) continue;
    const refusal = stateRule(r, h);
    if (refusal) return refusal;
  }
  return undefined;
}

function stateRule(r: CommandStateRule, h: CommandHistory): Refusal | undefined {
  const base = { kind: 'state' as const, rule: `${r.command}:${r.needs}`, blame: r.command, level: r.uncertain ? ('warning' as const) : ('error' as const) };
  switch (r.needs) {
    case 'postcopy-ram':
      if (h.caps('postcopy-ram') || h.migrate?.postcopy) return undefined;
      return {
        ...base,
        qemu: r.qemu,
        message: `postcopy-ram is not on: QEMU refuses ${r.command} unless migrate-set-capabilities turned postcopy-ram on before migrate (${quote(r.qemu)})`,
      };
    case 'migration-started':
      if (h.migrate) {
        if (h.migrate.postcopy) return undefined;
        // Capabilities change only when no migration runs: that migration has ended, and
        // QEMU accepts the command without effect (it does not fail a finished migration).
        return {
          ...base,
          level: 'warning',
          qemu: '',
          message: `postcopy-ram was turned on after migrate; it must be on before migrate starts, so this postcopy request has no effect`,
        };
      }
      return { ...base, qemu: r.qemu, message: `no migration has been started: QEMU refuses ${r.command} before migrate (${quote(r.qemu)})` };
    case 'pre-switchover': {
      if (h.migrate?.pauseBeforeSwitchover) return undefined;
      // A script that started no migration may run against a QEMU that is migrating: say nothing.
      if (!h.migrate) return undefined;
      const qemu = r.qemu.replace('%s', 'active');
      return { ...base, qemu, message: `migrate-continue needs a migration paused before switchover (pause-before-switchover on at migrate) (${quote(qemu)})` };
    }
    case 'postcopy-active':
      if (h.postcopyStarted) return undefined;
      if (!h.migrate) return undefined;
      return { ...base, qemu: r.qemu, message: `migrate-pause needs a migration in postcopy (migrate-start-postcopy first) (${quote(r.qemu)})` };
    case 'no-migration-running':
      if (!h.migrate) return undefined;
      // Only a warning: the earlier migration may have finished by now, which a script cannot tell.
      return {
        ...base,
        qemu: r.qemu,
        message: `a migration was started earlier; QEMU refuses capability changes while it is still running (${quote(r.qemu)})`,
      };
  }
}
