// One esbuild run for every bundle: the extension client, the language server,
// the command line and the preview webview. Type checking is `npm run typecheck`.
// The server and the command line are each a bundle (dist/NAME.bundle.js) behind a
// small loader (dist/NAME.js) that starts it from a V8 code cache made here by one
// run of the bundle (scripts/code-cache.cjs); `--watch` and `--no-code-cache` make none.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const { loaderSource } = createRequire(import.meta.url)('./code-cache.cjs');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const codeCache = !watch && !process.argv.includes('--no-code-cache');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

const builds = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.bundle.js' },
  // The C index's worker thread, started by the server from beside its bundle.
  { ...node, entryPoints: ['server/src/lsp/cIndexWorker.ts'], outfile: 'dist/cindex.js' },
  { ...node, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.bundle.js' },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: ['webview/src/main.ts'],
    outfile: 'dist/webview/preview.js',
  },
];

// Never a cache of an older bundle beside a new one (the loader would refuse it anyway).
for (const name of ['cli', 'server']) {
  rmSync(`dist/${name}.bundle.cache`, { force: true });
  rmSync(`dist/${name}.js.map`, { force: true }); // of the bundles' old names
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  writeLoaders();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  writeLoaders();
  if (codeCache) {
    writeCliCache();
    await writeServerCache();
  }
}

function writeLoaders() {
  writeFileSync('dist/cli.js', loaderSource('cli', true));
  chmodSync('dist/cli.js', 0o755);
  writeFileSync('dist/server.js', loaderSource('server', false));
}

/** The command line's cache: one check of the bundled examples (QAPI schema, QMP scripts). */
function writeCliCache() {
  const r = spawnSync(process.execPath, ['scripts/code-cache.cjs', 'write', 'dist/cli.bundle.js', '--', 'check', 'examples/'], { encoding: 'utf8' });
  // The examples hold mistakes on purpose: exit 1 is the expected verdict.
  if (r.status !== 0 && r.status !== 1) console.warn(`no code cache for the command line (exit ${r.status}): ${r.stderr}`);
}

/** The server's cache: an LSP session that opens an example schema and script and waits for their diagnostics. */
async function writeServerCache() {
  // Under the node flags the extension starts the server with: V8 refuses a cache made under others.
  const flags = createRequire(import.meta.url)('../client/src/serverNodeFlags.json');
  const child = spawn(process.execPath, [...flags, 'scripts/code-cache.cjs', 'write', 'dist/server.bundle.js', '--', '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const send = (m) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const root = process.cwd();
  const open = (path, languageId) =>
    send({
      method: 'textDocument/didOpen',
      params: { textDocument: { uri: `file://${root}/${path}`, languageId, version: 1, text: readFileSync(path, 'utf8') } },
    });
  let seen = '';
  const published = new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      seen += d;
      // The schema's two publishes (QEMU's verdict, then with the doc examples) and the script's.
      if ((seen.match(/publishDiagnostics/g) ?? []).length >= 4) resolve(true);
    });
    setTimeout(() => resolve(false), 30_000).unref();
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: `file://${root}`, capabilities: {} } });
  send({ method: 'initialized', params: {} });
  open('examples/qapi/migration.json', 'qapi');
  open('examples/qmp/avail-switchover-bandwidth.qmp', 'qmp');
  if (!(await published)) console.warn('no code cache for the server: its diagnostics did not come within 30 s');
  send({ id: 2, method: 'shutdown' });
  send({ method: 'exit' });
  await exited;
}
