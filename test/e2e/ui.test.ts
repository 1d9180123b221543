// UI checks through the browser: what the code-server workbench really draws in
// headless Chromium (Problems panel, hover widget, suggest widget, preview webview).
// The probe moves the cursor and runs commands; Playwright reads the page.
// Screenshots go to test-output/e2e/.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import type { Workspace } from './fixtures';
import { codeServerSkip, useSession, type Session } from './session';

const ASB = 'avail-switchover-bandwidth';
const UI_TIMEOUT = 30_000;

describe('Workbench UI in Chromium (code-server 4.100.3)', { skip: codeServerSkip() }, () => {
  const session = useSession('ui');
  let s: Session;
  let ws: Workspace;
  beforeEach(() => ({ s, ws } = session()));

  /** Opens a file with the cursor at `needle` (+delta) and gives the editor keyboard focus. */
  const openAt = async (rel: string, needle: string, delta = 0) => {
    await s.bridge.call('open', { path: ws.path(rel), select: ws.find(rel, needle, { delta }) });
    await s.bridge.call('command', { command: 'workbench.action.focusActiveEditorGroup' });
  };

  test('the Problems panel lists the error of a broken schema and the warning of a misspelt command', async () => {
    const expected: string[] = [];
    const typo = ws.path('scripts/typo.qmp');
    await s.bridge.call('open', { path: typo });
    const q = await s.bridge.call('waitDiagnostics', { path: typo, message: "'migrate-set-parameter'", expect: 'present' });
    assert.ok(q.matched, 'the misspelt command was not diagnosed');
    expected.push(q.diagnostics.find((d) => d.message.includes("'migrate-set-parameter'"))!.message);
    if (ws.qemuTests) {
      const schema = `${ws.qemuTests}/duplicate-key.json`;
      await s.bridge.call('open', { path: schema });
      const d = await s.bridge.call('waitDiagnostics', { path: schema, severity: 'error', expect: 'present' });
      assert.ok(d.matched, 'the duplicate key was not diagnosed');
      expected.push(d.diagnostics.find((x) => x.severity === 'error')!.message);
    }
    await s.bridge.call('command', { command: 'workbench.actions.view.problems' });
    const panel = s.page.locator('.markers-panel');
    for (const message of expected) {
      await panel.getByText(message, { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    }
    await s.screenshot('problems-panel');
    const shown = await panel.innerText();
    assert.match(shown, /typo\.qmp/, 'the panel does not name the script');
    if (ws.qemuTests) assert.match(shown, /duplicate-key\.json/, 'the panel does not name the schema');
    await s.bridge.call('command', { command: 'workbench.action.closePanel' });
  });

  test(`the hover widget shows ${ASB}'s documentation, unit and since-version`, async () => {
    await openAt('scripts/migrate.qmp', ASB, 3);
    await s.bridge.call('command', { command: 'editor.action.showHover' });
    const hover = s.page.locator('.monaco-hover:visible').filter({ hasText: ASB }).first();
    await hover.waitFor({ timeout: UI_TIMEOUT });
    const text = await hover.innerText();
    await s.screenshot('hover');
    assert.match(text, /8\.2/, `no since-version in the hover:\n${text}`);
    assert.match(text, /B\/s|bytes? per second/i, `no unit in the hover:\n${text}`);
    await s.page.keyboard.press('Escape');
  });

  test(`the suggest widget offers ${ASB} inside migrate-set-parameters arguments`, async () => {
    await openAt('scripts/complete.qmp', '{  }', 2);
    await s.bridge.call('command', { command: 'editor.action.triggerSuggest' });
    const widget = s.page.locator('.suggest-widget.visible');
    await widget.getByText(ASB, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.screenshot('completion');
    const rows = await widget.locator('.monaco-list-row').allInnerTexts();
    assert.ok(
      rows.some((r) => r.includes(ASB)),
      `rows: ${rows.join(' | ')}`,
    );
    await s.page.keyboard.press('Escape');
  });

  test(`the convergence preview draws a plot and redraws when ${ASB} changes`, async (t) => {
    // The repository's example of the case behind avail-switchover-bandwidth.
    const rel = `examples/qmp/${ASB}.qmp`;
    if (!ws.files('examples/qmp', '.qmp').includes(rel)) return t.skip(`${rel} not in the repository`);
    const value = `"${ASB}": 1250000000`;
    await openAt(rel, value);
    await s.bridge.call('command', { command: 'qapi.openConvergencePreview' });
    const frame = await previewFrame(s);
    const before = await plotFingerprint(frame);
    assert.ok(before.series > 0, 'the chart has no data series');
    await s.screenshot('preview-before');

    await s.bridge.call('replace', { path: ws.path(rel), find: value, text: `"${ASB}": 0` });
    await frame.waitForFunction(
      (prev) => {
        const paths = Array.from(document.querySelectorAll('svg.chart path.series'))
          .map((p) => p.getAttribute('d'))
          .join('|');
        return paths !== '' && paths + (document.querySelector('p.reason')?.textContent ?? '') !== prev;
      },
      before.key,
      { timeout: UI_TIMEOUT },
    );
    const after = await plotFingerprint(frame);
    await s.screenshot('preview-after');
    assert.ok(after.series > 0, 'the chart lost its data series');
    assert.notEqual(after.reason, before.reason, 'the explanation did not change with the value');
    assert.match(before.reason, /1250 MB\/s/, `the explanation does not use the script's ${ASB}: ${before.reason}`);
    await s.bridge.call('revert', { path: ws.path(rel) });
  });

  test('the first-run walkthrough lists its steps and opens the example schema', async () => {
    await s.bridge.call('command', { command: 'workbench.action.openWalkthrough', args: ['qapi-qmp.qapi-qmp#gettingStarted', false] });
    const page = s.page.locator('.gettingStartedContainer');
    await page.getByText('Get started with QEMU QAPI & QMP').first().waitFor({ timeout: UI_TIMEOUT });
    for (const step of ['Open a QAPI schema', 'Open a QMP script', 'Preview the migration']) {
      await page.getByText(step, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    }
    await s.screenshot('walkthrough');
    // The step's link runs the command it names: the example schema opens in an editor.
    await s.bridge.call('command', { command: 'qapi.openExample', args: ['schema'] });
    await s.page.locator('.tab.active').filter({ hasText: 'migration.json' }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.bridge.call('command', { command: 'workbench.action.closeAllEditors' });
  });
});

/** The page inside the preview webview (VS Code nests it in two iframes), once it has drawn a chart. */
async function previewFrame(s: Session): Promise<Frame> {
  const chart = s.page.frameLocator('iframe.webview').frameLocator('iframe').locator('svg.chart path.series[d]').first();
  await chart.waitFor({ timeout: UI_TIMEOUT });
  const frame = await (await chart.elementHandle())?.ownerFrame();
  if (!frame) throw new Error('the preview chart has no frame');
  return frame;
}

/** The drawn series and the verdict's explanation: what a change of the script must alter. */
async function plotFingerprint(frame: Frame): Promise<{ key: string; series: number; reason: string }> {
  return frame.evaluate(() => {
    const paths = Array.from(document.querySelectorAll('svg.chart path.series')).map((p) => p.getAttribute('d'));
    const reason = document.querySelector('p.reason')?.textContent ?? '';
    return { key: paths.join('|') + reason, series: paths.filter(Boolean).length, reason };
  });
}
