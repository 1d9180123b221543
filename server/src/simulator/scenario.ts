// Checks a scenario and turns it into the engine's configuration: every value in
// bytes and milliseconds, the version's defaults filled in, and one clear error
// (naming the field) for anything QEMU or the model cannot take. No node imports:
// the preview page may bundle the simulator.
import { MIGRATION_CAPABILITIES, MIGRATION_ENUMS, MIGRATION_PARAMETERS, type Fact, type ParameterFact } from '../migration/facts';
import { HOST_DEFAULTS, type HostModel } from './model';
import type { Scenario } from './types';

/** A scenario the simulator cannot run; `field` is the JSON path of the culprit. */
export class ScenarioError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** QEMU's switchover rule families (migration-model.md §1.4). */
export type RuleFamily = '7.2' | '8.x' | '9.0-10.0' | '10.1+';

export const SIZE_MAX = 2 ** 64 - 1;
/** No simulation runs longer than this, whatever maxSeconds says (bounded work). */
export const HARD_CAP_SECONDS = 12 * 3600;
const MAX_DOWNTIME_MS = 2_000_000;
/** 1 PiB: far above any guest, and keeps a bitmap sync (1 ms/GiB) within bounds. */
const MAX_RAM = 2 ** 50;

export interface Config {
  version: { major: number; minor: number };
  rules: RuleFamily;
  ramBytes: number;
  workingSetBytes: number;
  zeroBytes: number;
  zeroPagesLast: boolean;
  dirtyBytesPerMs: number;
  vcpus: number;
  linkBytesPerMs: number;
  efficiency: number;
  maxMs: number;
  /** maxSeconds asked for when it was above the hard cap. */
  cappedFromSeconds?: number;
  downtimeLimitMs: number;
  maxBandwidth: number;          // B/s, 0 = unlimited
  availSwitchoverBandwidth: number; // B/s, 0 = use the measured bandwidth
  throttleTrigger: number;
  throttleInitial: number;
  throttleIncrement: number;
  throttleMax: number;
  tailslow: boolean;
  dirtyLimitMBps: number;
  multifdChannels: number;
  xbzrleCacheBytes: number;
  maxPostcopyBandwidth: number;
  zeroPageDetection: string;
  autoConverge: boolean;
  dirtyLimit: boolean;
  multifd: boolean;
  xbzrle: boolean;
  postcopyRam: boolean;
  switchoverAck: boolean;
  /** 9.2+ with auto-converge: the 5 s forced bitmap sync. */
  forcedSyncTimer: boolean;
  postcopyStartMs: number | null;
  switchoverAckMs: number;
  downtimeSteps: { atMs: number; downtimeLimitMs: number }[];
  host: HostModel;
  /** Parameters given that the model does not use (said in the result). */
  ignored: string[];
}

type Kind = 'size' | 'uint' | 'bool' | 'enum';

// Which versions have a parameter or capability, its range and its enum values are
// the extension's shipped facts (service/migration/facts.ts), shared with the QMP
// checker. The simulator adds only how it reads the parameters it models; every other
// known parameter or capability is accepted and reported as ignored.
const MODELLED_PARAMS: Record<string, Kind> = {
  'downtime-limit': 'uint', 'max-bandwidth': 'size', 'avail-switchover-bandwidth': 'size',
  'throttle-trigger-threshold': 'uint', 'cpu-throttle-initial': 'uint', 'cpu-throttle-increment': 'uint',
  'cpu-throttle-tailslow': 'bool', 'max-cpu-throttle': 'uint', 'vcpu-dirty-limit': 'uint',
  'x-vcpu-dirty-limit-period': 'uint', 'multifd-channels': 'uint', 'xbzrle-cache-size': 'size',
  'max-postcopy-bandwidth': 'size', 'zero-page-detection': 'enum', 'multifd-compression': 'enum',
  'multifd-zlib-level': 'uint', 'multifd-zstd-level': 'uint', 'multifd-qatzip-level': 'uint',
};
const MODELLED_CAPS = new Set(['auto-converge', 'dirty-limit', 'multifd', 'xbzrle', 'postcopy-ram', 'switchover-ack', 'return-path']);
const PARAMS = new Map<string, ParameterFact>(MIGRATION_PARAMETERS.map((p) => [p.name, p]));
const CAPS = new Map<string, Fact>(MIGRATION_CAPABILITIES.map((c) => [c.name, c]));
const ENUMS = new Map(MIGRATION_ENUMS.map((e) => [e.name, e.values]));

/** Throws when `fact` does not exist in the scenario's QEMU version. */
function mustExist(fact: Fact, what: string, version: Version, v: string, field: string): void {
  if (!atLeast(version, fact.since)) throw new ScenarioError(field, `${what} does not exist in QEMU ${v} (it was added in ${fact.since})`);
  if (fact.removed && atLeast(version, fact.removed)) throw new ScenarioError(field, `${what} no longer exists in QEMU ${v} (it was removed in ${fact.removed})`);
}

export interface Version { major: number; minor: number }

/** "10.2", "8.2.1", "9" -> {major, minor}; undefined when it is not a version. */
export function parseQemuVersion(text: string): Version | undefined {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,3}))?(?:\.\d+)?\s*$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2] ?? 0) } : undefined;
}

/** v >= text ("8.2"). */
export function atLeastVersion(v: Version, text: string): boolean {
  const w = parseQemuVersion(text)!;
  return v.major > w.major || (v.major === w.major && v.minor >= w.minor);
}
const atLeast = atLeastVersion;

export function ruleFamily(v: Version): RuleFamily {
  if (!atLeast(v, '8.0')) return '7.2';
  if (!atLeast(v, '9.0')) return '8.x';
  if (!atLeast(v, '10.1')) return '9.0-10.0';
  return '10.1+';
}

/** A value as the error message shows it (short: a whole object would drown the line). */
function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function num(v: unknown, field: string, opts: { min?: number; max?: number; positive?: boolean; integer?: boolean; fallback?: number }): number {
  if (v === undefined || v === null) {
    if (opts.fallback !== undefined) return opts.fallback;
    throw new ScenarioError(field, `${field} is missing (a number is required)`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScenarioError(field, `${field} must be a finite number, got ${describe(v)}`);
  if (opts.positive && !(v > 0)) throw new ScenarioError(field, `${field} must be a positive number, got ${describe(v)}`);
  if (opts.min !== undefined && v < opts.min) throw new ScenarioError(field, `${field} must be at least ${opts.min}, got ${describe(v)}`);
  if (opts.max !== undefined && v > opts.max) throw new ScenarioError(field, `${field} must be at most ${opts.max}, got ${describe(v)}`);
  if (opts.integer && !Number.isInteger(v)) throw new ScenarioError(field, `${field} must be a whole number, got ${describe(v)}`);
  return v;
}

function obj(v: unknown, field: string, optional = false): Record<string, unknown> {
  if ((v === undefined || v === null) && optional) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ScenarioError(field, `${field} must be an object, got ${describe(v)}`);
  }
  return v as Record<string, unknown>;
}

/** QMP `size` values: -1 and anything from 2^64-1 up are stored by QEMU as 2^64-1. */
function sizeValue(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScenarioError(field, `${field} must be a number of bytes, got ${describe(v)}`);
  if (v === -1 || v >= SIZE_MAX) return SIZE_MAX;
  if (v < 0 || !Number.isInteger(v)) throw new ScenarioError(field, `${field} must be a whole number of bytes from 0 to 2^64-1, got ${describe(v)}`);
  return v;
}

/** Checks a scenario (from JSON or built in code) and fills in QEMU's defaults. */
export function configure(raw: unknown): Config {
  const s = obj(raw, 'scenario');
  const versionText = s.qemuVersion ?? '10.2';
  if (typeof versionText !== 'string' || !parseQemuVersion(versionText)) {
    throw new ScenarioError('qemuVersion', `qemuVersion must be a QEMU version such as "7.2" or "10.2", got ${describe(versionText)}`);
  }
  const version = parseQemuVersion(versionText)!;
  if (!atLeast(version, '7.2') || atLeast(version, '11.0')) {
    throw new ScenarioError('qemuVersion', `qemuVersion ${versionText} is outside the modelled range (7.2 to 10.x)`);
  }
  const v = `${version.major}.${version.minor}`;

  const guest = obj(s.guest, 'guest');
  const ramBytes = num(guest.ramBytes, 'guest.ramBytes', { positive: true, max: MAX_RAM });
  const workingSetBytes = num(guest.workingSetBytes, 'guest.workingSetBytes', { min: 0 });
  if (workingSetBytes > ramBytes) {
    throw new ScenarioError('guest.workingSetBytes', `guest.workingSetBytes (${workingSetBytes}) must not exceed guest.ramBytes (${ramBytes})`);
  }
  const dirty = num(guest.dirtyBytesPerSecond, 'guest.dirtyBytesPerSecond', { min: 0 });
  const zeroFraction = num(guest.zeroPageFraction, 'guest.zeroPageFraction', { min: 0, max: 1, fallback: 0 });
  const zeroAt = guest.zeroPagesAt ?? 'end';
  if (zeroAt !== 'spread' && zeroAt !== 'end') {
    throw new ScenarioError('guest.zeroPagesAt', `guest.zeroPagesAt must be "spread" or "end", got ${describe(zeroAt)}`);
  }
  const vcpus = num(guest.vcpus, 'guest.vcpus', { min: 1, max: 16384, integer: true, fallback: 1 });
  const link = obj(s.link, 'link');
  const linkBps = num(link.bytesPerSecond, 'link.bytesPerSecond', { positive: true });
  const efficiency = num(link.sendingEfficiency, 'link.sendingEfficiency', { positive: true, max: 1, fallback: 1 });
  const maxSeconds = num(s.maxSeconds, 'maxSeconds', { positive: true, fallback: 3600 });

  const params = obj(s.parameters, 'parameters', true);
  const caps = obj(s.capabilities, 'capabilities', true);
  const ignored: string[] = [];
  const p: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const field = `parameters.${name}`;
    const fact = PARAMS.get(name);
    if (!fact) {
      ignored.push(name);
      continue;
    }
    mustExist(fact, name, version, v, field);
    if (value === null || value === undefined) continue;
    switch (MODELLED_PARAMS[name]) {
      case 'size': p[name] = sizeValue(value, field); break;
      case 'uint': p[name] = num(value, field, { min: fact.min, max: fact.max, integer: true }); break;
      case 'bool':
        if (typeof value !== 'boolean') throw new ScenarioError(field, `${field} must be true or false, got ${describe(value)}`);
        p[name] = value;
        break;
      case 'enum': {
        const values = (ENUMS.get(fact.type) ?? []).filter((e) => atLeast(version, e.since) && !(e.removed && atLeast(version, e.removed))).map((e) => e.name);
        if (typeof value !== 'string' || !values.includes(value)) {
          throw new ScenarioError(field, `${field} must be one of ${values.join(', ')}, got ${describe(value)}`);
        }
        p[name] = value;
        break;
      }
      default: ignored.push(name);
    }
  }
  if ((p['multifd-compression'] ?? 'none') !== 'none') ignored.push('multifd-compression');

  const cap: Record<string, boolean> = {};
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
    cap[name] = value;
  }
  if (cap['switchover-ack'] && !cap['return-path']) {
    throw new ScenarioError('capabilities.switchover-ack', `capability switchover-ack requires capability return-path (QEMU refuses it otherwise)`);
  }
  if (cap['dirty-limit'] && cap['auto-converge']) {
    throw new ScenarioError('capabilities.dirty-limit', `capabilities dirty-limit and auto-converge cannot both be on (QEMU refuses it)`);
  }

  const initial = (p['cpu-throttle-initial'] as number | undefined) ?? 20;
  const max = (p['max-cpu-throttle'] as number | undefined) ?? 99;
  if (max < initial) {
    throw new ScenarioError('parameters.max-cpu-throttle', `max-cpu-throttle (${max}) must not be below cpu-throttle-initial (${initial})`);
  }
  const cache = (p['xbzrle-cache-size'] as number | undefined) ?? 64 * 2 ** 20;
  if (cache < 4096 || (cache < SIZE_MAX && 2 ** Math.round(Math.log2(cache)) !== cache)) {
    throw new ScenarioError('parameters.xbzrle-cache-size', `xbzrle-cache-size must be a power of two of at least 4096 bytes, got ${cache}`);
  }

  const postcopyStart = s.postcopyStartSeconds === undefined || s.postcopyStartSeconds === null ? null
    : num(s.postcopyStartSeconds, 'postcopyStartSeconds', { min: 0 });
  if (postcopyStart !== null && !cap['postcopy-ram']) {
    throw new ScenarioError('postcopyStartSeconds', 'postcopyStartSeconds needs capability postcopy-ram (migrate-start-postcopy is refused without it)');
  }
  const ackSeconds = num(s.switchoverAckSeconds, 'switchoverAckSeconds', { min: 0, fallback: 0 });
  const steps = s.downtimeSteps === undefined || s.downtimeSteps === null ? [] : s.downtimeSteps;
  if (!Array.isArray(steps)) throw new ScenarioError('downtimeSteps', `downtimeSteps must be a list of {atSeconds, downtimeLimitMs}, got ${describe(steps)}`);
  const downtimeSteps = steps.map((step, i) => {
    const o = obj(step, `downtimeSteps[${i}]`);
    return {
      atMs: num(o.atSeconds, `downtimeSteps[${i}].atSeconds`, { min: 0 }) * 1000,
      downtimeLimitMs: num(o.downtimeLimitMs, `downtimeSteps[${i}].downtimeLimitMs`, { min: 0, max: MAX_DOWNTIME_MS, integer: true }),
    };
  }).sort((a, b) => a.atMs - b.atMs);

  // zero-page-detection none (9.0+): zero pages go on the wire as normal pages.
  const zeroBytes = p['zero-page-detection'] === 'none' ? 0 : Math.min(zeroFraction * ramBytes, ramBytes - workingSetBytes);
  return {
    version, rules: ruleFamily(version),
    ramBytes, workingSetBytes, zeroBytes, zeroPagesLast: zeroAt === 'end',
    dirtyBytesPerMs: dirty / 1000, vcpus,
    linkBytesPerMs: linkBps / 1000, efficiency,
    maxMs: Math.min(maxSeconds, HARD_CAP_SECONDS) * 1000,
    cappedFromSeconds: maxSeconds > HARD_CAP_SECONDS ? maxSeconds : undefined,
    downtimeLimitMs: (p['downtime-limit'] as number | undefined) ?? 300,
    maxBandwidth: (p['max-bandwidth'] as number | undefined) ?? 128 * 2 ** 20,
    availSwitchoverBandwidth: (p['avail-switchover-bandwidth'] as number | undefined) ?? 0,
    throttleTrigger: (p['throttle-trigger-threshold'] as number | undefined) ?? 50,
    throttleInitial: initial,
    throttleIncrement: (p['cpu-throttle-increment'] as number | undefined) ?? 10,
    throttleMax: max,
    tailslow: (p['cpu-throttle-tailslow'] as boolean | undefined) ?? false,
    dirtyLimitMBps: (p['vcpu-dirty-limit'] as number | undefined) ?? 1,
    multifdChannels: (p['multifd-channels'] as number | undefined) ?? 2,
    xbzrleCacheBytes: cache,
    maxPostcopyBandwidth: (p['max-postcopy-bandwidth'] as number | undefined) ?? 0,
    zeroPageDetection: (p['zero-page-detection'] as string | undefined) ?? (atLeast(version, '9.0') ? 'multifd' : 'legacy'),
    autoConverge: cap['auto-converge'] ?? false,
    dirtyLimit: cap['dirty-limit'] ?? false,
    multifd: cap['multifd'] ?? false,
    xbzrle: cap['xbzrle'] ?? false,
    postcopyRam: cap['postcopy-ram'] ?? false,
    switchoverAck: cap['switchover-ack'] ?? false,
    forcedSyncTimer: (cap['auto-converge'] ?? false) && atLeast(version, '9.2'),
    postcopyStartMs: postcopyStart === null ? null : postcopyStart * 1000,
    switchoverAckMs: cap['switchover-ack'] ? ackSeconds * 1000 : 0,
    downtimeSteps,
    host: hostModel(s.host),
    ignored,
  };
}

function hostModel(raw: unknown): HostModel {
  const h = obj(raw, 'host', true);
  const out = { ...HOST_DEFAULTS };
  for (const key of Object.keys(HOST_DEFAULTS) as (keyof HostModel)[]) {
    out[key] = num(h[key], `host.${key}`, { min: 0, fallback: HOST_DEFAULTS[key] });
  }
  for (const key of ['zeroScanBytesPerSecond', 'perChannelBytesPerSecond'] as const) {
    if (!(out[key] > 0)) throw new ScenarioError(`host.${key}`, `host.${key} must be a positive number, got ${out[key]}`);
  }
  return out;
}

/** The scenario with its version's defaults, for callers that validate before simulating. */
export function validateScenario(raw: unknown): { ok: true; scenario: Scenario } | { ok: false; field: string; message: string } {
  try {
    configure(raw);
    return { ok: true, scenario: raw as Scenario };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, field: e.field, message: e.message };
    return { ok: false, field: 'scenario', message: `the scenario cannot be read: ${(e as Error)?.message ?? e}` };
  }
}
