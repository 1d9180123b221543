// Live mode of the preview page in a real Chromium (Debian's /usr/bin/chromium through
// playwright-core), fed the views the server builds from the committed recordings of real
// QEMU migrations (test/helpers/webview/liveSamples.ts): the real curve with the
// prediction over it, the seed's case named, the recommendations that QEMU has with Apply
// now (which posts exactly the one shown), the replay with the change marked, bad
// messages ignored, QEMU's strings shown as text, and the switch back to the script.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { liveMessage } from '../helpers/webview/liveSamples';
import { sampleUpdates } from '../helpers/webview/samples';
import { chromiumSkip, pageForTests, posted, send } from '../helpers/webview/browser';
import { REPO } from '../helpers/shared';

const skip = chromiumSkip;
const open = pageForTests(1200);
const points = (d: string | null) => (d ?? '').split(/[ML]/).filter(Boolean).length;

test("QEMU 10.2 stuck: the real curve with the prediction over it, the seed's case named, Apply now posts the change shown", { skip }, async () => {
  const m = liveMessage('seed-10.2', 'stuck');
  const { page, errors } = await open();
  await send(page, m);
  await page.waitForSelector('svg.live-chart path.series.remaining');
  assert.equal(await page.locator('div.script-mode').isVisible(), false, 'the script view is hidden in live mode');
  assert.match((await page.locator('h1.live-verdict').textContent()) ?? '', /^Stuck: does not converge \(the seed's case\)/);
  assert.match((await page.locator('p.diagnosis').textContent()) ?? '', /the seed's case: QEMU measures 33 MiB\/s on a 954 MiB\/s link/);
  // The real curve: one point per poll with a total-time; every series QEMU reports is drawn.
  const polls = m.view.points.length;
  assert.ok(polls >= 10);
  assert.equal(points(await page.locator('path.series.remaining').getAttribute('d')), polls);
  for (const id of ['threshold', 'transferred', 'measured', 'expected-downtime', 'downtime-limit', 'throttle', 'link']) {
    assert.equal(await page.locator(`path.series.${id}`).count(), 1, `series ${id}`);
  }
  // The prediction from the live numbers drawn over it, from where it was made.
  assert.ok(points(await page.locator('path.series.predicted').getAttribute('d')) > 2);
  assert.equal(await page.locator('svg .syncs line').count(), m.view.syncs.length, 'one tick per dirty sync');
  const figures = (await page.locator('dl.live-figures').textContent()) ?? '';
  assert.match(figures, /Dirty syncs\d+/);
  assert.match(figures, /Expected downtime\d+ ms · limit 300 ms/);
  assert.match(figures, /Predictiondoes not converge/);

  // What this QEMU has: avail-switchover-bandwidth first (the seed's case); a capability only as advice.
  const items = page.locator('ul.live-recommendations > li');
  assert.equal(await items.first().getAttribute('data-kind'), 'avail-switchover-bandwidth');
  const auto = page.locator('ul.live-recommendations > li[data-kind="auto-converge"]');
  assert.equal(await auto.locator('button').count(), 0);
  assert.match((await auto.textContent()) ?? '', /QEMU refuses migrate-set-capabilities while a migration runs/);
  await page.screenshot({ path: join(REPO, 'test-output', 'live-preview-stuck.png'), fullPage: true });

  await page.locator('button.save').click();
  assert.ok(
    (await posted(page)).some((x) => x.type === 'liveSave'),
    'Save as recording asks the extension',
  );
  await items.first().getByRole('button', { name: 'Apply now' }).click();
  assert.equal(await items.first().getByRole('button', { name: 'Apply now' }).isDisabled(), true, 'one request per click');
  const apply = (await posted(page)).find((x) => x.type === 'liveApply');
  const shown = m.view.recommendations[0];
  assert.deepEqual(apply, { type: 'liveApply', kind: 'avail-switchover-bandwidth', arguments: shown.arguments });
  assert.deepEqual(errors, []);
  await page.close();
});

test('QEMU 7.2 stuck: avail-switchover-bandwidth is said to need 8.2, Apply now offers downtime-limit', { skip }, async () => {
  const m = liveMessage('stuck-7.2', 'stuck');
  const { page, errors } = await open();
  await send(page, m);
  await page.waitForSelector('ul.live-recommendations button.apply-now');
  const asb = page.locator('ul.live-recommendations > li[data-kind="avail-switchover-bandwidth"]');
  assert.equal(await asb.locator('button').count(), 0);
  assert.match((await asb.textContent()) ?? '', /QEMU 7\.2 does not have it \(it came in 8\.2\)/);
  const buttons = page.locator('ul.live-recommendations button.apply-now');
  assert.equal(await buttons.count(), 1);
  await buttons.click();
  const apply = (await posted(page)).find((x) => x.type === 'liveApply');
  assert.equal(apply.kind, 'downtime-limit');
  assert.ok(apply.arguments['downtime-limit'] > 300);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a replayed recording: the change marked where it was applied, the real switchover, no Apply now', { skip }, async () => {
  const m = liveMessage('seed-10.2', 'replay');
  const { page, errors } = await open();
  await send(page, m);
  await page.waitForSelector('svg .marker.m-applied');
  assert.match((await page.locator('h1.live-verdict').textContent()) ?? '', /^Completed: switchover at 5\.24 s/);
  const applied = m.view.marks.find((x) => x.kind === 'applied')!;
  assert.equal(Number(await page.locator('svg .marker.m-applied').getAttribute('data-seconds')), applied.t);
  assert.match((await page.locator('svg .marker.m-applied text').textContent()) ?? '', /^applied avail-switchover-bandwidth = /);
  assert.equal(Number(await page.locator('svg .marker.m-switchover').getAttribute('data-seconds')), m.view.end!.switchoverAt);
  assert.equal(await page.locator('button.apply-now').count(), 0, 'nothing to apply in a replay');
  assert.match((await page.locator('li[data-kind="avail-switchover-bandwidth"] .badge').textContent()) ?? '', /^applied at/);
  assert.match((await page.locator('p.note').textContent()) ?? '', /^migration completed: switchover at 5\.2 s/);
  await page.screenshot({ path: join(REPO, 'test-output', 'live-preview-replay.png'), fullPage: true });
  assert.equal(await page.locator('button.stop').textContent(), 'Back to the script');
  assert.equal(await page.locator('button.save').isVisible(), false, 'a replay is already a recording');
  await page.locator('button.stop').click();
  assert.ok((await posted(page)).some((x) => x.type === 'liveStop'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('before any poll: waiting for a migration, axes and no series, nothing to apply', { skip }, async () => {
  const waiting = liveMessage('seed-10.2', 'waiting');
  const { page, errors } = await open();
  await send(page, waiting);
  await page.waitForSelector('svg.live-chart .panel-title');
  assert.equal(await page.locator('h1.live-verdict').textContent(), 'Waiting for a migration');
  assert.equal(await page.locator('svg.live-chart path.series').count(), 0);
  assert.match((await page.locator('ul.live-recommendations').textContent()) ?? '', /recommendations come once the migration is seen stuck/);
  assert.equal(await page.locator('button.stop').textContent(), 'Stop watching');
  assert.deepEqual(errors, []);
  await page.close();
});

test('malformed live messages are ignored and logged; QEMU strings are text; an update switches back to the script', { skip }, async () => {
  const m = liveMessage('seed-10.2', 'stuck');
  const { page, errors } = await open();
  await send(page, m);
  await page.waitForSelector('button.apply-now');
  const title = await page.locator('h1.live-verdict').textContent();
  const bad: unknown[] = [
    { type: 'live' },
    { type: 'live', view: null },
    { type: 'live', view: { ...m.view, points: [{ t: 'soon' }] } },
    { type: 'live', view: { ...m.view, phase: 'exploding' } },
    { type: 'live', view: { ...m.view, recommendations: [{ ...m.view.recommendations[0], command: 'quit' }] } },
    { type: 'live', view: { ...m.view, marks: 'all' } },
    { type: 'live', view: { ...m.view, points: Array(100_001).fill(m.view.points[0]) } },
  ];
  for (const x of bad) await send(page, x);
  await page.waitForFunction((n) => (window as any).__posted.filter((x: any) => x.type === 'log').length >= n, bad.length);
  assert.equal(await page.locator('h1.live-verdict').textContent(), title, 'the last good drawing stays');
  assert.ok((await posted(page)).filter((x) => x.type === 'log').every((x) => /ignored a malformed or unknown message/.test(x.message)));

  const evil = '<img src=x onerror="window.__xss=1">';
  const hostile = structuredClone(m);
  hostile.view.status = evil;
  hostile.view.title = evil;
  hostile.view.note = evil;
  hostile.view.diagnosis!.message = evil;
  hostile.view.recommendations[0].message = evil;
  await send(page, hostile);
  await page.waitForFunction(() => document.querySelector('p.note')?.textContent?.startsWith('<img'));
  assert.ok((await page.locator('header p.source').last().textContent())?.includes(evil));
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.evaluate(() => (window as any).__xss), undefined);

  // Reload: the page redraws live mode from its saved state.
  await page.reload();
  await page.waitForSelector('svg.live-chart path.series.remaining');
  // A script update: back to the simulation at the cursor.
  const [converging] = sampleUpdates();
  await send(page, converging);
  await page.waitForSelector('g.switchover');
  assert.equal(await page.locator('div.live').isVisible(), false);
  assert.equal(await page.locator('div.script-mode').isVisible(), true);
  assert.deepEqual(errors, []);
  await page.close();
});
