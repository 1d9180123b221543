// @vscode/test-electron's `extensionTestsPath`: VS Code stays open while the probe
// serves the test process, and closes when the test process says it is done.
import * as vscode from 'vscode';

export const PROBE_ID = 'qapi-qmp-tests.qapi-qmp-e2e-probe';

export async function run(): Promise<void> {
  const probe = vscode.extensions.getExtension<{ finished: Promise<void> }>(PROBE_ID);
  if (!probe) throw new Error(`${PROBE_ID} is not loaded`);
  await (await probe.activate()).finished;
}
