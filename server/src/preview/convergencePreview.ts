// The convergence preview's answer for a position: the migration inputs in force there,
// the scenario they make (with the page's workload overrides) and its simulation, plus
// the unit of every parameter shown (from the migration facts, so the page never guesses).
// Shared by the LSP request (lsp/customRequests.ts), the tests and the benchmarks.
import type { Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MIGRATION_PARAMETERS } from '../migration/facts';
import type { Settings } from '../service/common/settings';
import type { LanguageService } from '../service/languageService';
import { analyse, scenarioFromInputs, ScenarioError, simulate, type Scenario, type ScenarioOverrides, type SimulationResult } from '../simulator/index';
import type { ConvergencePreviewResponse } from '../protocol/lsp';
import type { Assumptions, ParameterUnits } from '../protocol/page';

/** The page's workload controls as simulator overrides (absent keys keep the script's values). */
export function overridesFrom(a: Assumptions): ScenarioOverrides {
  return {
    guest: { ramBytes: a.ramBytes, workingSetBytes: a.workingSetBytes, dirtyBytesPerSecond: a.dirtyBytesPerSecond },
    link: { bytesPerSecond: a.linkBytesPerSecond, sendingEfficiency: a.sendingEfficiency },
  };
}

const UNITS = new Map(MIGRATION_PARAMETERS.filter((p) => p.unit).map((p) => [p.name, p.unit!]));

/** The unit of each parameter the scenario or a recommendation names (those that have one). */
export function parameterUnits(scenario: Scenario, result: SimulationResult): ParameterUnits {
  const names = new Set(Object.keys(scenario.parameters));
  for (const r of result.recommendations) for (const k of Object.keys(r.parameters ?? {})) names.add(k);
  const units: ParameterUnits = {};
  for (const n of names) {
    const u = UNITS.get(n);
    if (u) units[n] = u;
  }
  return units;
}

/**
 * Answers preview requests, remembering the last few simulations: moving the cursor
 * rarely changes the scenario, and a scenario that does not converge costs a dozen
 * simulations more (the recommendations). One per server (or per test), never global.
 */
export class ConvergencePreviews {
  /** Keys: the scenario's JSON, plus '+' for a result with recommendations; most recent last. */
  private readonly results = new Map<string, SimulationResult>();

  constructor(
    private readonly service: LanguageService,
    private readonly cacheSize = 32,
  ) {}

  /** Inputs at the position, the scenario they make (with the page's overrides) and its simulation. */
  at(doc: TextDocument, position: Position, settings: Settings, overrides: Assumptions = {}, withRecommendations = true): ConvergencePreviewResponse {
    const inputs = this.service.migrationInputsAt(doc, position, settings);
    if (!inputs) return null;
    try {
      const scenario = scenarioFromInputs(inputs, overridesFrom(overrides));
      const { result, complete } = this.resultFor(scenario, withRecommendations);
      return { inputs, scenario, result, complete, units: parameterUnits(scenario, result) };
    } catch (e) {
      // A scenario QEMU or the model cannot take is the user's to fix: the message names the field.
      if (e instanceof ScenarioError) return { error: e.message };
      throw e;
    }
  }

  /** A full answer includes the recommendations; a quick one is the plain simulation unless the full one is known. */
  private resultFor(scenario: Scenario, withRecommendations: boolean): { result: SimulationResult; complete: boolean } {
    const key = JSON.stringify(scenario);
    const full = this.results.get(key + '+');
    if (full) return { result: this.remember(key + '+', full), complete: true };
    if (withRecommendations) return { result: this.remember(key + '+', analyse(scenario)), complete: true };
    const plain = this.results.get(key) ?? simulate(scenario);
    // A run that converges gets no recommendations: the plain result is the full one.
    return plain.converged ? { result: this.remember(key + '+', plain), complete: true } : { result: this.remember(key, plain), complete: false };
  }

  private remember(key: string, r: SimulationResult): SimulationResult {
    this.results.delete(key);
    this.results.set(key, r);
    if (this.results.size > this.cacheSize) this.results.delete(this.results.keys().next().value!);
    return r;
  }

  /** How many results are remembered (tests check the bound). */
  get cached(): number {
    return this.results.size;
  }
}
