// Requests beyond LSP that the extension's client uses (the convergence preview).
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../service/common/settings';
import type { LanguageService } from '../service/languageService';
import { analyse, scenarioFromInputs, ScenarioError, simulate, type Scenario, type ScenarioOverrides, type SimulationResult } from '../simulator/index';
import {
  CONVERGENCE_PREVIEW_REQUEST, isAssumptions, type Assumptions, type ConvergencePreviewParams, type ConvergencePreviewResponse,
} from '../../../webview/src/protocol';
import { runSafe } from './runSafe';

export interface MigrationInputsParams { textDocument: { uri: string }; position: Position }
export const MIGRATION_INPUTS_REQUEST = 'qapi/migrationInputs';

/** The page's workload controls as simulator overrides (absent keys keep the script's values). */
export function overridesFrom(a: Assumptions): ScenarioOverrides {
  return {
    guest: { ramBytes: a.ramBytes, workingSetBytes: a.workingSetBytes, dirtyBytesPerSecond: a.dirtyBytesPerSecond },
    link: { bytesPerSecond: a.linkBytesPerSecond, sendingEfficiency: a.sendingEfficiency },
  };
}

// Moving the cursor rarely changes the scenario, and a scenario that does not converge
// costs a dozen simulations more (the recommendations): remember the last few results.
// Keys: the scenario's JSON, plus '+' for a result with recommendations.
const CACHE_SIZE = 32;
const results = new Map<string, SimulationResult>();

function remember(key: string, r: SimulationResult): SimulationResult {
  results.delete(key);
  results.set(key, r);   // most recent last
  if (results.size > CACHE_SIZE) results.delete(results.keys().next().value!);
  return r;
}

/**
 * The simulation of a scenario. A full answer includes the recommendations; a quick one
 * (withRecommendations false) is the plain simulation unless the full one is known already.
 */
function resultFor(scenario: Scenario, withRecommendations: boolean): { result: SimulationResult; complete: boolean } {
  const key = JSON.stringify(scenario);
  const full = results.get(key + '+');
  if (full) return { result: remember(key + '+', full), complete: true };
  if (withRecommendations) return { result: remember(key + '+', analyse(scenario)), complete: true };
  const plain = results.get(key) ?? simulate(scenario);
  // A run that converges gets no recommendations: the plain result is the full one.
  return plain.converged ? { result: remember(key + '+', plain), complete: true } : { result: remember(key, plain), complete: false };
}

/** Inputs at the position, the scenario they make (with the page's overrides) and its simulation. */
export function convergencePreview(service: LanguageService, doc: TextDocument, position: Position, settings: Settings,
  overrides: Assumptions = {}, withRecommendations = true): ConvergencePreviewResponse {
  const inputs = service.migrationInputsAt(doc, position, settings);
  if (!inputs) return null;
  const scenario = scenarioFromInputs(inputs, overridesFrom(overrides));
  try {
    return { inputs, scenario, ...resultFor(scenario, withRecommendations) };
  } catch (e) {
    // A scenario QEMU or the model cannot take is the user's to fix: say which value.
    if (e instanceof ScenarioError) return { error: e.message };  // the message already names the field
    throw e;
  }
}

export function registerCustomRequests(connection: Connection, ctx: {
  documents: TextDocuments<TextDocument>;
  service: LanguageService;
  settingsNow: (uri: string) => Settings;
  log: (m: string) => void;
}): void {
  const docAt = (p: { textDocument?: { uri?: unknown }; position?: unknown } | undefined) => {
    const uri = p?.textDocument?.uri;
    const pos = p?.position as Position | undefined;
    const doc = typeof uri === 'string' ? ctx.documents.get(uri) : undefined;
    return doc && typeof pos?.line === 'number' && typeof pos.character === 'number' ? { doc, pos } : undefined;
  };

  connection.onRequest(MIGRATION_INPUTS_REQUEST, (p: MigrationInputsParams, token) => {
    const at = docAt(p);
    if (!at) return null;
    return runSafe(ctx.log, MIGRATION_INPUTS_REQUEST, token, null,
      () => ctx.service.migrationInputsAt(at.doc, at.pos, ctx.settingsNow(at.doc.uri)));
  });

  connection.onRequest<ConvergencePreviewResponse, void>(CONVERGENCE_PREVIEW_REQUEST, (p: ConvergencePreviewParams, token) => {
    const at = docAt(p);
    if (!at) return null;
    const overrides = p.overrides ?? {};
    if (!isAssumptions(overrides)) return { error: 'the workload overrides are not valid numbers' };
    return runSafe<ConvergencePreviewResponse>(ctx.log, CONVERGENCE_PREVIEW_REQUEST, token, null,
      () => convergencePreview(ctx.service, at.doc, at.pos, ctx.settingsNow(at.doc.uri), overrides, p.recommendations !== false));
  });
}
