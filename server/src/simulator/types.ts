// The simulator's input and output, as the CLI (`qapi-qmp converge`), the LSP custom
// request and the webview exchange them. Field names are the documented JSON format.
import type { HostModel } from './model';

// The inputs are the migration domain's (parameters, capabilities, workload, link).
import type { GuestWorkload, LinkModel, MigrationCapabilities, MigrationParameters } from '../migration/inputs';

export type { GuestWorkload, LinkModel, MigrationCapabilities, MigrationParameters };

export interface Scenario {
  /** "7.2", "8.2", "9.2", "10.0", "10.2", ... selects the switchover rule. */
  qemuVersion: string;
  guest: GuestWorkload;
  link: LinkModel;
  parameters: MigrationParameters;
  capabilities: MigrationCapabilities;
  maxSeconds: number;
  /** Optional: when `migrate-start-postcopy` is issued (needs postcopy-ram). */
  postcopyStartSeconds?: number;
  /** Optional: when the destination acks the switchover (with switchover-ack; default at once). */
  switchoverAckSeconds?: number;
  /** Optional: downtime-limit changes during the migration (an orchestrator's ramp, such as Nova's). */
  downtimeSteps?: { atSeconds: number; downtimeLimitMs: number }[];
  /** Optional: the model's host assumptions (see simulator/model.ts HOST_DEFAULTS). */
  host?: Partial<HostModel>;
}

export type WindowState = 'setup' | 'active' | 'postcopy' | 'completed' | 'timeout';

/** One 100 ms (or longer) accounting window of QEMU's migration thread. */
export interface SimWindow {
  t: number; // seconds since start, end of the window
  pendingBytes: number; // dirty bitmap estimate at the window end
  pendingAtSyncBytes: number; // pending measured by the last bitmap sync
  thresholdBytes: number; // switchover threshold in force
  measuredBytesPerSecond: number;
  assumedBytesPerSecond: number; // what the threshold used (measured or avail-switchover-bandwidth)
  expectedDowntimeMs: number;
  throttlePercent: number;
  dirtySyncCount: number;
  pass: number;
  state: WindowState;
}

export interface Recommendation {
  kind: 'avail-switchover-bandwidth' | 'downtime-limit' | 'auto-converge' | 'max-bandwidth' | 'warning' | string;
  message: string;
  /** The parameter/capability change that the simulator found to converge, ready to apply. */
  parameters?: MigrationParameters;
  capabilities?: MigrationCapabilities;
  /** Outcome of the simulation with the change applied. */
  switchoverSeconds?: number;
  downtimeMs?: number;
}

export interface OrchestratorMark {
  name: string;
  seconds: number;
  action: string;
}

export interface SimulationResult {
  converged: boolean;
  switchoverSeconds: number | null;
  dirtySyncCount: number;
  downtimeMs: number | null;
  downtimeLimitMs: number;
  transferredBytes: number;
  /** Why it did (or did not) converge, in words. */
  reason: string;
  recommendations: Recommendation[];
  orchestrators: OrchestratorMark[];
  windows: SimWindow[];
  /** Optional extras (always filled by simulate()). */
  /** 'precopy' switchover, 'postcopy' start, or null when it never switched. */
  mode?: 'precopy' | 'postcopy' | null;
  /** When all RAM is on the destination (postcopy: later than the switchover). */
  completedSeconds?: number | null;
  /** How far the simulation ran (maxSeconds, the hard cap, or the switchover). */
  simulatedSeconds?: number;
  /** 1 = every window is listed; n = every n-th window (long runs), plus the last. */
  windowStride?: number;
  /** Pending bytes measured by the last bitmap sync before the end. */
  lastSyncPendingBytes?: number;
  /** Highest auto-converge throttle reached (%). */
  finalThrottlePercent?: number;
  /** Things the result does not take into account, in words. */
  notes?: string[];
  /** How sure the result is: the errors measured against real QEMU for the mechanisms used. */
  fidelity?: Fidelity;
}

/**
 * How well the simulator matched real migrations (bench/recordings-*) for the mechanisms
 * a scenario uses: 'measured' (all within tolerance), 'approximate' (one mechanism's
 * recordings disagree more than the tolerance), 'unmeasured' (one has no recording).
 */
export interface Fidelity {
  level: 'measured' | 'approximate' | 'unmeasured';
  mechanisms: { mechanism: string; recordings: number; verdictsAgree: number; switchoverWorst: number | null }[];
  /** One sentence for the preview, beside the verdict. */
  message: string;
}
