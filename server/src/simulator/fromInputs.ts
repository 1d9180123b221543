// A scenario from what a QMP script says (parameters, capabilities, version) plus
// the workload, which scripts rarely state: the documented defaults fill the gaps.
import type { MigrationInputs } from '../migration/inputs';
import type { GuestWorkload, LinkModel, Scenario } from './types';

/** Workload assumed when the document does not say (docs/converge.md). */
export const DEFAULT_GUEST: GuestWorkload = {
  ramBytes: 4 * 2 ** 30,
  workingSetBytes: 512 * 2 ** 20,
  dirtyBytesPerSecond: 100e6,
  zeroPageFraction: 0.25,
  vcpus: 2,
};
export const DEFAULT_LINK: LinkModel = { bytesPerSecond: 1.25e9, sendingEfficiency: 1 };
export const DEFAULT_MAX_SECONDS = 600;

export interface ScenarioOverrides {
  qemuVersion?: string;
  guest?: Partial<GuestWorkload>;
  link?: Partial<LinkModel>;
  parameters?: Scenario['parameters'];
  capabilities?: Scenario['capabilities'];
  maxSeconds?: number;
}

/** Later sources win; an absent (undefined) value never hides an earlier one. */
function merge<T extends object>(...parts: (Partial<T> | undefined)[]): T {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part ?? {})) if (v !== undefined) out[k] = v;
  }
  return out as T;
}

export function scenarioFromInputs(inputs: MigrationInputs, overrides: ScenarioOverrides = {}): Scenario {
  return {
    qemuVersion: overrides.qemuVersion ?? inputs.qemuVersion,
    guest: merge<GuestWorkload>(DEFAULT_GUEST, inputs.guest, overrides.guest),
    link: merge<LinkModel>(DEFAULT_LINK, inputs.link, overrides.link),
    parameters: merge(inputs.parameters, overrides.parameters),
    capabilities: merge(inputs.capabilities, overrides.capabilities),
    maxSeconds: overrides.maxSeconds ?? DEFAULT_MAX_SECONDS,
  };
}
