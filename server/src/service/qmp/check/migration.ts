// Command-level checks QEMU makes after the arguments are well-typed, and the ones
// that depend on earlier commands. QEMU's rules themselves (migrate_params_check,
// migrate_caps_check and the commands' state checks, per release) are the migration
// domain's (server/src/migration/); this file feeds them the script's state and puts
// their verdicts on the right spans. Commands QEMU would refuse do not change the state.
import {
  capabilityRefusals,
  commandStateRefusal,
  PARAMETER_FACTS,
  parameterDefault,
  parameterRefusals,
  rangeRefusal,
  type Refusal,
} from '../../../migration/judge';
import { QmpCode } from '../codes';
import { toPlain, type JObject, type Span } from '../script/value';
import type { Reporter } from './report';

export interface Setting {
  kind: 'parameter' | 'capability';
  name: string;
  value: unknown;
  line: number;
  offset: number;
}

export interface MigrationState {
  parameters: Map<string, Setting>;
  capabilities: Map<string, Setting>;
  /** The last `migrate`, and whether postcopy-ram / pause-before-switchover were on then. */
  migrate?: { line: number; postcopy: boolean; pauseBeforeSwitchover?: boolean };
  /** A migrate-start-postcopy QEMU accepted after that migrate. */
  postcopyStarted?: boolean;
  oob: boolean;
  /** Line of the qmp_capabilities that left negotiation mode. */
  negotiated?: number;
  /** Every change in order (migrationInputsAt replays them up to a position). */
  history: Setting[];
}

export function newState(): MigrationState {
  return { parameters: new Map(), capabilities: new Map(), oob: false, history: [] };
}

const current = (s: MigrationState, name: string): unknown => (s.parameters.has(name) ? s.parameters.get(name)!.value : parameterDefault(name));
const capOn = (s: MigrationState) => (name: string) => s.capabilities.get(name)?.value === true;

export interface CommandSite {
  args?: JObject;
  line: number;
  offset: number;
  nameSpan: Span;
}

const CODE: Record<Refusal['kind'], QmpCode> = {
  range: QmpCode.parameterRange,
  combination: QmpCode.capabilityCombination,
  state: QmpCode.state,
};

function put(report: Reporter, span: Span, r: Refusal): void {
  if (r.level === 'error') report.error(span, CODE[r.kind], r.message);
  else report.warn(span, r.kind === 'range' && r.rule.startsWith('range:') ? QmpCode.ignoredByQemu : CODE[r.kind], r.message);
}

export function checkMigrationCommand(command: string, site: CommandSite, state: MigrationState, version: string, report: Reporter): void {
  const before = report.errors;
  switch (command) {
    case 'migrate-set-parameters':
      return setParameters(site, state, version, report, before);
    case 'migrate-set-capabilities':
      return setCapabilities(site, state, version, report, before);
    case 'migrate':
      state.migrate = { line: site.line, postcopy: capOn(state)('postcopy-ram'), pauseBeforeSwitchover: capOn(state)('pause-before-switchover') };
      state.postcopyStarted = false;
      return;
    case 'migrate-start-postcopy':
    case 'migrate-continue':
    case 'migrate-pause': {
      const r = commandStateRefusal(version, command, {
        caps: capOn(state),
        migrate: state.migrate && { postcopy: state.migrate.postcopy, pauseBeforeSwitchover: !!state.migrate.pauseBeforeSwitchover },
        postcopyStarted: !!state.postcopyStarted,
      });
      if (r) put(report, site.nameSpan, r);
      if (command === 'migrate-start-postcopy' && !r) state.postcopyStarted = true;
      return;
    }
    case 'qmp_capabilities': {
      if (state.negotiated !== undefined) {
        report.error(
          site.nameSpan,
          QmpCode.commandNotFound,
          `capabilities were already negotiated on line ${state.negotiated + 1}; QEMU refuses qmp_capabilities a second time`,
        );
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
  const entries = new Map(site.args.entries.map((e) => [e.key, e]));
  for (const e of site.args.entries) {
    if (!PARAMETER_FACTS.has(e.key) || e.value.kind !== 'number' || !e.value.integer) continue;
    const r = rangeRefusal(version, e.key, BigInt(e.value.text));
    if (r) put(report, e.value, r);
  }
  if (report.errors > before) return;
  // migrate_params_check judges the parameters as they would be after this command.
  const given = new Map(site.args.entries.map((e) => [e.key, toPlain(e.value)]));
  const origin = (name: string) => {
    const s = state.parameters.get(name);
    return s ? `line ${s.line + 1}` : 'the default';
  };
  for (const r of parameterRefusals(version, given, (n) => current(state, n), capOn(state), origin)) {
    put(report, entries.get(r.blame)?.value ?? site.nameSpan, r);
  }
  if (report.errors > before) return;
  for (const e of site.args.entries) {
    const s: Setting = { kind: 'parameter', name: e.key, value: toPlain(e.value), line: site.line, offset: site.offset };
    state.parameters.set(e.key, s);
    state.history.push(s);
  }
}

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
  if (spans.size) {
    const running = commandStateRefusal(version, 'migrate-set-capabilities', {
      caps: capOn(state),
      migrate: state.migrate && { postcopy: state.migrate.postcopy, pauseBeforeSwitchover: false },
      postcopyStarted: false,
    });
    if (running) put(report, site.nameSpan, running);
  }
  for (const r of capabilityRefusals(
    version,
    (n) => next.get(n) === true,
    (n) => current(state, n),
  )) {
    put(report, spans.get(r.blame) ?? [...spans.values()][0] ?? site.nameSpan, r);
  }
  if (report.errors > before) return;
  for (const name of spans.keys()) {
    const s: Setting = { kind: 'capability', name, value: next.get(name), line: site.line, offset: site.offset };
    state.capabilities.set(name, s);
    state.history.push(s);
  }
}
