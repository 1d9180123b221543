// The first-run walkthrough (contributes.walkthroughs): its steps open the examples shipped
// in the .vsix, and its live-connection step shows only once a `qapi.connect` command exists.
import * as vscode from 'vscode';

/** Examples the walkthrough opens, relative to the extension (shipped in the .vsix). */
export const WALKTHROUGH_EXAMPLES: Record<string, { path: string; needle?: string }> = {
  schema: { path: 'examples/qapi/migration.json', needle: 'MigrationParameters' },
  script: { path: 'examples/qmp/avail-switchover-bandwidth.qmp', needle: 'avail-switchover-bandwidth' },
  scenario: { path: 'examples/scenarios/busy-thread-10.2.json' },
};

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('qapi.openExample', async (which: unknown = 'schema') => {
      const example = WALKTHROUGH_EXAMPLES[String(which)];
      if (!example) {
        void vscode.window.showErrorMessage(`QEMU: no example called '${String(which)}' (schema, script or scenario).`);
        return;
      }
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(context.extensionUri, example.path));
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      const at = example.needle ? doc.getText().indexOf(example.needle) : -1;
      if (at >= 0) {
        const pos = doc.positionAt(at);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
      }
    }),
  );
  // The live connection belongs to another part of the extension; the step appears when it exists.
  void vscode.commands.getCommands(true).then((all) => vscode.commands.executeCommand('setContext', 'qapi.connectAvailable', all.includes('qapi.connect')));
}
