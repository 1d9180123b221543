// The engine's configuration: a scenario with every value in bytes and milliseconds
// and the version's defaults filled in (scenario.ts builds it).
import { atLeast, BEHAVIOUR, type QemuVersion, type SwitchoverRules } from '../migration/index';
import type { HostModel } from './model';

/** QEMU's switchover rule families (docs/migration-model.md §1.4). */
export type RuleFamily = SwitchoverRules;

export function ruleFamily(v: QemuVersion): RuleFamily {
  if (!atLeast(v, BEHAVIOUR.mustPrecopySync.since)) return '7.2';
  if (!atLeast(v, BEHAVIOUR.mustPrecopySync.until)) return '8.x';
  if (!atLeast(v, BEHAVIOUR.switchoverAtOrBelow.since)) return '9.0-10.0';
  return '10.1+';
}

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
  maxBandwidth: number; // B/s, 0 = unlimited
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
  /** Settings QEMU may refuse depending on its build or accelerator (said in the result). */
  warnings: string[];
}

/** The parameters and capabilities the engine models; any other is accepted and reported as ignored. */
export const MODELLED_PARAMETERS = [
  'downtime-limit',
  'max-bandwidth',
  'avail-switchover-bandwidth',
  'throttle-trigger-threshold',
  'cpu-throttle-initial',
  'cpu-throttle-increment',
  'cpu-throttle-tailslow',
  'max-cpu-throttle',
  'vcpu-dirty-limit',
  'x-vcpu-dirty-limit-period',
  'multifd-channels',
  'xbzrle-cache-size',
  'max-postcopy-bandwidth',
  'zero-page-detection',
  'multifd-compression',
  'multifd-zlib-level',
  'multifd-zstd-level',
  'multifd-qatzip-level',
];
export const MODELLED_CAPABILITIES = ['auto-converge', 'dirty-limit', 'multifd', 'xbzrle', 'postcopy-ram', 'switchover-ack', 'return-path'];

type QemuSettings = Pick<
  Config,
  | 'downtimeLimitMs'
  | 'maxBandwidth'
  | 'availSwitchoverBandwidth'
  | 'throttleTrigger'
  | 'throttleInitial'
  | 'throttleIncrement'
  | 'throttleMax'
  | 'tailslow'
  | 'dirtyLimitMBps'
  | 'multifdChannels'
  | 'xbzrleCacheBytes'
  | 'maxPostcopyBandwidth'
  | 'zeroPageDetection'
  | 'autoConverge'
  | 'dirtyLimit'
  | 'multifd'
  | 'xbzrle'
  | 'postcopyRam'
  | 'switchoverAck'
  | 'forcedSyncTimer'
>;

/** The engine's fields from QEMU's parameters (in force: given or default) and capabilities. */
export function qemuSettings(version: QemuVersion, value: (name: string) => unknown, cap: (name: string) => boolean): QemuSettings {
  const numberOf = (name: string) => value(name) as number;
  return {
    downtimeLimitMs: numberOf('downtime-limit'),
    maxBandwidth: numberOf('max-bandwidth'),
    availSwitchoverBandwidth: numberOf('avail-switchover-bandwidth'),
    throttleTrigger: numberOf('throttle-trigger-threshold'),
    throttleInitial: numberOf('cpu-throttle-initial'),
    throttleIncrement: numberOf('cpu-throttle-increment'),
    throttleMax: numberOf('max-cpu-throttle'),
    tailslow: value('cpu-throttle-tailslow') === true,
    dirtyLimitMBps: numberOf('vcpu-dirty-limit'),
    multifdChannels: numberOf('multifd-channels'),
    xbzrleCacheBytes: numberOf('xbzrle-cache-size'),
    maxPostcopyBandwidth: numberOf('max-postcopy-bandwidth'),
    // Before 9.0 there is no parameter: the migration thread finds zero pages (legacy).
    zeroPageDetection: atLeast(version, BEHAVIOUR.multifdZeroPageDetection.since) ? (value('zero-page-detection') as string) : 'legacy',
    autoConverge: cap('auto-converge'),
    dirtyLimit: cap('dirty-limit'),
    multifd: cap('multifd'),
    xbzrle: cap('xbzrle'),
    postcopyRam: cap('postcopy-ram'),
    switchoverAck: cap('switchover-ack'),
    forcedSyncTimer: cap('auto-converge') && atLeast(version, BEHAVIOUR.dirtySyncTimer.since),
  };
}
