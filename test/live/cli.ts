// The `qapi-qmp` CLI as a user runs it: a separate process (from the TypeScript sources
// through tsx, so the tests need no build), its output read line by line as it comes.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../helpers/shared';

const MAIN = join(REPO, 'server', 'src', 'cli', 'main.ts');

export interface CliRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code; a run still going at the deadline is killed by its PID and rejects. */
  done: Promise<number>;
  /** Calls `f` on each stdout line as it arrives. */
  onLine(f: (line: string) => void): void;
}

export function startCli(args: string[], timeoutMs: number): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const listeners: ((l: string) => void)[] = [];
  let partial = '';
  const run: CliRun = {
    child,
    stdout: '',
    stderr: '',
    done: new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
        reject(
          new Error(`qapi-qmp ${args[0]} still running after ${timeoutMs} ms; stdout so far:\n${run.stdout.slice(-3000)}\nstderr:\n${run.stderr.slice(-2000)}`),
        );
      }, timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    }),
    onLine: (f) => {
      listeners.push(f);
    },
  };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (s: string) => {
    run.stdout += s;
    partial += s;
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      for (const l of listeners) l(line);
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    run.stderr += s;
  });
  return run;
}

export async function runCli(args: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = startCli(args, timeoutMs);
  const code = await r.done;
  return { code, stdout: r.stdout, stderr: r.stderr };
}
