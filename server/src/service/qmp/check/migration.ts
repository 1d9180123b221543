// Command-level checks QEMU makes after the arguments are well-typed, and the ones
// that depend on earlier commands: migrate_params_check's ranges (per version),
// max-cpu-throttle against the cpu-throttle-initial in force, xbzrle cache size,
// capability combinations (migrate_caps_check), and postcopy needing postcopy-ram
// before migrate. Commands QEMU would refuse do not change the state.
import { MIGRATION_PARAMETERS, type ParameterFact } from '../../migration/facts';
import { QmpCode } from '../codes';
import { atLeast } from '../schema/facts';
import { toPlain, type JObject, type Span } from '../script/value';
import type { Reporter } from './report';

export interface Setting { kind: 'parameter' | 'capability'; name: string; value: unknown; line: number; offset: number }

export interface MigrationState {
  parameters: Map<string, Setting>;
  capabilities: Map<string, Setting>;
  /** The last `migrate`, and whether postcopy-ram was on then. */
  migrate?: { line: number; postcopy: boolean };
  oob: boolean;
  /** Line of the qmp_capabilities that left negotiation mode. */
  negotiated?: number;
  /** Every change in order (migrationInputsAt replays them up to a position). */
  history: Setting[];
}

export function newState(): MigrationState {
  return { parameters: new Map(), capabilities: new Map(), oob: false, history: [] };
}

const PARAMS = new Map(MIGRATION_PARAMETERS.map((p) => [p.name, p]));

const current = (s: MigrationState, name: string): unknown =>
  s.parameters.get(name)?.value ?? PARAMS.get(name)?.default;

export interface CommandSite { args?: JObject; line: number; offset: number; nameSpan: Span }

export function checkMigrationCommand(command: string, site: CommandSite, state: MigrationState, version: string, report: Reporter): void {
  const before = report.errors;
  switch (command) {
    case 'migrate-set-parameters': return setParameters(site, state, version, report, before);
    case 'migrate-set-capabilities': return setCapabilities(site, state, version, report, before);
    case 'migrate':
      state.migrate = { line: site.line, postcopy: state.capabilities.get('postcopy-ram')?.value === true };
      return;
    case 'migrate-start-postcopy':
      if (!state.capabilities.get('postcopy-ram')?.value && !state.migrate?.postcopy) {
        report.error(site.nameSpan, QmpCode.state, 'postcopy-ram is not on: QEMU refuses migrate-start-postcopy unless migrate-set-capabilities turned postcopy-ram on before migrate');
      } else if (!state.migrate) {
        report.error(site.nameSpan, QmpCode.state, 'no migration has been started: QEMU refuses migrate-start-postcopy before migrate');
      } else if (!state.migrate.postcopy) {
        report.error(site.nameSpan, QmpCode.state, `postcopy-ram was turned on after migrate (line ${state.migrate.line + 1}); it must be on before migrate starts`);
      }
      return;
    case 'qmp_capabilities': {
      if (state.negotiated !== undefined) {
        report.error(site.nameSpan, QmpCode.commandNotFound, `capabilities were already negotiated on line ${state.negotiated + 1}; QEMU refuses qmp_capabilities a second time`);
        return;
      }
      state.negotiated = site.line;
      const en = site.args?.entries.find((e) => e.key === 'enable');
      state.oob = Array.isArray(en && toPlain(en.value)) && (toPlain(en!.value) as unknown[]).includes('oob');
      return;
    }
  }
}

function setParameters(site: CommandSite, state: MigrationState, version: string, report: Reporter, before: number): void {
  if (!site.args) return;
  const given = new Map(site.args.entries.map((e) => [e.key, e]));
  for (const e of site.args.entries) {
    const fact = PARAMS.get(e.key);
    if (!fact || e.value.kind !== 'number' || !e.value.integer) continue;
    rangeCheck(fact, BigInt(e.value.text), e.value, version, report);
  }
  if (report.errors > before) return;
  // migrate_params_check judges the parameters as they would be after this command.
  const value = (name: string) => {
    const e = given.get(name);
    return e ? toPlain(e.value) : current(state, name);
  };
  const initial = Number(value('cpu-throttle-initial'));
  const maxThrottle = Number(value('max-cpu-throttle'));
  if (maxThrottle < initial && (given.has('max-cpu-throttle') || given.has('cpu-throttle-initial'))) {
    const e = given.get('max-cpu-throttle') ?? given.get('cpu-throttle-initial')!;
    const from = given.has('cpu-throttle-initial') ? 'this command' : state.parameters.get('cpu-throttle-initial') ? `line ${state.parameters.get('cpu-throttle-initial')!.line + 1}` : 'the default';
    report.error(e.value, QmpCode.parameterRange, `max-cpu-throttle (${maxThrottle}) must be at least cpu-throttle-initial (${initial}, from ${from})`);
  }
  const cache = given.get('xbzrle-cache-size');
  if (cache?.value.kind === 'number' && cache.value.integer) {
    const written = BigInt(cache.value.text);
    const n = written < 0n ? 2n ** 64n + written : written;
    if ((n < 4096n || (n & (n - 1n)) !== 0n)) report.error(cache.value, QmpCode.parameterRange, `xbzrle-cache-size must be a power of two of at least the page size (4096), not ${n}`);
  }
  const zeroCopy = state.capabilities.get('zero-copy-send')?.value === true;
  const comp = value('multifd-compression');
  const tls = value('tls-creds');
  if (zeroCopy && ((given.has('multifd-compression') && comp !== 'none') || (given.has('tls-creds') && typeof tls === 'string' && tls !== ''))) {
    const e = given.get('multifd-compression') ?? given.get('tls-creds')!;
    report.error(e.value, QmpCode.capabilityCombination, 'zero-copy-send is on: it works only with uncompressed multifd without TLS');
  }
  if (report.errors > before) return;
  for (const e of site.args.entries) {
    const s: Setting = { kind: 'parameter', name: e.key, value: toPlain(e.value), line: site.line, offset: site.offset };
    state.parameters.set(e.key, s);
    state.history.push(s);
  }
}

function rangeCheck(fact: ParameterFact, written: bigint, span: Span, version: string, report: Reporter): void {
  // uint64 and size members take negative numbers as their 2^64 wrap-around.
  const n = written < 0n && (fact.type === 'uint64' || fact.type === 'size') ? 2n ** 64n + written : written;
  const shown = n === written ? `${n}` : `${written} (read as ${n})`;
  const low = fact.min !== undefined && n < BigInt(fact.min);
  const high = fact.max !== undefined && n > BigInt(fact.max);
  if (!low && !high) return;
  const range = fact.max === undefined ? `at least ${fact.min}` : `between ${fact.min ?? 0} and ${fact.max}`;
  if (fact.checkedSince && !atLeast(version, fact.checkedSince)) {
    report.warn(span, QmpCode.ignoredByQemu, `${fact.name} should be ${range}; QEMU ${version} does not check it and takes ${shown} anyway`);
  } else if (!(fact.name === 'max-cpu-throttle' && low)) {
    report.error(span, QmpCode.parameterRange, `${fact.name} must be ${range}${fact.unit ? ` ${fact.unit}` : ''}, not ${shown}`);
  }
}

interface Rule { since: string; until?: string; check: (caps: (n: string) => boolean, state: MigrationState) => string | undefined; blame: string }

// migrate_caps_check, by version.
const RULES: Rule[] = [
  { since: '7.1', until: '9.1', blame: 'compress', check: (c) => (c('postcopy-preempt') && c('compress') ? 'postcopy-preempt cannot be combined with compress' : undefined) },
  { since: '8.0', until: '10.0', blame: 'postcopy-ram', check: (c) => (c('postcopy-ram') && c('multifd') ? 'postcopy-ram cannot be combined with multifd before QEMU 10.0' : undefined) },
  { since: '7.1', blame: 'postcopy-preempt', check: (c) => (c('postcopy-preempt') && !c('postcopy-ram') ? 'postcopy-preempt needs postcopy-ram' : undefined) },
  { since: '8.1', blame: 'switchover-ack', check: (c) => (c('switchover-ack') && !c('return-path') ? 'switchover-ack needs return-path' : undefined) },
  { since: '8.1', blame: 'dirty-limit', check: (c) => (c('dirty-limit') && c('auto-converge') ? 'dirty-limit cannot be combined with auto-converge' : undefined) },
  { since: '7.0', until: '9.1', blame: 'multifd', check: (c) => (c('multifd') && c('compress') ? 'multifd cannot be combined with compress' : undefined) },
  { since: '7.1', blame: 'zero-copy-send', check: (c, s) => {
    if (!c('zero-copy-send')) return undefined;
    const comp = s.parameters.get('multifd-compression')?.value;
    const tls = s.parameters.get('tls-creds')?.value;
    return !c('multifd') || c('compress') || c('xbzrle') || (comp && comp !== 'none') || (typeof tls === 'string' && tls)
      ? 'zero-copy-send needs multifd without compression, xbzrle or TLS' : undefined;
  } },
  { since: '6.0', blame: 'background-snapshot', check: (c) => {
    if (!c('background-snapshot')) return undefined;
    const bad = ['postcopy-ram', 'dirty-bitmaps', 'postcopy-blocktime', 'late-block-activate', 'return-path', 'multifd',
      'pause-before-switchover', 'auto-converge', 'release-ram', 'rdma-pin-all', 'compress', 'xbzrle', 'x-colo', 'validate-uuid', 'zero-copy-send'].filter(c);
    return bad.length ? `background-snapshot cannot be combined with ${bad.join(', ')}` : undefined;
  } },
];

function setCapabilities(site: CommandSite, state: MigrationState, version: string, report: Reporter, before: number): void {
  const list = site.args?.entries.find((e) => e.key === 'capabilities')?.value;
  if (list?.kind !== 'array') return;
  const next = new Map([...state.capabilities].map(([k, s]) => [k, s.value === true]));
  const spans = new Map<string, Span>();
  for (const item of list.items) {
    const v = toPlain(item) as { capability?: unknown; state?: unknown } | null;
    if (typeof v?.capability === 'string' && typeof v.state === 'boolean') {
      next.set(v.capability, v.state);
      spans.set(v.capability, item);
    }
  }
  const caps = (n: string) => next.get(n) === true;
  if (state.migrate && [...spans.keys()].length) {
    // Only a warning: the earlier migration may have finished by now, which a script cannot tell.
    report.warn(site.nameSpan, QmpCode.state, `a migration was started on line ${state.migrate.line + 1}; QEMU refuses capability changes while it is still running`);
  }
  for (const r of RULES) {
    if (!atLeast(version, r.since) || (r.until && atLeast(version, r.until))) continue;
    const msg = r.check(caps, state);
    if (msg) report.error(spans.get(r.blame) ?? [...spans.values()][0] ?? site.nameSpan, QmpCode.capabilityCombination, msg);
  }
  if (report.errors > before) return;
  for (const name of spans.keys()) {
    const s: Setting = { kind: 'capability', name, value: next.get(name), line: site.line, offset: site.offset };
    state.capabilities.set(name, s);
    state.history.push(s);
  }
}
