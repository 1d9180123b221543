// The live features end to end: a real QEMU 7.2 (`-M none`, QMP on a unix socket) and the
// extension inside code-server, driven through the workbench in Chromium like a user would:
// QEMU: Connect to QMP… from the command palette (quick pick, then the address input box),
// the status bar item showing the QEMU's version, Run QMP Script on a query-* script (no
// confirmation for queries), the reply inline and the transcript beside it. In an untrusted
// workspace the same palette command is disabled and running it is refused.
// Each QEMU is stopped by its PID in an after hook, pass or fail.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseRecordingText, replay } from '../../server/src/live/recording';
import { GUEST, LINK_BYTES_PER_S, PARAMS } from '../live/cases';
import { bootGuest, migrationSkip, startMigration, type LiveMigration } from '../live/migration';
import { qemu102, qemu72, startQemu, type RunningQemu } from '../live/qemus';
import { codeServerSkip, useSession, type Session } from './session';
import { REPO } from './tools';

const UI_TIMEOUT = 30_000;
const SCRIPT = 'scripts/live-query.qmp';
const SCRIPT_TEXT = '# Asks the connected QEMU for its version (a query: sent without confirmation).\n{ "execute": "query-version" }\n';

const LENS_SCRIPT = 'scripts/live-lens.qmp';
const LENS_TEXT = '{ "execute": "query-status" }\n<- { "return": { "status": "prelaunch" } }\nmigrate-set-parameters downtime-limit=400\n';

const skip = codeServerSkip() || qemu72().skip;

/** Runs a command from the command palette (F1), typing its title as a user does. */
async function palette(s: Session, title: string): Promise<void> {
  await s.bridge.call('command', { command: 'workbench.action.focusActiveEditorGroup' });
  await s.page.keyboard.press('F1');
  const input = s.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await input.fill(`>${title}`);
  await s.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: UI_TIMEOUT });
  await s.page.keyboard.press('Enter');
}

describe('Live QEMU in code-server (QEMU 7.2, command palette)', { skip }, () => {
  const session = useSession('live');
  let qemu: RunningQemu | undefined;
  before(
    async () => {
      qemu = await startQemu(qemu72());
    },
    { timeout: 60_000 },
  );
  after(async () => {
    await qemu?.stop();
  });

  test('Connect to QMP… from the palette shows the QEMU version in the status bar', async () => {
    const { s, ws } = session();
    writeFileSync(ws.path(SCRIPT), SCRIPT_TEXT);
    await s.bridge.call('open', { path: ws.path(SCRIPT) });
    await palette(s, 'QEMU: Connect to QMP…');
    // First use: no recent address, so the only entry asks for one.
    const rows = s.page.locator('.quick-input-widget .monaco-list-row');
    await rows.filter({ hasText: 'Enter an address' }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.page.keyboard.press('Enter');
    const box = s.page.locator('.quick-input-widget input.input');
    await s.page
      .locator('.quick-input-widget')
      .getByText('unix:PATH, tcp:HOST:PORT or libvirt:DOMAIN', { exact: false })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await box.fill(`unix:${qemu!.socket}`);
    await s.page.keyboard.press('Enter');
    const item = s.page.locator('.statusbar-item').filter({ hasText: 'QEMU 7.2' }).first();
    await item.waitFor({ timeout: UI_TIMEOUT });
    const text = await item.innerText();
    assert.match(text, /QEMU 7\.2\b/, `status bar item: ${text}`);
    // -S: the guest is not running, and query-status says so.
    assert.match(text, /prelaunch|paused/, `the status bar item does not show the VM state: ${text}`);
    await s.screenshot('live-connected');
  });

  test('Run QMP Script sends the query and shows the reply inline and the transcript beside', async () => {
    const { s, ws } = session();
    await s.bridge.call('open', { path: ws.path(SCRIPT), select: ws.find(SCRIPT, 'query-version') });
    await palette(s, 'QEMU: Run QMP Script');
    // The transcript opens beside the script: QEMU's real reply to query-version.
    const transcript = s.page.locator('.editor-instance').filter({ hasText: '"qemu"' }).first();
    await transcript.waitFor({ timeout: UI_TIMEOUT });
    const shown = await transcript.locator('.view-lines').innerText();
    assert.match(shown, /<-/, `the transcript has no reply line:\n${shown}`);
    assert.match(shown, /"major":\s*7/, `the transcript does not hold QEMU 7.2's version:\n${shown}`);
    // The inline reply is an `after` decoration on the command's line: its text is CSS content.
    const inline = await s.page.waitForFunction(
      () => {
        for (const el of Array.from(document.querySelectorAll('.view-line span'))) {
          const c = getComputedStyle(el, '::after').content;
          if (c && c.includes('<-') && c.includes('major')) return c;
        }
        return false;
      },
      undefined,
      { timeout: UI_TIMEOUT },
    );
    // CSS gives the content back as a quoted string.
    const reply = JSON.parse(String(await inline.jsonValue())) as string;
    assert.match(reply, /^<- \{"qemu":\{.*"major":7\}/, `inline reply: ${reply}`);
    await s.screenshot('live-run-script');
    // Nothing was refused: no QEMU error became a diagnostic.
    const d = await s.bridge.call('waitDiagnostics', { path: ws.path(SCRIPT), severity: 'error', expect: 'absent' });
    assert.ok(d.matched, `errors after a successful query: ${d.diagnostics.map((x) => x.message).join('; ')}`);
  });

  test('▶ Send lenses: a change asks first (cancelled: nothing sent), a query is sent and its reply shown inline', async () => {
    const { s, ws } = session();
    writeFileSync(ws.path(LENS_SCRIPT), LENS_TEXT);
    await s.bridge.call('open', { path: ws.path(LENS_SCRIPT) });
    // The script's editor (the transcript beside is a QMP document too, with its own lens).
    const lenses = s.page.locator('.editor-group-container.active .editor-instance .codelens-decoration a').filter({ hasText: '▶ Send' });
    await lenses.nth(1).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await lenses.count(), 2, 'one lens per command (none above the reply line)');
    await lenses.nth(1).click();
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.getByText('change the QEMU', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    assert.match(await dialog.innerText(), /migrate-set-parameters/);
    await s.screenshot('live-lens-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await lenses.nth(0).click();
    const inline = await s.page.waitForFunction(
      () => {
        for (const el of Array.from(document.querySelectorAll('.view-line span'))) {
          const c = getComputedStyle(el, '::after').content;
          if (c && c.includes('prelaunch')) return c;
        }
        return false;
      },
      undefined,
      { timeout: UI_TIMEOUT },
    );
    assert.match(JSON.parse(String(await inline.jsonValue())) as string, /^<- \{"status":"prelaunch"/);
    // Only the query went: the cancelled change has no reply of its own.
    const replies = await s.page.evaluate(
      () =>
        Array.from(document.querySelectorAll('.view-line span'))
          .map((el) => getComputedStyle(el, '::after').content)
          .filter((c) => c.includes('<-')).length,
    );
    assert.equal(replies, 1, 'more than the query was answered');
  });

  test('Disconnect hides the status bar item and the ▶ Send lenses', async () => {
    const { s } = session();
    await palette(s, 'QEMU: Disconnect');
    await s.page.locator('.statusbar-item').filter({ hasText: 'QEMU 7.2' }).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await s.page.locator('.codelens-decoration a').filter({ hasText: '▶ Send' }).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  });
});

describe('Live QEMU refused in an untrusted workspace (restricted mode)', { skip }, () => {
  const session = useSession('live-untrusted', { trusted: false });
  let qemu: RunningQemu | undefined;
  before(
    async () => {
      qemu = await startQemu(qemu72());
    },
    { timeout: 60_000 },
  );
  after(async () => {
    await qemu?.stop();
  });

  test('Connect to QMP… is disabled in the palette and refused when run, and nothing connects', async () => {
    const { s, ws } = session();
    const ext = await s.bridge.call('extension', { extensionId: 'qapi-qmp.qapi-qmp' });
    assert.equal(ext.trusted, false, 'the session is not in restricted mode');
    writeFileSync(ws.path(SCRIPT), SCRIPT_TEXT);
    await s.bridge.call('open', { path: ws.path(SCRIPT) });
    // The palette does not offer a disabled command.
    await s.bridge.call('command', { command: 'workbench.action.focusActiveEditorGroup' });
    await s.page.keyboard.press('F1');
    const input = s.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill('>QEMU: Open Example');
    // A control: the palette does list the extension's ordinary commands here.
    await s.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'QEMU: Open Example' }).first().waitFor({ timeout: UI_TIMEOUT });
    await input.fill('>QEMU: Connect to QMP');
    // The palette has applied the filter once it offers its fallback ("similar commands");
    // the trusted suite above finds Connect with the same palette() steps.
    const list = s.page.locator('.quick-input-widget .quick-input-list');
    await list.getByText('similar commands', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    const offered = await list.locator('.monaco-list-row').allInnerTexts();
    assert.ok(!offered.some((r) => r.includes('Connect to QMP')), `the palette offers Connect in restricted mode: ${offered.join(' | ')}`);
    await s.screenshot('live-untrusted-palette');
    await s.page.keyboard.press('Escape');
    // Run directly (as a link or keybinding would), with an address: refused with a message.
    await s.bridge.call('command', { command: 'qapi.connect', args: [`unix:${qemu!.socket}`] }).catch(() => undefined);
    await s.page.locator('.notifications-toasts').getByText('disabled in an untrusted workspace', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await s.page.locator('.statusbar-item').filter({ hasText: 'QEMU 7.2' }).count(), 0, 'a status bar item says connected');
  });
});

// The live mode of the convergence preview: the tiny guest of the live tests migrating on a
// real QEMU (10.2 from ../shared for the seed's case, else Debian's 7.2) and never
// converging; connected from the palette with the preview open, the preview follows the
// migration by itself, names the case and offers Apply now; the modal confirmation, then
// the migration completes with the change marked. Then a recording replayed into it.
const previewBin = [qemu102(), qemu72()].find((b) => !migrationSkip(b));
const previewSkip = codeServerSkip() || (previewBin ? false : `no QEMU to migrate with: ${migrationSkip(qemu72())}`);

describe('Live preview in code-server: a stuck migration followed, unblocked by Apply now', { skip: previewSkip }, () => {
  const session = useSession('live-preview');
  let m: LiveMigration | undefined;
  before(
    async () => {
      m = await bootGuest(previewBin!, GUEST, PARAMS);
    },
    { timeout: 90_000 },
  );
  after(async () => {
    await m?.driver.execute('migrate_cancel').catch(() => undefined);
    await m?.stop();
  });

  const page = (s: Session) => s.page.frameLocator('iframe.webview').frameLocator('iframe');

  test('the preview follows the migration, names the case, and Apply now (confirmed) unblocks it', async () => {
    const { s, ws } = session();
    const rel = 'scripts/live-migration.qmp';
    // The link the migration really has (QMP cannot measure it): 8 Gbit/s = 1 GB/s.
    writeFileSync(ws.path(rel), `# workload: link=${(LINK_BYTES_PER_S * 8) / 1e9}Gbit/s\nquery-migrate\n`);
    await s.bridge.call('open', { path: ws.path(rel) });
    await palette(s, 'QEMU: Connect to QMP…');
    await s.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Enter an address' }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.page.keyboard.press('Enter');
    await s.page
      .locator('.quick-input-widget')
      .getByText('unix:PATH, tcp:HOST:PORT or libvirt:DOMAIN', { exact: false })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await s.page.locator('.quick-input-widget input.input').fill(`unix:${m!.watchSocket}`);
    await s.page.keyboard.press('Enter');
    await s.page
      .locator('.statusbar-item')
      .filter({ hasText: `QEMU ${previewBin!.name}` })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await palette(s, 'QEMU: Open Convergence Preview');
    await page(s).locator('main#app').waitFor({ timeout: UI_TIMEOUT });
    // Room for the preview in the screenshots: no side bar, no toasts.
    await s.bridge.call('command', { command: 'workbench.action.closeSidebar' });
    await s.bridge.call('command', { command: 'notifications.clearAll' });

    await startMigration(m!);
    // The status poll sees the migration and the open preview switches to live mode on its own.
    const title = page(s).locator('h1.live-verdict');
    await title.filter({ hasText: 'Stuck' }).waitFor({ timeout: 90_000 });
    assert.match((await page(s).locator('p.diagnosis').textContent()) ?? '', /the seed's case: QEMU measures/);
    const first = page(s).locator('ul.live-recommendations > li').first();
    const kind = await first.getAttribute('data-kind');
    assert.equal(kind, previewBin!.name === '10.2' ? 'avail-switchover-bandwidth' : 'downtime-limit');
    await s.screenshot('live-preview-stuck');

    await first.getByRole('button', { name: 'Apply now' }).click();
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.getByText('to the migrating QEMU', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    assert.match(await dialog.innerText(), new RegExp(`migrate-set-parameters \\{"${kind}":\\d+\\}`));
    await dialog.getByRole('button', { name: 'Apply now' }).click();
    await title.filter({ hasText: 'Completed' }).waitFor({ timeout: 90_000 });
    await page(s).locator('svg .marker.m-applied').waitFor({ timeout: UI_TIMEOUT });
    assert.match((await page(s).locator('li[data-kind] .badge').first().textContent()) ?? '', /^applied at/);
    assert.match((await page(s).locator('p.note').textContent()) ?? '', /^migration completed: switchover at/);
    await s.bridge.call('command', { command: 'notifications.clearAll' });
    await title.scrollIntoViewIfNeeded();
    await s.screenshot('live-preview');
    // Saved as a recording (the command the page's button runs, given a path instead of the dialog): it replays.
    const saved = ws.path('watched.jsonl');
    await s.bridge.call('command', { command: 'qapi.saveRecording', args: [saved] });
    const events = [...replay(parseRecordingText(readFileSync(saved, 'utf8')))];
    assert.ok(events.some((o) => o.type === 'applied' && o.recommendation.kind === kind));
    assert.ok(events.some((o) => o.type === 'end' && o.status === 'completed'));
  });

  test('a recording replays into the preview', async () => {
    const { s, ws } = session();
    const file = ws.path('seed-10.2.jsonl');
    copyFileSync(join(REPO, 'bench/recordings-live/seed-10.2.jsonl'), file);
    await s.bridge.call('command', { command: 'qapi.replayRecording', args: [file] });
    const title = page(s).locator('header p.source').filter({ hasText: 'seed-10.2.jsonl (replay)' });
    await title.waitFor({ timeout: UI_TIMEOUT });
    assert.match((await page(s).locator('h1.live-verdict').textContent()) ?? '', /^Completed: switchover at 5\.24 s/);
    assert.equal(await page(s).locator('button.apply-now').count(), 0);
    await s.screenshot('live-preview-replay');
  });
});
