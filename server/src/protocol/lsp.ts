// Every request and notification beyond LSP that the language server and the extension
// exchange, typed once (as rust-analyzer's lsp_ext.ts does): the server registers and the
// client sends these objects, so a method name is written here and nowhere else.
// To add one: declare it below (method, params, result), handle it in
// server/src/lsp/customRequests.ts, send it from client/src. The layers test
// (test/unit/layers.test.ts) keeps the client importing the server only through this folder.
import { NotificationType, RequestType, RequestType0, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { MigrationCapabilities, MigrationInputs, MigrationParameters } from '../migration/inputs';
import type { Scenario, SimulationResult } from '../simulator/types';
import type { Assumptions, LiveView, ParameterUnits } from './page';

/** A place in a document, as LSP's TextDocumentPositionParams. */
export interface DocumentPosition {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

// ---- server -> client -------------------------------------------------------

/** Which QEMU rules and which schema source are in force for a document (the language status item). */
export interface StatusParams {
  uri: string;
  text: string;
  detail: string;
}
export const StatusNotification = new NotificationType<StatusParams>('qapi/status');

// ---- client -> server -------------------------------------------------------

/** The migration inputs (parameters, capabilities, workload, QEMU version) in force at a position. */
export const MigrationInputsRequest = new RequestType<DocumentPosition, MigrationInputs | null, void>('qapi/migrationInputs');

/** The request behind every preview `update`: the inputs at a position, their scenario and its simulation. */
export interface ConvergencePreviewParams extends DocumentPosition {
  overrides?: Assumptions;
  /** false: answer quickly with the plain simulation; the client asks again for the recommendations. */
  recommendations?: boolean;
}
/**
 * null: no migration at the position; `error`: the inputs (or the overrides) cannot be simulated.
 * `complete` false: the result has no recommendations yet (only for `recommendations: false`).
 */
export type ConvergencePreviewResponse =
  | { inputs: MigrationInputs; scenario: Scenario; result: SimulationResult; complete: boolean; units: ParameterUnits }
  | { error: string }
  | null;
export const ConvergencePreviewRequest = new RequestType<ConvergencePreviewParams, ConvergencePreviewResponse, void>('qapi/convergencePreview');

/** A recommendation's values written into the script at a position. */
export interface RecommendationChange {
  parameters?: MigrationParameters;
  capabilities?: MigrationCapabilities;
}
export interface RecommendationEditParams extends DocumentPosition {
  change: RecommendationChange;
}
/**
 * The edit that applies a recommendation, computed by the server from the parsed script
 * (a WorkspaceEdit with the document's version, so a script changed meanwhile is refused);
 * `error` when it cannot be applied to this document.
 */
export type RecommendationEditResponse = { edit: WorkspaceEdit } | { error: string };
export const RecommendationEditRequest = new RequestType<RecommendationEditParams, RecommendationEditResponse, void>('qapi/recommendationEdit');

// ---- live QEMU (client -> server; each one only on an explicit user action) ----

/** Connect to a QEMU's monitor (`unix:PATH`, `tcp:HOST:PORT`, `libvirt:DOMAIN[?URI]`); scripts are then checked against its schema. */
export interface LiveConnectParams {
  address: string;
}
export type LiveConnectResponse = { label: string; version: string } | { error: string };
export const LiveConnectRequest = new RequestType<LiveConnectParams, LiveConnectResponse, void>('qapi/liveConnect');

export const LiveDisconnectRequest = new RequestType0<null, void>('qapi/liveDisconnect');

/** Read-only (query-status, query-migrate), asked for only while connected. */
export type LiveStatusResponse =
  | { connected: false; reason?: string }
  | { connected: true; label: string; version: string; vmStatus: string; migrationStatus: string };
export const LiveStatusRequest = new RequestType0<LiveStatusResponse, void>('qapi/liveStatus');

/** Lines of a QMP script (0-based, inclusive; the whole script when absent). */
export interface LiveScriptParams {
  textDocument: { uri: string };
  lines?: { start: number; end: number };
}
export interface LivePlannedCommand {
  line: number;
  endLine: number;
  command: string;
  isQuery: boolean;
  errors: string[];
}
export type LivePlanResponse = { commands: LivePlannedCommand[] } | { error: string };
/** What a run would send, checked against the connected QEMU (nothing is sent). */
export const LivePlanRequest = new RequestType<LiveScriptParams, LivePlanResponse, void>('qapi/livePlan');

export interface LiveRunParams extends LiveScriptParams {
  /** The user confirmed sending commands that are not query-*. */
  yes: boolean;
  /** The user insisted on sending commands the checker refuses. */
  force: boolean;
}
export interface LiveOutcome {
  /** 1-based lines of the statement. */
  line: number;
  endLine: number;
  command: string;
  reply: { return: unknown } | { error: { class: string; desc: string } } | null;
  skipped?: string;
  ok: boolean;
}
export type LiveRunResponse = { outcomes: LiveOutcome[]; transcript: string } | { error: string };
export const LiveRunRequest = new RequestType<LiveRunParams, LiveRunResponse, void>('qapi/liveRun');

/** The connected QEMU's query-qmp-schema reply plus its version (for QEMU: Save Schema…). */
export type LiveSchemaResponse = { text: string } | { error: string };
export const LiveSchemaRequest = new RequestType0<LiveSchemaResponse, void>('qapi/liveSchema');

/** Runs calc-dirty-rate (the user confirmed), then the queries; the `# workload:` line to write (link and other items kept from `previous`). */
export interface LiveMeasureParams {
  calcTimeSeconds: number;
  previous?: string;
}
export type LiveMeasureResponse = { line: string; ramBytes: number; dirtyBytesPerSecond: number; vcpus: number } | { error: string };
export const LiveMeasureRequest = new RequestType<LiveMeasureParams, LiveMeasureResponse, void>('qapi/liveMeasure');

// ---- live mode of the convergence preview ------------------------------------

/**
 * Watch the connected QEMU's migration in the preview (the user opened the preview while
 * connected, or ran the watch command): the server polls query-migrate and sends the view.
 * `pollInterval` is the raw qapi.live.pollInterval setting (the server validates it); the
 * link is taken from the `# workload: link=` header of the script at the position.
 */
export interface LiveWatchParams {
  pollInterval?: unknown;
  textDocument?: { uri: string };
  position?: { line: number; character: number };
}
export type LiveWatchResponse = { intervalMs: number; problem?: string } | { error: string };
export const LiveWatchStartRequest = new RequestType<LiveWatchParams, LiveWatchResponse, void>('qapi/liveWatchStart');
export const LiveWatchStopRequest = new RequestType0<null, void>('qapi/liveWatchStop');
/** server -> client: the live view, after each poll that changed it. */
export const LiveViewNotification = new NotificationType<{ view: LiveView }>('qapi/liveView');

/** Apply now (the user confirmed): sent only when it is exactly a recommendation the server offered for this migration. */
export interface LiveApplyParams {
  kind: string;
  arguments: Record<string, number | boolean>;
}
export type LiveApplyResponse = { ok: true } | { error: string };
export const LiveApplyRequest = new RequestType<LiveApplyParams, LiveApplyResponse, void>('qapi/liveApply');

/** A recording (the JSONL of `watch --record`) replayed through the live predictor into the same view; no QEMU involved. */
export interface LiveReplayParams {
  name: string;
  text: string;
}
export type LiveReplayResponse = { view: LiveView } | { error: string };
export const LiveReplayRequest = new RequestType<LiveReplayParams, LiveReplayResponse, void>('qapi/liveReplay');

/** The last live watch as a recording (the JSONL of `watch --record`), to save: replayable, and the simulator calibrates from it. */
export type LiveRecordingResponse = { text: string; polls: number } | { error: string };
export const LiveRecordingRequest = new RequestType0<LiveRecordingResponse, void>('qapi/liveRecording');
