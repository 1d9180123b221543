// The preview page in a real Chromium (Debian's /usr/bin/chromium through
// playwright-core): handshake, drawing, redraw, bad messages, escaping, CSP, reload.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { UpdateMessage } from '../../server/src/protocol/page';
import { sampleUpdates } from '../helpers/webview/samples';
import { chromiumSkip, pageForTests, posted, send } from '../helpers/webview/browser';
import { REPO } from '../helpers/shared';

const skip = chromiumSkip;
const open = pageForTests(1000);
const verdict = (page: Page) => page.locator('h1.verdict').textContent();

test('the page says ready, then draws the chart and the verdict of an update', { skip }, async () => {
  const [converging] = sampleUpdates();
  const { page, errors } = await open();
  assert.deepEqual((await posted(page))[0], { type: 'ready' });
  await send(page, converging);
  await page.waitForSelector('svg.chart path.series.pending');
  const d = await page.locator('path.series.pending').getAttribute('d');
  assert.match(d ?? '', /^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){10,}/);
  assert.equal(await page.locator('path.series.threshold').count(), 1);
  assert.equal(await page.locator('path.series.measured').count(), 1);
  const marker = page.locator('g.switchover');
  assert.equal(Number(await marker.getAttribute('data-seconds')), converging.result.switchoverSeconds);
  assert.equal(await marker.locator('circle').count(), 1);
  assert.match((await verdict(page)) ?? '', /^Converges: switchover after/);
  const figures = await page.locator('dl.figures').textContent();
  assert.match(figures ?? '', new RegExp(`limit ${converging.result.downtimeLimitMs} ms`));
  assert.match(figures ?? '', new RegExp(`Bitmap syncs${converging.result.dirtySyncCount}`));
  // Screen readers: the chart is one image with the verdict as its label, and the verdict is announced.
  const svg = page.locator('svg.chart');
  assert.equal(await svg.getAttribute('role'), 'img');
  assert.match((await svg.getAttribute('aria-label')) ?? '', /^Converges/);
  assert.match((await page.locator('[aria-live="polite"]').textContent()) ?? '', /Downtime \d+ ms, within the \d+ ms limit/);
  assert.deepEqual(errors, []);

  await page.screenshot({ path: join(REPO, 'test-output', 'preview.png'), fullPage: true });
  await page.close();
});

test('a second update with other data redraws', { skip }, async () => {
  const [converging, stuck] = sampleUpdates();
  const { page, errors } = await open();
  await send(page, converging);
  await page.waitForSelector('g.switchover');
  const before = await page.locator('path.series.pending').getAttribute('d');
  await send(page, stuck);
  await page.waitForFunction(() => document.querySelector('h1.verdict')?.textContent?.startsWith('Does not converge'));
  assert.notEqual(await page.locator('path.series.pending').getAttribute('d'), before);
  assert.equal(await page.locator('g.switchover').count(), 0, 'no switchover marker without a switchover');
  assert.ok((await page.locator('ul.recommendations button').count()) >= 1, 'a recommendation with an Apply button');
  await page.screenshot({ path: join(REPO, 'test-output', 'preview-not-converging.png'), fullPage: true });
  await page.locator('ul.recommendations button').first().click();
  const apply = (await posted(page)).find((m) => m.type === 'applyRecommendation');
  const first = stuck.result.recommendations.find((r) => r.parameters || r.capabilities)!;
  assert.deepEqual({ parameters: apply.parameters, capabilities: apply.capabilities }, { parameters: first.parameters, capabilities: first.capabilities });
  assert.deepEqual(errors, []);
  await page.close();
});

test('while the recommendations are searched for, the page says so; a theme message restyles', { skip }, async () => {
  const [, stuck] = sampleUpdates();
  const { page, errors } = await open();
  await send(page, { ...stuck, result: { ...stuck.result, recommendations: [] }, pending: true });
  await page.waitForSelector('ul.recommendations li.searching');
  assert.equal(await page.locator('ul.recommendations button').count(), 0);
  await send(page, stuck);
  await page.waitForFunction(() => !document.querySelector('ul.recommendations li.searching'));
  assert.ok((await page.locator('ul.recommendations button').count()) >= 1);
  const width = () => page.locator('path.series.pending').evaluate((e) => getComputedStyle(e).strokeWidth);
  assert.equal(await width(), '2px');
  await send(page, { type: 'theme', kind: 'high-contrast' });
  await page.waitForFunction(() => document.body.dataset.theme === 'high-contrast');
  assert.equal(await width(), '3px');
  assert.deepEqual(errors, []);
  await page.close();
});

test('malformed and unknown messages are ignored and logged, never thrown', { skip }, async () => {
  const [converging] = sampleUpdates();
  const { page, errors } = await open();
  await send(page, converging);
  await page.waitForSelector('g.switchover');
  const text = await verdict(page);
  const spoilt = structuredClone(converging) as any;
  spoilt.result.windows[2] = { t: 'soon' };
  for (const m of [spoilt, null, 42, 'update', { type: 'update' }, { type: 'explode' }, { type: 'theme', kind: 1 }]) await send(page, m);
  await page.waitForFunction(() => (window as any).__posted.filter((m: any) => m.type === 'log').length >= 7);
  assert.equal(await verdict(page), text, 'the last good drawing stays');
  const logs = (await posted(page)).filter((m) => m.type === 'log');
  assert.ok(logs.every((m) => m.level === 'warn' && /ignored a malformed or unknown message/.test(m.message)));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a parameter name holding <script> is shown as text', { skip }, async () => {
  const [converging] = sampleUpdates();
  const evil = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
  const m: UpdateMessage = structuredClone(converging);
  m.inputs.parameters = { ...m.inputs.parameters, [evil]: 1 };
  m.result.recommendations = [{ kind: 'warning', message: evil }];
  const { page, errors } = await open();
  await send(page, m);
  await page.waitForSelector('table.params code');
  const names = await page.locator('table.params code').allTextContents();
  assert.ok(names.includes(evil));
  assert.ok((await page.locator('ul.recommendations').textContent())?.includes(evil));
  assert.equal(await page.locator('main script, main img').count(), 0);
  assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test('parameter values are shown in the unit the update carries (from the facts), not guessed from their names', { skip }, async () => {
  const [converging] = sampleUpdates();
  const m: UpdateMessage = structuredClone(converging);
  // A made-up name that says nothing about its unit, and a known one given another unit.
  m.inputs.parameters = { 'downtime-limit': 300, 'x-opaque': 2 ** 30 };
  m.units = { 'downtime-limit': 'ms', 'x-opaque': 'B/s' };
  const { page, errors } = await open();
  await send(page, m);
  await page.waitForSelector('table.params td');
  const rows = await page.locator('table.params tr').allTextContents();
  assert.ok(rows.includes('downtime-limit300 ms'), rows.join(' | '));
  assert.ok(rows.includes('x-opaque1 GiB/s'), rows.join(' | '));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the CSP blocks an inline script without the nonce', { skip }, async () => {
  const { page } = await open();
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
  });
  await page.waitForFunction(() => (window as any).__violations.length > 0);
  assert.equal(await page.evaluate(() => (window as any).__injected), undefined);
  assert.ok((await page.evaluate(() => (window as any).__violations)).some((v: string) => v.startsWith('script-src')));
  await page.close();
});

test('after a reload the page draws its saved state before any new message', { skip }, async () => {
  const [converging] = sampleUpdates();
  const { page, errors } = await open();
  await send(page, converging);
  await page.waitForSelector('g.switchover');
  await page.reload();
  await page.waitForSelector('g.switchover');
  assert.match((await verdict(page)) ?? '', /^Converges/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('changing a workload control asks the extension to re-run with it', { skip }, async () => {
  const [converging] = sampleUpdates();
  const { page } = await open();
  await send(page, converging);
  await page.waitForSelector('g.switchover');
  await page.fill('#a-dirtyBytesPerSecond', '512');
  await page.locator('#a-dirtyBytesPerSecond').blur(); // the browser fires change on leaving the field
  const set = (await posted(page)).filter((m) => m.type === 'setAssumptions').at(-1);
  assert.deepEqual(set.assumptions, { ...converging.overrides, dirtyBytesPerSecond: 512 * 2 ** 20 });
  const sent = (await posted(page)).filter((m) => m.type === 'setAssumptions').length;
  await page.fill('#a-sendingEfficiency', '150');
  await page.locator('#a-sendingEfficiency').blur();
  assert.equal(await page.locator('#a-sendingEfficiency').getAttribute('aria-invalid'), 'true');
  assert.equal((await posted(page)).filter((m) => m.type === 'setAssumptions').length, sent, 'an invalid value is not sent');
  await page.fill('#a-workingSetBytes', '64'); // GiB, more than the 4 GiB of RAM
  await page.locator('#a-workingSetBytes').blur();
  assert.equal(await page.locator('#a-workingSetBytes').getAttribute('aria-invalid'), 'true');
  assert.match((await page.locator('#a-workingSetBytes').getAttribute('title')) ?? '', /larger than the guest RAM/);
  assert.equal((await posted(page)).filter((m) => m.type === 'setAssumptions').length, sent);
  await page.close();
});

test('beside the verdict, the page says how sure the simulator is (its errors measured against real QEMU)', { skip }, async () => {
  const [converging] = sampleUpdates();
  const { page } = await open();
  await send(page, converging);
  await page.waitForSelector('svg.chart path.series.pending');
  const line = page.locator('header p.fidelity');
  assert.ok(converging.result.fidelity, 'the simulator fills result.fidelity');
  assert.equal(await line.textContent(), converging.result.fidelity.message);
  assert.equal(await line.getAttribute('data-level'), converging.result.fidelity.level);
  // A less sure result (an unmeasured mechanism) is drawn with the warning style.
  const unsure = {
    ...converging,
    result: { ...converging.result, fidelity: { level: 'unmeasured', mechanisms: [], message: 'Less sure: dirty-limit needs KVM.' } },
  };
  await send(page, unsure);
  await page.waitForFunction(() => document.querySelector('header p.fidelity')?.getAttribute('data-level') === 'unmeasured');
  assert.equal(await line.textContent(), 'Less sure: dirty-limit needs KVM.');
  assert.equal(await line.isVisible(), true);
});
