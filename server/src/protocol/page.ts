// The messages between the extension and the preview page, with one validator per
// message. Both sides import this file (the page bundles it, so it imports types only);
// anything that fails its validator is dropped (and logged by the receiver), so a stale
// or hostile message can never throw. The language-server requests are in ./lsp.ts.
import type { MigrationCapabilities, MigrationInputs, MigrationParameters } from '../migration/inputs';
import type { Scenario, SimulationResult } from '../simulator/types';

/** Workload assumptions the page lets the user change; absent = the script's (or the default) value. */
export interface Assumptions {
  ramBytes?: number;
  workingSetBytes?: number;
  dirtyBytesPerSecond?: number;
  linkBytesPerSecond?: number;
  /** 0 < e <= 1: fraction of the time the migration thread really sends. */
  sendingEfficiency?: number;
}
/** Parameter name -> its unit as the migration facts give it ('B/s', 'B', 'ms', '%', 'MB/s'). */
export type ParameterUnits = Record<string, string>;

export const ASSUMPTION_KEYS = ['ramBytes', 'workingSetBytes', 'dirtyBytesPerSecond', 'linkBytesPerSecond', 'sendingEfficiency'] as const;

// extension -> page
export interface UpdateMessage {
  type: 'update';
  inputs: MigrationInputs;
  scenario: Scenario;
  result: SimulationResult;
  /** Units of the parameters shown (the page formats values by these, never by their names). */
  units: ParameterUnits;
  /** The parameter under the cursor, highlighted on the page. */
  focus?: string;
  /** Which document and line the inputs were taken from, shown as the page's subtitle. */
  source: { file: string; line: number };
  /** The assumptions the user changed on the page (so the controls show them as changed). */
  overrides: Assumptions;
  /** The recommendations are still being searched for (a second update brings them). */
  pending?: boolean;
}
export interface EmptyMessage {
  type: 'empty';
  reason: string;
}
export interface ThemeMessage {
  type: 'theme';
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
}
/** Live mode: a migration watched on the connected QEMU, or replayed from a recording. */
export interface LiveMessage {
  type: 'live';
  view: LiveView;
}
export type ToPage = UpdateMessage | EmptyMessage | ThemeMessage | LiveMessage;

// ---- live mode --------------------------------------------------------------
// Everything below is computed by the language server (server/src/live/liveView.ts) from
// query-migrate and the live predictor; the page draws it. Times are QEMU's total-time in
// seconds, sizes bytes, rates bytes per second.

/** One query-migrate poll. */
export interface LivePoint {
  t: number;
  remainingBytes: number;
  transferredBytes: number;
  /** QEMU's mbps, in bytes per second. */
  bytesPerSecond: number;
  dirtySyncCount: number;
  expectedDowntimeMs: number | null;
  throttlePercent: number;
  /** QEMU's switchover threshold at that poll: (avail-switchover-bandwidth or measured) x downtime-limit. */
  thresholdBytes: number;
  /** The bandwidth that threshold assumes (avail-switchover-bandwidth when set, else measured) and the downtime-limit in force. */
  assumedBytesPerSecond: number;
  downtimeLimitMs: number;
}
/** What a dirty bitmap sync found: the bytes still dirty, against the threshold in force. */
export interface LiveSync {
  t: number;
  count: number;
  pendingBytes: number;
  thresholdBytes: number;
}
/** The simulator's prediction from the live numbers, made at `at` (re-made at each dirty sync). */
export interface LivePrediction {
  at: number;
  converges: boolean;
  switchoverAt: number | null;
  downtimeMs: number | null;
  reason: string;
  /** The simulated curve from `at` on (absolute times). */
  curve: { t: number; pendingBytes: number; thresholdBytes: number }[];
}
export interface LiveRecommendationView {
  kind: string;
  message: string;
  /** The change in words ("avail-switchover-bandwidth = 124.5 MiB/s"). */
  change: string;
  /** What Apply now sends, or null when it cannot be applied live (`notApplicable` says why). */
  command: 'migrate-set-parameters' | 'migrate-set-capabilities' | null;
  arguments: Record<string, number | boolean> | null;
  notApplicable?: string;
  /** Set once applied (QEMU time). */
  appliedAt?: number;
}
export interface LiveMark {
  t: number;
  kind: 'applied' | 'apply-failed';
  label: string;
}
export interface LiveView {
  source: 'live' | 'replay';
  /** "QEMU 10.2 at unix:/run/vm.qmp" or "seed-10.2.jsonl (replay)". */
  title: string;
  qemuVersion: string;
  /** query-migrate's status. */
  status: string;
  phase: 'waiting' | 'migrating' | 'ended' | 'stopped';
  /** One line on the state of the watch (waiting, lost the connection, …). */
  note: string;
  linkBytesPerSecond: number | null;
  /** Where the link came from, or why it is unknown. */
  linkNote: string;
  downtimeLimitMs: number;
  /** avail-switchover-bandwidth in force (0 = QEMU uses what it measures); null when this QEMU has none. */
  availSwitchoverBytesPerSecond: number | null;
  points: LivePoint[];
  syncs: LiveSync[];
  prediction: LivePrediction | null;
  /** Every prediction so far (one per dirty sync and per change). */
  predictions: { at: number; converges: boolean; switchoverAt: number | null }[];
  diagnosis: { at: number; stuck: boolean; seedCase: boolean; message: string } | null;
  recommendations: LiveRecommendationView[];
  marks: LiveMark[];
  end: { status: string; switchoverAt: number | null; downtimeMs: number | null; totalSeconds: number | null; predictedSwitchoverAt: number | null } | null;
  /** Apply now is offered (a live watch of a running migration). */
  canApply: boolean;
}

// page -> extension
export interface ReadyMessage {
  type: 'ready';
}
export interface SetAssumptionsMessage {
  type: 'setAssumptions';
  assumptions: Assumptions;
}
export interface ApplyRecommendationMessage {
  type: 'applyRecommendation';
  parameters?: MigrationParameters;
  capabilities?: MigrationCapabilities;
}
export interface LogMessage {
  type: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}
/** Apply now on a live recommendation: the extension asks for confirmation, the server checks it is the one it offered. */
export interface LiveApplyMessage {
  type: 'liveApply';
  kind: string;
  arguments: Record<string, number | boolean>;
}
/** Leave live mode: stop watching, follow the cursor again. */
export interface LiveStopMessage {
  type: 'liveStop';
}
/** Save the watched migration as a recording (the extension asks where). */
export interface LiveSaveMessage {
  type: 'liveSave';
}
export type ToExtension = ReadyMessage | SetAssumptionsMessage | ApplyRecommendationMessage | LogMessage | LiveApplyMessage | LiveStopMessage | LiveSaveMessage;

/** What the page saves with vscode.setState and gets back after a reload. */
export interface PageState {
  last?: UpdateMessage | EmptyMessage | LiveMessage;
}

// ---- validators -------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown) => v === null || isNum(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isOptStr = (v: unknown) => v === undefined || isStr(v);
const isOptNum = (v: unknown) => v === undefined || isNum(v);
const arrayOf = (v: unknown, item: (x: unknown) => boolean) => Array.isArray(v) && v.every(item);
const isParamValue = (v: unknown) => v === null || isStr(v) || isBool(v) || isNum(v);
const isParameters = (v: unknown): v is MigrationParameters => isObj(v) && Object.values(v).every(isParamValue);
const isCapabilities = (v: unknown): v is MigrationCapabilities => isObj(v) && Object.values(v).every(isBool);

const WINDOW_NUMBERS = [
  't',
  'pendingBytes',
  'pendingAtSyncBytes',
  'thresholdBytes',
  'measuredBytesPerSecond',
  'assumedBytesPerSecond',
  'expectedDowntimeMs',
  'throttlePercent',
  'dirtySyncCount',
  'pass',
] as const;

function isWindow(v: unknown): boolean {
  return isObj(v) && WINDOW_NUMBERS.every((k) => isNum(v[k])) && isStr(v.state);
}

function isRecommendation(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.kind) &&
    isStr(v.message) &&
    (v.parameters === undefined || isParameters(v.parameters)) &&
    (v.capabilities === undefined || isCapabilities(v.capabilities)) &&
    isOptNum(v.switchoverSeconds) &&
    isOptNum(v.downtimeMs)
  );
}

export function isSimulationResult(v: unknown): v is SimulationResult {
  return (
    isObj(v) &&
    isBool(v.converged) &&
    isNumOrNull(v.switchoverSeconds) &&
    isNum(v.dirtySyncCount) &&
    isNumOrNull(v.downtimeMs) &&
    isNum(v.downtimeLimitMs) &&
    isNum(v.transferredBytes) &&
    isStr(v.reason) &&
    arrayOf(v.recommendations, isRecommendation) &&
    arrayOf(v.orchestrators, (o) => isObj(o) && isStr(o.name) && isNum(o.seconds) && isStr(o.action)) &&
    arrayOf(v.windows, isWindow) &&
    (v.notes === undefined || arrayOf(v.notes, isStr)) &&
    (v.fidelity === undefined || isFidelity(v.fidelity))
  );
}

/** The simulator's measured-error summary (simulator/fidelity.ts). */
function isFidelity(v: unknown): boolean {
  return (
    isObj(v) &&
    ['measured', 'approximate', 'unmeasured'].includes(v.level as string) &&
    isStr(v.message) &&
    arrayOf(v.mechanisms, (m) => isObj(m) && isStr(m.mechanism) && isNum(m.recordings) && isNum(m.verdictsAgree) && isNumOrNull(m.switchoverWorst))
  );
}

export function isScenario(v: unknown): v is Scenario {
  if (!isObj(v) || !isStr(v.qemuVersion) || !isNum(v.maxSeconds)) return false;
  const g = v.guest,
    l = v.link;
  return (
    isObj(g) &&
    ['ramBytes', 'workingSetBytes', 'dirtyBytesPerSecond', 'zeroPageFraction', 'vcpus'].every((k) => isNum(g[k])) &&
    isObj(l) &&
    isNum(l.bytesPerSecond) &&
    isNum(l.sendingEfficiency) &&
    isParameters(v.parameters) &&
    isCapabilities(v.capabilities)
  );
}

export function isMigrationInputs(v: unknown): v is MigrationInputs {
  return (
    isObj(v) &&
    isStr(v.qemuVersion) &&
    isParameters(v.parameters) &&
    isCapabilities(v.capabilities) &&
    arrayOf(v.sources, isStr) &&
    isOptStr(v.focus) &&
    (v.guest === undefined || isObj(v.guest)) &&
    (v.link === undefined || isObj(v.link))
  );
}

/** Assumptions with only known keys and sane values; anything else makes the whole message invalid. */
export function isAssumptions(v: unknown): v is Assumptions {
  if (!isObj(v)) return false;
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    if (!(ASSUMPTION_KEYS as readonly string[]).includes(k) || !isNum(x) || x < 0) return false;
    if (k === 'sendingEfficiency' && (x <= 0 || x > 1)) return false;
  }
  return true;
}

export function isToPage(m: unknown): m is ToPage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'update':
      return (
        isMigrationInputs(m.inputs) &&
        isScenario(m.scenario) &&
        isSimulationResult(m.result) &&
        isOptStr(m.focus) &&
        isObj(m.units) &&
        Object.values(m.units).every(isStr) &&
        isObj(m.source) &&
        isStr(m.source.file) &&
        isNum(m.source.line) &&
        isAssumptions(m.overrides) &&
        (m.pending === undefined || isBool(m.pending))
      );
    case 'empty':
      return isStr(m.reason);
    case 'theme':
      return m.kind === 'light' || m.kind === 'dark' || m.kind === 'high-contrast' || m.kind === 'high-contrast-light';
    case 'live':
      return isLiveView(m.view);
    default:
      return false;
  }
}

const isNumMap = (v: unknown): v is Record<string, number | boolean> => isObj(v) && Object.values(v).every((x) => isNum(x) || isBool(x));
const hasNums = (v: unknown, keys: readonly string[]): v is Obj => isObj(v) && keys.every((k) => isNum(v[k]));
const LIMIT = 100_000; // no series longer than this (the server sends at most a few thousand)
const listOf = (v: unknown, item: (x: unknown) => boolean) => Array.isArray(v) && v.length <= LIMIT && v.every(item);

function isLivePoint(v: unknown): boolean {
  return (
    hasNums(v, [
      't',
      'remainingBytes',
      'transferredBytes',
      'bytesPerSecond',
      'dirtySyncCount',
      'throttlePercent',
      'thresholdBytes',
      'assumedBytesPerSecond',
      'downtimeLimitMs',
    ]) && isNumOrNull(v.expectedDowntimeMs)
  );
}

function isLivePrediction(v: unknown): boolean {
  return (
    hasNums(v, ['at']) &&
    isBool(v.converges) &&
    isNumOrNull(v.switchoverAt) &&
    isNumOrNull(v.downtimeMs) &&
    isStr(v.reason) &&
    listOf(v.curve, (p) => hasNums(p, ['t', 'pendingBytes', 'thresholdBytes']))
  );
}

function isLiveRecommendation(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.kind) &&
    isStr(v.message) &&
    isStr(v.change) &&
    (v.command === null || v.command === 'migrate-set-parameters' || v.command === 'migrate-set-capabilities') &&
    (v.arguments === null || isNumMap(v.arguments)) &&
    isOptStr(v.notApplicable) &&
    isOptNum(v.appliedAt)
  );
}

export function isLiveView(v: unknown): v is LiveView {
  return (
    isObj(v) &&
    (v.source === 'live' || v.source === 'replay') &&
    isStr(v.title) &&
    isStr(v.qemuVersion) &&
    isStr(v.status) &&
    ['waiting', 'migrating', 'ended', 'stopped'].includes(v.phase as string) &&
    isStr(v.note) &&
    isNumOrNull(v.linkBytesPerSecond) &&
    isStr(v.linkNote) &&
    isNum(v.downtimeLimitMs) &&
    isNumOrNull(v.availSwitchoverBytesPerSecond) &&
    listOf(v.points, isLivePoint) &&
    listOf(v.syncs, (x) => hasNums(x, ['t', 'count', 'pendingBytes', 'thresholdBytes'])) &&
    (v.prediction === null || isLivePrediction(v.prediction)) &&
    listOf(v.predictions, (x) => hasNums(x, ['at']) && isBool(x.converges) && isNumOrNull(x.switchoverAt)) &&
    (v.diagnosis === null || (hasNums(v.diagnosis, ['at']) && isBool(v.diagnosis.stuck) && isBool(v.diagnosis.seedCase) && isStr(v.diagnosis.message))) &&
    listOf(v.recommendations, isLiveRecommendation) &&
    listOf(v.marks, (x) => hasNums(x, ['t']) && (x.kind === 'applied' || x.kind === 'apply-failed') && isStr(x.label)) &&
    (v.end === null ||
      (isObj(v.end) &&
        isStr(v.end.status) &&
        ['switchoverAt', 'downtimeMs', 'totalSeconds', 'predictedSwitchoverAt'].every((k) => isNumOrNull((v.end as Obj)[k])))) &&
    isBool(v.canApply)
  );
}

/** A recommendation to write into the script: at least one parameter or capability, all of them values. */
export function isRecommendationChange(v: unknown): v is { parameters?: MigrationParameters; capabilities?: MigrationCapabilities } {
  return (
    isObj(v) &&
    (v.parameters !== undefined || v.capabilities !== undefined) &&
    (v.parameters === undefined || isParameters(v.parameters)) &&
    (v.capabilities === undefined || isCapabilities(v.capabilities))
  );
}

export function isToExtension(m: unknown): m is ToExtension {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'setAssumptions':
      return isAssumptions(m.assumptions);
    case 'applyRecommendation':
      return isRecommendationChange(m);
    case 'log':
      return (m.level === 'info' || m.level === 'warn' || m.level === 'error') && isStr(m.message);
    case 'liveApply':
      return isStr(m.kind) && m.kind.length <= 100 && isNumMap(m.arguments) && Object.keys(m.arguments).length > 0;
    case 'liveStop':
    case 'liveSave':
      return true;
    default:
      return false;
  }
}

/** A short description of a rejected message for the log (never the whole payload). */
export function describeRejected(m: unknown): string {
  const type = isObj(m) && isStr(m.type) ? `"${m.type.slice(0, 40)}"` : typeof m;
  return `ignored a malformed or unknown message (type ${type})`;
}
