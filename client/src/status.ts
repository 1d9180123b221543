// A language status item: which QEMU rules and which schema source are in force.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol/lsp';

export class LanguageStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('qapi.status', [{ language: 'qapi' }, { language: 'qmp' }]);
  private readonly byUri = new Map<string, { text: string; detail: string }>();
  private readonly sub = vscode.window.onDidChangeActiveTextEditor(() => this.show());

  constructor() {
    this.item.name = 'QEMU QAPI & QMP';
    this.item.text = 'QEMU';
    this.item.command = { title: 'Show Output', command: 'qapi.showOutput' };
  }

  update(p: StatusParams): void {
    if (typeof p?.uri !== 'string' || typeof p.text !== 'string') return;
    this.byUri.set(p.uri, { text: p.text, detail: String(p.detail ?? '') });
    this.show();
  }

  private show(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = uri ? this.byUri.get(uri) : undefined;
    if (!s) return;
    this.item.text = s.text;
    this.item.detail = s.detail;
  }

  dispose(): void {
    this.item.dispose();
    this.sub.dispose();
  }
}
