// The language server in an editor nobody here wrote: Debian's Neovim, headless, with its
// built-in LSP client and a Lua configuration written into a temporary folder (as the README
// tells Neovim users to do). It opens a QAPI schema and a QMP script, waits for the server's
// diagnostics and asks for a hover on each. Skipped with a message when nvim is absent
// (.ci/install-deps installs Debian's neovim).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/shared';

// Found on PATH without running it (even `nvim --version` creates a cache folder).
const nvim = spawnSync('sh', ['-c', 'command -v nvim'], { encoding: 'utf8' });
const skip = nvim.status === 0 ? false : 'Neovim (nvim) is not installed: apt-get install neovim (see .ci/install-deps)';

// The README's set-up in the form Neovim 0.7 (Debian 12) takes (vim.lsp.start is 0.8+), plus
// the probe that writes what Neovim received.
const LUA = String.raw`
local out_path, server, root = _G.qapi_args[1], _G.qapi_args[2], _G.qapi_args[3]
vim.cmd([[autocmd BufRead,BufNewFile *.qmp setfiletype qmp]])
vim.cmd([[autocmd BufRead,BufNewFile */qapi/*.json,qapi-schema*.json setfiletype qapi]])

local client_id = vim.lsp.start_client({
  name = 'qapi-qmp',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
})

local result = { files = {} }
local function probe(path, hover_line, hover_col)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(diags, { line = d.lnum + 1, col = d.col + 1, severity = d.severity, message = d.message, code = d.code })
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = hover_line - 1, character = hover_col - 1 } }
  local replies = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000) or {}
  local hover = ''
  for _, r in pairs(replies) do
    if r.result and r.result.contents then
      local c = r.result.contents
      hover = type(c) == 'string' and c or (c.value or vim.fn.json_encode(c))
    end
  end
  table.insert(result.files, { path = path, filetype = vim.bo[buf].filetype, waited = got, diagnostics = diags, hover = hover })
end

for i = 4, #_G.qapi_args, 3 do probe(_G.qapi_args[i], tonumber(_G.qapi_args[i + 1]), tonumber(_G.qapi_args[i + 2])) end
local f = io.open(out_path, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
`;

interface Probe {
  path: string;
  filetype: string;
  waited: boolean;
  diagnostics: { line: number; col: number; severity: number; message: string; code?: string }[];
  hover: string;
}

test("Neovim's built-in LSP client gets diagnostics and hovers for a QAPI schema and a QMP script", { skip, timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nvim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const work = join(dir, 'work');
  mkdirSync(join(work, 'qapi'), { recursive: true });
  writeFileSync(
    join(work, 'qapi', 'qapi-schema.json'),
    [
      '##',
      '# @Bar:',
      '#',
      '# A bar for the hover.',
      '#',
      '# @x: an x',
      '##',
      "{ 'struct': 'Bar', 'data': { 'x': 'int' } }",
      '',
      '##',
      '# @Foo:',
      '#',
      '# @a: broken on purpose',
      '#',
      '# @b: uses Bar',
      '##',
      "{ 'struct': 'Foo', 'data': { 'a': 'NoSuchType', 'b': 'Bar' } }",
      '',
    ].join('\n'),
  );
  cpSync(join(REPO, 'examples', 'qmp', 'mixed.qmp'), join(work, 'mixed.qmp'));
  const init = join(dir, 'config', 'init.lua');
  mkdirSync(join(dir, 'config'));
  writeFileSync(init, LUA);
  const out = join(dir, 'result.json');
  const schemaLine = 17,
    barCol = "{ 'struct': 'Foo', 'data': { 'a': 'NoSuchType', 'b': '".length + 2;
  const qmpLine = 9,
    bwCol = '{"execute": "migrate-set-parameters", "arguments": {"'.length + 3;
  const args = [
    out,
    join(REPO, 'dist', 'server.js'),
    work,
    join(work, 'qapi', 'qapi-schema.json'),
    String(schemaLine),
    String(barCol),
    join(work, 'mixed.qmp'),
    String(qmpLine),
    String(bwCol),
  ];
  const lua = `_G.qapi_args = vim.fn.json_decode([==[${JSON.stringify(args)}]==])`;
  // --clean: no user configuration or plugins; -u: only ours (after the args are set).
  const child = spawn('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '--cmd', `lua ${lua}`, '-u', init], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_STATE_HOME: join(dir, 'state'),
      XDG_CACHE_HOME: join(dir, 'cache'),
    },
  });
  let stderr = '';
  child.stdout.on('data', () => {});
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(killer);
  assert.equal(code, 0, `nvim exit status ${code}: ${stderr}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as { files: Probe[] };
  const [schema, script] = result.files;

  assert.equal(schema.filetype, 'qapi');
  assert.ok(schema.waited, 'diagnostics arrived for the schema');
  const unknown = schema.diagnostics.find((d) => /unknown type 'NoSuchType'/.test(d.message));
  assert.ok(unknown, JSON.stringify(schema.diagnostics));
  assert.equal(unknown.line, schemaLine);
  assert.equal(unknown.severity, 1, 'an error');
  assert.match(schema.hover, /Bar/);
  assert.match(schema.hover, /A bar for the hover/);

  assert.equal(script.filetype, 'qmp');
  assert.ok(script.waited, 'diagnostics arrived for the script');
  const sizeString = script.diagnostics.find((d) => d.code === 'qmp-size-string');
  assert.ok(sizeString, JSON.stringify(script.diagnostics));
  assert.equal(sizeString.line, qmpLine);
  assert.match(script.hover, /max-bandwidth/);
});
