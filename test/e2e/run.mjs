// `npm run test:e2e`: packages the extension, then runs the end-to-end suites under
// node's test runner (its summary is what CI reads). Without code-server or Chromium
// it says what is missing and how to get it, and exits 0 (the suites report SKIP).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const { tools } = await tsImport('./tools.ts', import.meta.url);

const t = tools();
for (const m of t.missing) console.log(`SKIP end-to-end: ${m}`);
// CI installs both tools first: there a missing tool is a broken setup, not a reason to skip.
if (t.missing.length && (process.env.CI || process.env.QAPI_E2E_REQUIRE)) {
  console.error('e2e: CI/QAPI_E2E_REQUIRE is set, so the missing tools above are an error');
  process.exit(1);
}
if (!t.missing.length && !process.env.QAPI_E2E_VSIX) {
  // The suites install this .vsix: they test what users install.
  const pkg = spawnSync('npm', ['run', 'package'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  if (pkg.status !== 0) {
    console.error('e2e: `npm run package` failed');
    process.exit(1);
  }
}

const only = process.argv.slice(2);
const files = (
  only.length
    ? only
    : readdirSync(here)
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => join(here, f))
).map((f) => relative(repo, f));
// One VS Code at a time: this is a 2-core machine and each suite runs its own.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { cwd: repo, stdio: 'inherit' });
process.exit(r.status ?? 1);
