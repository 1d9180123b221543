// What users of any command-line tool expect: `| head` without a stack trace, --version,
// --help per sub-command, colour only on a terminal and never with NO_COLOR. The terminal
// is a real pseudo-terminal from util-linux `script`; skipped with a message without it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO } from '../helpers/shared';

const cli = join(REPO, 'dist', 'cli.js');
const ESC = '\x1b[';
function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--version prints the package version', () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  for (const flag of ['--version', '-V']) {
    const r = run([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  }
});

describe('--help per sub-command', () => {
  // Every sub-command the top-level usage lists has its own help.
  const commands = [...run(['--help']).stdout.matchAll(/^\s+qapi-qmp ([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== 'COMMAND');
  test('the usage lists the sub-commands', () => {
    for (const c of ['check', 'converge']) assert.ok(commands.includes(c), commands.join(', '));
  });
  for (const command of new Set(commands)) {
    test(command, () => {
      for (const args of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
        [command, 'some/file', '--help'],
      ]) {
        const r = run(args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^usage: qapi-qmp ${command} `), args.join(' '));
        if (command === 'check' || command === 'converge') {
          assert.match(r.stdout, /--format text\|json\|sarif/);
          assert.match(r.stdout, /exit status/);
        }
        assert.equal(r.stderr, '');
      }
    });
  }
  test('help for an unknown command is a usage error', () => {
    const r = run(['help', 'frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no help for 'frobnicate'/);
  });
});

/** 4000 lines, each an error (a size suffix QMP does not take): ~640 KB of diagnostics. */
const MANY_ERRORS = '{ "execute": "migrate-set-parameters", "arguments": { "max-bandwidth": "1G" } }\n'.repeat(4000);

test('`check | head -1` ends quietly: no stack trace, exit 141 like a tool killed by SIGPIPE', async () => {
  // Enough diagnostics to overflow the pipe buffer after the reader has gone.
  const dir = mkdtempSync(join(tmpdir(), 'epipe-'));
  writeFileSync(join(dir, 'many.qmp'), MANY_ERRORS);
  const child = spawn(process.execPath, [cli, 'check', join(dir, 'many.qmp')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d)));
    child.once('exit', () => reject(new Error(`exited before any output: ${stderr}`)));
  });
  child.stdout.destroy(); // what `head -1` does once it has its line
  const code = await exited;
  assert.match(first, /many\.qmp:1:\d+: error: /);
  assert.equal(stderr, '', 'nothing on stderr');
  assert.equal(code, 141);
});

test('the same through a real shell pipe into head', () => {
  const dir = mkdtempSync(join(tmpdir(), 'epipe-'));
  writeFileSync(join(dir, 'many.qmp'), MANY_ERRORS);
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" check "${join(dir, 'many.qmp')}" | head -n 2`], { encoding: 'utf8' });
  assert.equal(r.stdout.trim().split('\n').length, 2);
  assert.doesNotMatch(r.stderr, /EPIPE|at .*\.js/);
  assert.equal(r.stderr, '');
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
/** Runs the CLI with stdout on a pseudo-terminal (util-linux `script`), returns what the terminal got. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv) {
  const cmd = [process.execPath, cli, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, TERM: 'xterm', NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  return { code: r.status, stdout: r.stdout };
}

describe('colour', { skip: hasScript ? false : 'util-linux `script` (a pseudo-terminal) is not installed' }, () => {
  test('on a terminal, check colours severity and converge its verdict', () => {
    const check = onTerminal(['check', 'examples/qmp/mixed.qmp'], {});
    assert.equal(check.code, 1);
    assert.ok(check.stdout.includes(`${ESC}31merror:${ESC}39m`), JSON.stringify(check.stdout.slice(0, 200)));
    const converge = onTerminal(['converge', 'examples/scenarios/busy-thread-10.2.json'], {});
    assert.ok(converge.stdout.includes(`${ESC}31mdoes not converge within`), JSON.stringify(converge.stdout.slice(0, 200)));
  });
  test('NO_COLOR turns it off on a terminal', () => {
    const r = onTerminal(['check', 'examples/qmp/mixed.qmp'], { NO_COLOR: '1' });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /mixed\.qmp:\d+:\d+: error: /);
    assert.ok(!r.stdout.includes(ESC), 'no escape sequence');
  });
  test('TERM=dumb turns it off', () => {
    assert.ok(!onTerminal(['check', 'examples/qmp/mixed.qmp'], { TERM: 'dumb' }).stdout.includes(ESC));
  });
  test('a pipe gets no colour; FORCE_COLOR=1 forces it', () => {
    assert.ok(!run(['check', 'examples/qmp/mixed.qmp']).stdout.includes(ESC));
    assert.ok(run(['check', 'examples/qmp/mixed.qmp'], { FORCE_COLOR: '1' }).stdout.includes(`${ESC}31merror:`));
    assert.ok(!run(['check', '--format', 'json', 'examples/qmp/mixed.qmp'], { FORCE_COLOR: '1' }).stdout.includes(ESC), 'never in JSON');
  });
});
