// One end-to-end session: a fresh code-server (a real VS Code 1.100) with the
// packaged extension and the probe installed, its workbench opened by headless
// Chromium on loopback, and the bridge to the probe connected.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Bridge } from './bridge';
import { makeWorkspace, type Workspace } from './fixtures';
import { BRIDGE_ENV } from './probe/protocol';
import { OUTPUT, PRODUCT_ID, REPO, tools } from './tools';

export interface Session {
  bridge: Bridge;
  page: Page;
  workspace: string;
  /** Saves a screenshot of the workbench to test-output/e2e/NAME.png. */
  screenshot(name: string): Promise<string>;
  dispose(): Promise<void>;
}

export const USER_SETTINGS = {
  // Without this the workspace opens in restricted mode.
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.commandCenter.enabled': false,
  'editor.hover.delay': 100,
  // Completion lists must hold only what the extension offers, not words of open files.
  'editor.wordBasedSuggestions': 'off',
  'files.autoSave': 'off',
};

let probe: Promise<{ dir: string; vsix: string }> | undefined;

/**
 * Builds the probe extension once per process, outside the repository: a folder
 * (for test-electron's extensionDevelopmentPath) and a .vsix (for code-server).
 */
export function buildProbe(): Promise<{ dir: string; vsix: string }> {
  probe ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qapi-e2e-probe-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const src = join(REPO, 'test/e2e/probe');
    await esbuild.build({
      entryPoints: { extension: join(src, 'extension.ts'), 'electron-tests': join(src, 'electronEntry.ts') },
      outdir: dir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      logLevel: 'warning',
    });
    cpSync(join(src, 'package.json'), join(dir, 'package.json'));
    const vsix = join(dir, 'probe.vsix');
    const r = spawnSync(
      process.execPath,
      [join(REPO, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
      { cwd: dir, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`packaging the probe failed:\n${r.stdout}\n${r.stderr}`);
    return { dir, vsix };
  })();
  return probe;
}

function waitForListening(proc: ChildProcess, log: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer) => {
      const text = b.toString();
      log.push(text);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m) resolve(m[1]);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${log.join('')}`)));
  });
}

export interface SessionOptions {
  /**
   * false: workspace trust is on and this workspace is not trusted, so VS Code runs it in
   * restricted mode (no trust prompt; a fresh profile has trusted nothing).
   */
  trusted?: boolean;
}

/** User settings for a session: trust is switched off unless the session is to be untrusted. */
function userSettings({ trusted = true }: SessionOptions): Record<string, unknown> {
  return trusted ? USER_SETTINGS : { ...USER_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
}

export async function startSession(workspace: string, name: string, opts: SessionOptions = {}): Promise<Session> {
  const t = tools();
  if (!t.codeServer || !t.chromium) throw new Error('startSession needs code-server and Chromium (see tools())');
  const root = mkdtempSync(join(tmpdir(), `qapi-e2e-${name}-`));
  const userData = join(root, 'user-data');
  const extensions = join(root, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(opts), null, 2));
  const base = ['--extensions-dir', extensions, '--user-data-dir', userData, '--config', join(root, 'config.yaml')];

  const install = spawnSync(t.codeServer, [...base, '--install-extension', t.vsix, '--install-extension', (await buildProbe()).vsix], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing the extensions failed:\n${install.stdout}\n${install.stderr}`);

  const bridge = new Bridge();
  const bridgeUrl = await bridge.listen();
  const log: string[] = [];
  const trustFlag = opts.trusted === false ? [] : ['--disable-workspace-trust'];
  const server = spawn(
    t.codeServer,
    [
      ...base,
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      ...trustFlag,
      '--disable-getting-started-override',
      workspace,
    ],
    {
      env: { ...process.env, [BRIDGE_ENV]: bridgeUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let browser: Browser | undefined;
  const dispose = async () => {
    await bridge.close();
    await browser?.close().catch(() => undefined);
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      try {
        process.kill(-server.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await exited;
    }
    if (!process.env.QAPI_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  };
  try {
    const url = await waitForListening(server, log);
    browser = await chromium.launch({
      executablePath: t.chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      bridge.connected,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the probe extension never connected; code-server said:\n${log.join('')}`)), 90_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const product = await bridge.call('extension', { extensionId: PRODUCT_ID });
    if (!product.version)
      throw new Error(
        `${PRODUCT_ID} is not installed in VS Code ${product.vscode}, or VS Code disabled it${product.trusted ? '' : ' (restricted mode: does its package.json support untrusted workspaces?)'}`,
      );
    const broken = process.env.QAPI_E2E_BREAK;
    if (broken) await bridge.call('breakFeature', { feature: broken as 'hover' });
    return {
      bridge,
      page,
      workspace,
      dispose,
      screenshot: async (shot) => {
        mkdirSync(OUTPUT, { recursive: true });
        const file = join(OUTPUT, `${shot}.png`);
        await page.screenshot({ path: file });
        // `npm run screenshots` refreshes the README's pictures from these same moments.
        const docs = process.env.QAPI_E2E_SCREENSHOTS;
        if (docs) {
          mkdirSync(docs, { recursive: true });
          await page.screenshot({ path: join(docs, `${shot}.jpg`), type: 'jpeg', quality: 60 });
        }
        return file;
      },
    };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** Why a code-server suite cannot run here (for node:test's `skip`), or false. */
export function codeServerSkip(): string | false {
  const missing = tools().missing;
  return missing.length ? `SKIP end-to-end: ${missing.join('; ')}` : false;
}

/** Registers before/after hooks giving the enclosing suite its own workspace and session. */
export function useSession(name: string, opts: SessionOptions = {}): () => { s: Session; ws: Workspace } {
  let ws: Workspace | undefined;
  let s: Session | undefined;
  before(
    async () => {
      ws = makeWorkspace(name);
      s = await startSession(ws.root, name, opts);
    },
    { timeout: 240_000 },
  );
  after(async () => {
    await s?.dispose();
    ws?.dispose();
  });
  return () => {
    if (!s || !ws) throw new Error('the session did not start');
    return { s, ws };
  };
}
