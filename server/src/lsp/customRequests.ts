// The handlers of the requests beyond LSP (declared in protocol/lsp.ts): the migration
// inputs at a position, the convergence preview, and the edit that applies a recommendation.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ConvergencePreviews } from '../preview/convergencePreview';
import {
  ConvergencePreviewRequest,
  MigrationInputsRequest,
  RecommendationEditRequest,
  type ConvergencePreviewResponse,
  type RecommendationEditResponse,
} from '../protocol/lsp';
import { isAssumptions, isRecommendationChange } from '../protocol/page';
import type { Settings } from '../service/common/settings';
import type { LanguageService } from '../service/languageService';
import { recommendationEdits } from '../service/qmp/features/recommendationEdit';
import { runSafe } from './runSafe';

export function registerCustomRequests(
  connection: Connection,
  ctx: {
    documents: TextDocuments<TextDocument>;
    service: LanguageService;
    settingsNow: (uri: string) => Settings;
    log: (m: string) => void;
  },
): void {
  const previews = new ConvergencePreviews(ctx.service);
  /** The open document and a well-formed position, or undefined (params come from outside). */
  const docAt = (p: { textDocument?: { uri?: unknown }; position?: unknown } | undefined) => {
    const uri = p?.textDocument?.uri;
    const pos = p?.position as Position | undefined;
    const doc = typeof uri === 'string' ? ctx.documents.get(uri) : undefined;
    return doc && typeof pos?.line === 'number' && typeof pos.character === 'number' ? { doc, pos } : undefined;
  };

  connection.onRequest(MigrationInputsRequest, (p, token) => {
    const at = docAt(p);
    if (!at) return null;
    return runSafe(ctx.log, MigrationInputsRequest.method, token, null, () => ctx.service.migrationInputsAt(at.doc, at.pos, ctx.settingsNow(at.doc.uri)));
  });

  connection.onRequest(ConvergencePreviewRequest, (p, token) => {
    const at = docAt(p);
    if (!at) return null;
    const overrides = p.overrides ?? {};
    if (!isAssumptions(overrides)) return { error: 'the workload overrides are not valid numbers' };
    return runSafe<ConvergencePreviewResponse>(ctx.log, ConvergencePreviewRequest.method, token, null, () =>
      previews.at(at.doc, at.pos, ctx.settingsNow(at.doc.uri), overrides, p.recommendations !== false),
    );
  });

  connection.onRequest(RecommendationEditRequest, (p, token) => {
    const at = docAt(p);
    if (!at) return { error: 'the document is not open in the language server' } satisfies RecommendationEditResponse;
    if (!isRecommendationChange(p.change)) return { error: 'the recommendation holds no valid parameter or capability values' };
    if (at.doc.languageId !== 'qmp') return { error: 'recommendations can be written into QMP scripts only; copy the values into your script' };
    const fallback: RecommendationEditResponse = { error: 'the edit could not be computed (see the language server output)' };
    return runSafe<RecommendationEditResponse>(ctx.log, RecommendationEditRequest.method, token, fallback, () => {
      const edits = recommendationEdits(at.doc, at.pos.line, p.change);
      return { edit: { documentChanges: [{ textDocument: { uri: at.doc.uri, version: at.doc.version }, edits }] } };
    });
  });
}
