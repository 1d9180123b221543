// `npm run package`: the .vsix, byte for byte the same from the same commit. esbuild's
// output is deterministic; vsce sorts the entries and stamps them all with
// SOURCE_DATE_EPOCH when it is set, so it is set here to the commit's time (kept when the
// caller sets it, e.g. a distribution's build; 2026-01-01 outside a git checkout).
// `npm run package -- --store`: the package for a store (Open VSX, Marketplace), whose page
// cannot show the README's relative links: they point at the release tag on GitHub instead.
// Without it, links stay relative (the README inside an offline install keeps working).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const git = spawnSync('git', ['log', '-1', '--format=%ct'], { encoding: 'utf8' });
const epoch = process.env.SOURCE_DATE_EPOCH ?? (git.status === 0 && /^\d+$/.test(git.stdout.trim()) ? git.stdout.trim() : String(Date.UTC(2026, 0, 1) / 1000));
const env = { ...process.env, SOURCE_DATE_EPOCH: epoch };

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run(process.execPath, ['scripts/build.mjs', '--production']);
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const repo = manifest.repository.url.replace(/\.git$/, '');
const links = process.argv.includes('--store')
  ? ['--baseContentUrl', `${repo}/blob/v${manifest.version}/`, '--baseImagesUrl', `${repo}/raw/v${manifest.version}/`]
  : ['--no-rewrite-relative-links'];
run(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', ...links, '--out', 'dist/qapi-qmp.vsix']);
