// Runs every test file under node's own test runner (its summary is what CI reads).
// Test files are TypeScript, loaded through tsx; folders are listed so a new test
// file is picked up without touching this script.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dirs = ['test/unit', 'test/grammar', 'test/protocol', 'test/cli', 'test/editors', 'test/webview', 'test/qemu', 'test/live'];
const only = process.argv.slice(2);
const files = [];
for (const dir of only.length ? only : dirs) {
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.test.ts')) files.push(join(dir, f));
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
