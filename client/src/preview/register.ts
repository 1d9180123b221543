// PLACEHOLDER (replaced by the convergence preview work).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerPreview(context: vscode.ExtensionContext, _client: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
  context.subscriptions.push(vscode.commands.registerCommand('qapi.openConvergencePreview', () => {
    output.warn('the convergence preview is not available yet');
  }));
}
