// The simulator's entry points, for the CLI, the LSP server and the preview.
import { runPrecopy } from './engine';
import { recommend } from './recommend';
import { configure } from './scenario';
import type { Scenario, SimulationResult } from './types';
import { toResult } from './verdict';

export { MODELLED_PARAMETERS } from './config';
export { recommend } from './recommend';
export { sweep, type SweepAxis, type SweepParameter, type SweepResult } from './sweep';
export { scenarioFromInputs, DEFAULT_GUEST, DEFAULT_LINK, DEFAULT_MAX_SECONDS, type ScenarioOverrides } from './fromInputs';
export { ScenarioError, validateScenario, HARD_CAP_SECONDS } from './scenario';
export type * from './types';

/**
 * One simulation. Throws ScenarioError (naming the field) for a scenario QEMU or
 * the model cannot take, and nothing else. `recommendations` holds only warnings;
 * `analyse` adds the simulated recommendations.
 */
export function simulate(scenario: Scenario): SimulationResult {
  const c = configure(scenario);
  return toResult(c, runPrecopy(c));
}

/** simulate() plus recommend(): what the CLI and the preview show. */
export function analyse(scenario: Scenario): SimulationResult {
  const result = simulate(scenario);
  if (!result.converged) result.recommendations.push(...recommend(scenario));
  return result;
}
