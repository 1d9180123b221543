// `npm run package` builds the .vsix offline; it holds the bundles, grammars, documents,
// the store page's icon, the scenario schema and the walkthrough's examples, and nothing
// else (no sources, tests, node_modules or maps); it stays under 1 MB and is the same byte
// for byte when built again from the same commit. It packs a copy of the working tree, so
// its production build never rewrites the dist/ that the other CLI tests run meanwhile.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/shared';

/** Entry names from a zip's central directory (a .vsix is a zip). */
function zipEntries(buf: Buffer): string[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory');
    const nameLen = buf.readUInt16LE(p + 28),
      extraLen = buf.readUInt16LE(p + 30),
      commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The working tree's files (tracked and new, not ignored) copied to a temporary folder. */
function workingTreeCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-qmp-package-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  for (const f of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(REPO, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(REPO, f), join(dir, f));
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

test('the .vsix holds exactly what a user needs', { timeout: 240_000 }, (t) => {
  const copy = workingTreeCopy();
  t.after(() => rmSync(copy, { recursive: true, force: true }));
  // The commit's time, as `npm run package` takes it in a checkout (the copy has no .git).
  const epoch = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
  const pack = () => spawnSync('npm', ['run', 'package'], { cwd: copy, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: epoch } });
  const r = pack();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const vsix = join(copy, 'dist', 'qapi-qmp.vsix');
  // vsce stores LICENSE as LICENSE.txt and lower-cases readme/changelog names.
  const files = zipEntries(readFileSync(vsix))
    .filter((n) => n.startsWith('extension/'))
    .map((n) => n.slice('extension/'.length))
    .map((n) => (/^(readme|changelog)\.md$/i.test(n) ? n.toLowerCase() : n));
  for (const required of [
    'package.json',
    'readme.md',
    'LICENSE.txt',
    'changelog.md',
    'dist/extension.js',
    'dist/server.js',
    'dist/server.bundle.js',
    'dist/cindex.js',
    'dist/cli.js',
    'dist/cli.bundle.js',
    'dist/webview/preview.js',
    'syntaxes/qapi.tmLanguage.json',
    'syntaxes/qmp.tmLanguage.json',
  ]) {
    assert.ok(files.includes(required), `${required} missing from the .vsix: ${files.join(', ')}`);
  }
  for (const required of ['media/icon.png', 'schemas/scenario.schema.json', 'examples/qapi/migration.json', 'examples/qmp/avail-switchover-bandwidth.qmp']) {
    assert.ok(files.includes(required), `${required} missing from the .vsix`);
  }
  const allowed =
    /^(package\.json|readme\.md|LICENSE\.txt|changelog\.md|dist\/[a-z]+(\.bundle)?\.js|dist\/webview\/[\w.-]+\.(js|css)|syntaxes\/[\w.-]+\.json|docs\/[\w/-]+\.png|media\/icon\.png|media\/walkthrough\/[\w-]+\.md|schemas\/[\w.-]+\.json|examples\/(qapi|qmp|scenarios)\/[\w.-]+)$/;
  const unexpected = files.filter((f) => !allowed.test(f));
  assert.deepEqual(unexpected, [], 'unexpected files in the .vsix');
  assert.ok(statSync(vsix).size < 1024 * 1024, `the .vsix must stay under 1 MB: ${statSync(vsix).size} bytes`);
  // Every file a manifest field or walkthrough step points at is in the package.
  const manifestFiles = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const pointed = [
    manifestFiles.icon,
    ...manifestFiles.contributes.jsonValidation.map((j: { url: string }) => j.url),
    ...manifestFiles.contributes.walkthroughs.flatMap((w: { steps: { media: Record<string, string> }[] }) => w.steps.flatMap((st) => Object.values(st.media))),
  ].map((f: string) => f.replace(/^\.\//, ''));
  for (const f of pointed) assert.ok(files.includes(f), `${f} is referenced by package.json but not packaged`);

  // Built again (new mtimes, a second esbuild run): the same bytes.
  const first = createHash('sha256').update(readFileSync(vsix)).digest('hex');
  const again = pack();
  assert.equal(again.status, 0, again.stdout + again.stderr);
  assert.equal(createHash('sha256').update(readFileSync(vsix)).digest('hex'), first, 'npm run package is not reproducible');
  // The manifest inside is the one users get: both languages and the preview command.
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  assert.deepEqual(
    manifest.contributes.languages.map((l: { id: string }) => l.id),
    ['qapi', 'qmp'],
  );
});

/** Width and height of a PNG (its IHDR chunk). */
function pngSize(buf: Buffer): { width: number; height: number } {
  assert.equal(buf.toString('latin1', 1, 4), 'PNG', 'not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

test('the store page: icon, links, banner, categories', () => {
  const m = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  assert.deepEqual(pngSize(readFileSync(join(REPO, m.icon))), { width: 128, height: 128 });
  assert.match(m.repository.url, /^https:\/\/github\.com\/.+\.git$/);
  assert.match(m.bugs.url, /^https:\/\/github\.com\/.+\/issues$/);
  assert.match(m.homepage, /^https:\/\//);
  assert.match(m.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(m.galleryBanner.theme));
  const changelog = readFileSync(join(REPO, 'CHANGELOG.md'), 'utf8');
  assert.match(changelog, new RegExp(`^## \\[?${m.version.replace(/\./g, '\\.')}\\]?`, 'm'), 'CHANGELOG.md has a section for this version');
});

test('the walkthrough opens the examples and only existing commands; settings come in titled sections', () => {
  const m = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const commands = new Set<string>(m.contributes.commands.map((c: { command: string }) => c.command));
  const [walkthrough] = m.contributes.walkthroughs;
  const links: string[] = walkthrough.steps.flatMap((s: { description: string }) => [...s.description.matchAll(/\(command:([\w.]+)/g)].map((x) => x[1]));
  assert.ok(links.includes('qapi.openExample') && links.includes('qapi.openConvergencePreview'), links.join(', '));
  for (const step of walkthrough.steps as { id: string; description: string; when?: string }[]) {
    for (const [, cmd] of step.description.matchAll(/\(command:([\w.]+)/g)) {
      // The live connection step shows only when its command exists (client/src/walkthrough.ts).
      if (cmd === 'qapi.connect' && !commands.has(cmd)) assert.equal(step.when, 'qapi.connectAvailable', step.id);
      else assert.ok(commands.has(cmd) || cmd.startsWith('workbench.'), `${step.id} links to unknown command ${cmd}`);
    }
  }
  // The examples the walkthrough opens exist.
  const src = readFileSync(join(REPO, 'client', 'src', 'walkthrough.ts'), 'utf8');
  for (const [, path] of src.matchAll(/path: '([^']+)'/g)) statSync(join(REPO, path));
  const sections = m.contributes.configuration as { title: string; properties: Record<string, unknown> }[];
  assert.ok(Array.isArray(sections) && sections.length >= 2);
  for (const s of sections) {
    assert.ok(s.title && Object.keys(s.properties).length > 0, JSON.stringify(s.title));
    for (const key of Object.keys(s.properties)) assert.match(key, /^qapi\./);
  }
});
