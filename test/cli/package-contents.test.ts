// `npm run package` builds the .vsix offline; it holds the bundles, grammars and
// documents, and nothing else (no sources, tests, examples, node_modules or maps).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

test('the .vsix holds exactly what a user needs', { timeout: 240_000 }, () => {
  const r = spawnSync('npm', ['run', 'package'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const vsix = join(REPO, 'dist', 'qapi-qmp.vsix');
  // vsce stores LICENSE as LICENSE.txt and lower-cases readme/changelog names.
  const files = zipEntries(readFileSync(vsix)).filter((n) => n.startsWith('extension/'))
    .map((n) => n.slice('extension/'.length)).map((n) => (/^(readme|changelog)\.md$/i.test(n) ? n.toLowerCase() : n));
  for (const required of ['package.json', 'readme.md', 'LICENSE.txt', 'changelog.md', 'dist/extension.js', 'dist/server.js',
    'dist/cli.js', 'dist/webview/preview.js', 'syntaxes/qapi.tmLanguage.json', 'syntaxes/qmp.tmLanguage.json']) {
    assert.ok(files.includes(required), `${required} missing from the .vsix: ${files.join(', ')}`);
  }
  const allowed = /^(package\.json|readme\.md|LICENSE\.txt|changelog\.md|dist\/[a-z]+\.js|dist\/webview\/[\w.-]+\.(js|css)|syntaxes\/[\w.-]+\.json|docs\/preview\.png)$/;
  const unexpected = files.filter((f) => !allowed.test(f));
  assert.deepEqual(unexpected, [], 'unexpected files in the .vsix');
  assert.ok(statSync(vsix).size < 2 * 1024 * 1024, 'the .vsix should stay small');
  // The manifest inside is the one users get: both languages and the preview command.
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.languages.map((l: { id: string }) => l.id), ['qapi', 'qmp']);
});
