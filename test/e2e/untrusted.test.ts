// Untrusted workspaces: package.json declares `capabilities.untrustedWorkspaces.supported`
// because the extension only reads text. This suite opens the workspace with workspace
// trust on and the folder not trusted (restricted mode) and checks that the extension
// still activates and reports QAPI and QMP problems there.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DiagnosticInfo } from './probe/protocol';
import { codeServerSkip, useSession } from './session';
import { PRODUCT_ID } from './tools';

function show(d: DiagnosticInfo[]): string {
  return d.map((x) => `${x.line + 1}:${x.character + 1} ${x.severity} ${x.message}`).join('\n') || '(none)';
}

describe('Untrusted workspace (restricted mode, code-server 4.100.3)', { skip: codeServerSkip() }, () => {
  const session = useSession('untrusted', { trusted: false });

  test('VS Code runs the workspace in restricted mode', async () => {
    const { s } = session();
    const ext = await s.bridge.call('extension', { extensionId: PRODUCT_ID });
    assert.equal(ext.trusted, false, 'vscode.workspace.isTrusted is true: the session is not in restricted mode');
    assert.ok(ext.version, `${PRODUCT_ID} is not installed`);
    // What the user sees: the workbench's own restricted-mode indicator.
    await s.page.locator('.statusbar').getByText('Restricted Mode').first().waitFor({ timeout: 30_000 });
    await s.screenshot('untrusted-restricted-mode');
  });

  test('a .qmp script activates the extension and its misspelt command is reported', async () => {
    const { s, ws } = session();
    const path = ws.path('scripts/typo.qmp');
    assert.equal((await s.bridge.call('open', { path })).languageId, 'qmp');
    const r = await s.bridge.call('waitDiagnostics', { path, message: "'migrate-set-parameter'", expect: 'present' });
    assert.ok(r.matched, `no diagnostic names the misspelt command:\n${show(r.diagnostics)}`);
    const ext = await s.bridge.call('extension', { extensionId: PRODUCT_ID });
    assert.ok(ext.active, 'the extension is not active');
    assert.equal(ext.trusted, false, 'the workspace became trusted during the test');
  });

  test('a QAPI schema is checked across its include: a broken type is reported, and clears on undo', async () => {
    const { s, ws } = session();
    const path = ws.path('examples/qapi/migration.json');
    assert.equal((await s.bridge.call('open', { path })).languageId, 'qapi');
    await s.bridge.call('replace', { path, find: "'*downtime-limit': 'uint64'", text: "'*downtime-limit': 'NoSuchType'" });
    const broken = await s.bridge.call('waitDiagnostics', { path, message: 'NoSuchType', severity: 'error', expect: 'present' });
    assert.ok(broken.matched, `the unknown type was not reported:\n${show(broken.diagnostics)}`);
    await s.bridge.call('revert', { path });
    // Clean only if common.json (included) was read too: its types are used here.
    const clean = await s.bridge.call('waitDiagnostics', { path, severity: 'error', expect: 'absent' });
    assert.ok(clean.matched, `errors remain after undo:\n${show(clean.diagnostics)}`);
  });
});
