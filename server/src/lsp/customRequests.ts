// Requests beyond LSP that the extension's client uses (the convergence preview).
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../service/common/settings';
import type { LanguageService } from '../service/languageService';
import { runSafe } from './runSafe';

export interface MigrationInputsParams { textDocument: { uri: string }; position: Position }
export const MIGRATION_INPUTS_REQUEST = 'qapi/migrationInputs';

export function registerCustomRequests(connection: Connection, ctx: {
  documents: TextDocuments<TextDocument>;
  service: LanguageService;
  settingsNow: (uri: string) => Settings;
  log: (m: string) => void;
}): void {
  connection.onRequest(MIGRATION_INPUTS_REQUEST, (p: MigrationInputsParams, token) => {
    const uri = p?.textDocument?.uri;
    const doc = typeof uri === 'string' ? ctx.documents.get(uri) : undefined;
    if (!doc || !p.position) return null;
    return runSafe(ctx.log, MIGRATION_INPUTS_REQUEST, token, null,
      () => ctx.service.migrationInputsAt(doc, p.position, ctx.settingsNow(uri)));
  });
}
