// The engine's configuration: a scenario with every value in bytes and milliseconds
// and the version's defaults filled in (scenario.ts builds it).
import { atLeast, BEHAVIOUR, type QemuVersion, type SwitchoverRules } from '../migration/index';
import type { HostModel } from './model';

/** QEMU's switchover rule families (migration-model.md §1.4). */
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
  /** Settings QEMU may refuse depending on its build or accelerator (said in the result). */
  warnings: string[];
}

