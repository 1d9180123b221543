// The same integration cases in a desktop VS Code through @vscode/test-electron, for
// developers who have one installed (it cannot be downloaded here): the product is
// loaded from the repository's dist/ as a development extension, next to the probe.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { runTests } from '@vscode/test-electron';
import { Bridge } from './bridge';
import { integrationCases } from './cases';
import { makeWorkspace, type Workspace } from './fixtures';
import { BRIDGE_ENV } from './probe/protocol';
import { buildProbe, USER_SETTINGS } from './session';
import { REPO, vscodeExecutable } from './tools';

const code = vscodeExecutable();
const skip = code
  ? false
  : 'SKIP desktop VS Code (@vscode/test-electron): none installed and none can be downloaded here; set QAPI_E2E_VSCODE=/path/to/code to run these cases in it (needs a display, e.g. xvfb-run)';

describe('Desktop VS Code (@vscode/test-electron)', { skip }, () => {
  const bridge = new Bridge();
  let ws: Workspace;
  let vscodeRun: Promise<number> | undefined;
  let root: string | undefined;
  before(
    async () => {
      root = mkdtempSync(join(tmpdir(), 'qapi-e2e-electron-'));
      ws = makeWorkspace('electron');
      const url = await bridge.listen();
      const probe = await buildProbe();
      mkdirSync(join(root, 'user-data', 'User'), { recursive: true });
      writeFileSync(join(root, 'user-data', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS));
      vscodeRun = runTests({
        vscodeExecutablePath: code!,
        extensionDevelopmentPath: [REPO, probe.dir],
        extensionTestsPath: join(probe.dir, 'electron-tests.js'),
        extensionTestsEnv: { [BRIDGE_ENV]: url },
        launchArgs: [
          ws.root,
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
          '--user-data-dir',
          join(root, 'user-data'),
          '--extensions-dir',
          join(root, 'extensions'),
        ],
      });
      // VS Code exiting before the probe connects is a failure to start; report that instead of waiting.
      await Promise.race([
        bridge.connected,
        vscodeRun.then((c) => {
          throw new Error(`VS Code exited (${c}) before the probe connected`);
        }),
      ]);
    },
    { timeout: 240_000 },
  );
  after(async () => {
    await bridge.close();
    await vscodeRun?.catch(() => undefined);
    ws?.dispose();
    if (root && !process.env.QAPI_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  integrationCases(() => ({ bridge, ws }));
});
