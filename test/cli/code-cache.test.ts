// The command line's loader and its V8 code cache (scripts/code-cache.cjs), as built by
// `npm run build`: the cache is used only for the very bundle it was made from. V8
// itself checks only the source's length, so a rebuilt bundle of the same length with
// a stale cache would run the old bytecode: the loader's SHA-256 check must refuse it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SERVER_NODE_FLAGS from '../../client/src/serverNodeFlags.json';
import { REPO } from '../helpers/shared';

const dist = join(REPO, 'dist');
const built = ['cli.js', 'cli.bundle.js', 'cli.bundle.cache'].every((f) => existsSync(join(dist, f)));
const skip = built ? false : 'dist/cli.js, cli.bundle.js and cli.bundle.cache not found: run `npm run build`';
const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version as string;

function copyDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-code-cache-'));
  for (const f of ['cli.js', 'cli.bundle.js', 'cli.bundle.cache']) copyFileSync(join(dist, f), join(dir, f));
  return dir;
}

const run = (dir: string, args: string[]) => spawnSync(process.execPath, [join(dir, 'cli.js'), ...args], { encoding: 'utf8' });

test('the built cache is made from the built bundle, and the CLI runs with it, without it and with a broken one', { skip }, (t) => {
  const dir = copyDist();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const check = (what: string) => {
    const r = run(dir, ['check', join(REPO, 'examples', 'qapi', 'qapi-schema.json')]);
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    assert.equal(run(dir, ['--version']).stdout.trim(), version, what);
  };
  check('with the cache');
  writeFileSync(join(dir, 'cli.bundle.cache'), Buffer.alloc(100, 7));
  check('with a cache of garbage');
  rmSync(join(dir, 'cli.bundle.cache'));
  check('without a cache');
});

test('a cache made from another bundle of the same length is not used', { skip }, (t) => {
  const dir = copyDist();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'cli.bundle.js');
  const text = readFileSync(bundle, 'utf8');
  const other = version.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
  const needle = `var version = "${version}";`;
  assert.ok(text.includes(needle), 'the bundle holds the package version');
  // Same length, other content: a rebuild after a version bump.
  writeFileSync(bundle, text.replace(needle, `var version = "${other}";`));
  assert.equal(readFileSync(bundle).length, Buffer.byteLength(text));
  assert.equal(run(dir, ['--version']).stdout.trim(), other);
});

// V8 uses a cache only under the flags it was made with (the loaders set a later tier-up,
// the extension starts the server with node flags of its own): each cache must be made
// under exactly those, or V8 silently refuses it and every start compiles the bundle again.
for (const [name, nodeFlags] of [
  ['cli', []],
  ['server', SERVER_NODE_FLAGS],
] as const) {
  const files = [`${name}.js`, `${name}.bundle.js`, `${name}.bundle.cache`].map((f) => join(dist, f));
  test(
    `V8 accepts the built ${name} cache under the flags it is started with (${[...nodeFlags, "its loader's"].join(', ')})`,
    { skip: files.every(existsSync) ? false : `dist/${name}.* not built: run \`npm run build\`` },
    () => {
      const flags = /setFlagsFromString\('([^']*)'\)/.exec(readFileSync(files[0], 'utf8'))?.[1] ?? '';
      const probe = `const v8 = require('node:v8'), vm = require('node:vm'), fs = require('node:fs'), Module = require('node:module');
      if (${JSON.stringify(flags)}) v8.setFlagsFromString(${JSON.stringify(flags)});
      const s = new vm.Script(Module.wrap(fs.readFileSync(${JSON.stringify(files[1])}, 'utf8')), { filename: ${JSON.stringify(files[1])}, cachedData: fs.readFileSync(${JSON.stringify(files[2])}).subarray(32) });
      process.stdout.write(String(s.cachedDataRejected));`;
      const r = spawnSync(process.execPath, [...nodeFlags, '-e', probe], { encoding: 'utf8' });
      assert.equal(r.stdout, 'false', `cache rejected (loader flags: '${flags}'): ${r.stderr}`);
    },
  );
}
