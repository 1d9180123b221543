// Where the end-to-end suite finds what it needs, and what to say when something is missing.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const OUTPUT = join(REPO, 'test-output', 'e2e');
export const PRODUCT_ID = 'qapi-qmp.qapi-qmp';
export const CODE_SERVER_DIR = process.env.QAPI_E2E_CODE_SERVER_DIR ?? join(homedir(), '.cache', 'qapi-qmp-e2e', 'code-server');

export interface Tools {
  codeServer?: string;
  chromium?: string;
  /** The packaged extension under test. */
  vsix: string;
  /** One line per missing tool: what is missing and how to get it. */
  missing: string[];
}

function firstExisting(paths: (string | undefined)[]): string | undefined {
  return paths.find((p): p is string => !!p && existsSync(p));
}

export function tools(): Tools {
  const codeServer = firstExisting([process.env.QAPI_E2E_CODE_SERVER, join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server')]);
  const chromium = firstExisting([process.env.QAPI_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']);
  const missing: string[] = [];
  if (!codeServer)
    missing.push(
      `code-server not found in ${CODE_SERVER_DIR}: run test/e2e/install-code-server.sh (needs apt packages libkrb5-dev and ripgrep) or set QAPI_E2E_CODE_SERVER`,
    );
  if (!chromium) missing.push('Chromium not found: apt-get install -y chromium, or set QAPI_E2E_CHROMIUM to a Chrome/Chromium binary');
  return { codeServer, chromium, vsix: process.env.QAPI_E2E_VSIX ?? join(REPO, 'dist', 'qapi-qmp.vsix'), missing };
}

/** An installed desktop VS Code for @vscode/test-electron (it cannot download one here). */
export function vscodeExecutable(): string | undefined {
  return firstExisting([process.env.QAPI_E2E_VSCODE, '/usr/bin/code', '/usr/share/code/code', '/snap/bin/code']);
}
