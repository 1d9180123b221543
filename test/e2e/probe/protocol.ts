// The bridge between node:test (which owns a loopback HTTP server) and the probe
// extension inside VS Code's extension host. The probe long-polls for operations,
// runs them through the `vscode` API and posts back plain JSON, so every assertion
// lives in node:test and a failure shows what VS Code really returned.

export interface Pos {
  line: number;
  character: number;
}

export interface DiagnosticInfo {
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code?: string;
  source?: string;
  line: number;
  character: number;
}

/** Diagnostics of one file are awaited until some (or none) match. */
export interface DiagnosticWait {
  path: string;
  /** Regular expression (source text) tested against the message; empty matches any. */
  message?: string;
  severity?: DiagnosticInfo['severity'];
  expect: 'present' | 'absent';
  timeoutMs?: number;
}

export interface Operations {
  /** The product extension as VS Code sees it (without activating it), VS Code's version and whether it trusts the workspace. */
  extension: { args: { extensionId: string }; result: { vscode: string; version?: string; active: boolean; trusted: boolean } };
  /** Opens (and shows) a file; `select` places the cursor there. */
  open: { args: { path: string; select?: Pos }; result: { uri: string; languageId: string; lineCount: number } };
  waitDiagnostics: { args: DiagnosticWait; result: { matched: boolean; diagnostics: DiagnosticInfo[] } };
  hover: { args: { path: string } & Pos; result: string[] };
  completion: { args: { path: string; trigger?: string } & Pos; result: { label: string; detail?: string; documentation?: string }[] };
  definition: { args: { path: string } & Pos; result: { path: string; line: number; character: number }[] };
  references: { args: { path: string } & Pos; result: { path: string; line: number; character: number }[] };
  command: { args: { command: string; args?: unknown[] }; result: unknown };
  /** Waits until a tab whose webview view type contains `viewType` is open. */
  waitWebviewTab: { args: { viewType: string; timeoutMs?: number }; result: { found: boolean; tabs: string[] } };
  /** Sets a workspace setting and waits until VS Code reports the change. */
  config: { args: { section: string; key: string; value: unknown }; result: { value: unknown } };
  /** Replaces the first occurrence of `find` (after `after`, when given) in an open file. */
  replace: { args: { path: string; find: string; text: string; after?: string }; result: { version: number } };
  /** Adds text at the end of an open file. */
  append: { args: { path: string; text: string }; result: { version: number } };
  /** Undoes all unsaved edits of a file. */
  revert: { args: { path: string }; result: { dirty: boolean } };
  /** Makes a product feature misbehave inside this extension host only (see README). */
  breakFeature: { args: { feature: 'hover' | 'completion' | 'definition' | 'diagnostics' }; result: { broken: string } };
}

export type OpName = keyof Operations;

export interface Request<K extends OpName = OpName> {
  id: number;
  op: K;
  args: Operations[K]['args'];
}

export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Environment variable carrying the bridge URL into the extension host. */
export const BRIDGE_ENV = 'QAPI_E2E_BRIDGE';
