// The extension's entry: starts the language server and registers the commands.
// Everything language-specific lives in the server; this file only wires VS Code.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LiveViewNotification, StatusNotification } from '../../server/src/protocol/lsp';
import { registerLive } from './live';
import { registerPreview, type PreviewHooks } from './preview/register';
import serverNodeFlags from './serverNodeFlags.json';
import { LanguageStatus } from './status';
import { registerWalkthrough } from './walkthrough';

let client: LanguageClient | undefined;

/**
 * Node flags of the language server. --expose-gc lets it give memory back after a
 * burst of edits (lsp/idleCollector.ts); a 32 MiB young generation keeps a check's
 * short-lived parse objects from being promoted (a full check of QEMU's 10.2 schema:
 * ~17.5 ms with the default 16 MiB, ~16 ms with 32; 64 costs too much memory; BENCHMARKS.md).
 * In a JSON file of their own: the build makes the server's V8 code cache under the same
 * flags (V8 refuses a cache made under others), and tests and benches start it with them.
 */
export const SERVER_NODE_FLAGS: string[] = serverNodeFlags;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: () => LanguageClient | undefined }> {
  const output = vscode.window.createOutputChannel('QEMU QAPI & QMP', { log: true });
  const status = new LanguageStatus();
  context.subscriptions.push(output, status);

  let preview: PreviewHooks | undefined;
  const start = async () => {
    client = createClient(context, output);
    client.onNotification(StatusNotification, (p) => status.update(p));
    client.onNotification(LiveViewNotification, (p) => preview?.liveView(p?.view));
    await client.start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('qapi.restartServer', async () => {
      await client?.stop();
      await start();
      output.info('language server restarted');
    }),
    vscode.commands.registerCommand('qapi.showOutput', () => output.show()),
    { dispose: () => void client?.stop() },
  );

  // Registered first, so the command and the panel serializer exist even if the server fails to start.
  preview = registerPreview(context, () => client, output);
  registerWalkthrough(context);
  registerLive(
    context,
    () => client,
    (migration) => preview?.migrationStatus(migration),
  );
  await start();
  return { client: () => client };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_NODE_FLAGS } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] } },
  };
  // C files only inside QEMU trees (a workspace folder with VERSION and qapi/), so the C
  // extension alone answers everywhere else; the server answers only for generated names.
  const qemuTrees = (vscode.workspace.workspaceFolders ?? [])
    .map((f) => f.uri.fsPath)
    .filter((root) => existsSync(join(root, 'VERSION')) && existsSync(join(root, 'qapi')));
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'qapi' }, { language: 'qmp' }, ...qemuTrees.map((root) => ({ language: 'c', scheme: 'file', pattern: `${root}/**/*` }))],
    outputChannel: output,
    synchronize: {
      // Includes, VERSION files and introspection replies change outside the editor too;
      // in a QEMU tree, C files too (the C index and the wiring check follow them).
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/{*.json,VERSION}'),
        ...(qemuTrees.length ? [vscode.workspace.createFileSystemWatcher('**/*.{c,h}')] : []),
      ],
    },
  };
  return new LanguageClient('qapi', 'QEMU QAPI & QMP', serverOptions, clientOptions);
}
