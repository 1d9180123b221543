// The preview page in Debian's Chromium (through playwright-core), as the browser tests
// open it: one browser and one harness per test file, a page per test, its errors kept.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { REPO } from '../shared';
import { buildPage, startHarness } from './harness';

export const CHROMIUM = process.env.QAPI_QMP_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumSkip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set QAPI_QMP_CHROMIUM)`;

export interface PageBrowser {
  open(height?: number): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Builds the page as its sources are now (not a stale bundle), starts Chromium and the harness. */
export async function startPageBrowser(): Promise<PageBrowser> {
  await buildPage();
  const { chromium } = await import('playwright-core');
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const harness = await startHarness();
  mkdirSync(join(REPO, 'test-output'), { recursive: true });
  return {
    async open(height = 1000) {
      const page = await browser.newPage({ viewport: { width: 900, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(harness.url);
      await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
      return { page, errors };
    },
    async close() {
      await browser.close();
      await harness.close();
    },
  };
}

/**
 * The page in Chromium for a test file's tests, `height` px tall: Chromium starts before
 * the first test (unless there is none, see chromiumSkip) and is closed after the last.
 */
export function pageForTests(height: number): () => Promise<{ page: Page; errors: string[] }> {
  let browser: PageBrowser | undefined;
  before(async () => {
    if (!chromiumSkip) browser = await startPageBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser!.open(height);
}

export const send = (page: Page, m: unknown) => page.evaluate((x) => window.postMessage(x, '*'), m);
export const posted = (page: Page) => page.evaluate(() => (window as any).__posted as any[]);
