// QEMU's own QAPI frontend of one release as an oracle: one Python process
// (test/helpers/qapi-oracle.py) answers many schema paths. close() stops it by its pid.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface OracleVerdict {
  ok: boolean;
  file?: string | null;
  line?: number | null;
  col?: number | null;
  message?: string;
  /** The frontend itself failed (a Python exception other than QAPIError): a rejection without a location. */
  crash?: string;
}

export class QapiOracle {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: ((v: OracleVerdict) => void)[] = [];
  private stderr = '';

  /** `frontendDir` holds the `qapi` package. */
  constructor(frontendDir: string) {
    this.proc = spawn('python3', [join(__dirname, 'qapi-oracle.py'), join(frontendDir, 'qapi')], { stdio: 'pipe' });
    createInterface({ input: this.proc.stdout }).on('line', (l) => this.waiting.shift()?.(JSON.parse(l) as OracleVerdict));
    this.proc.stderr.on('data', (d) => (this.stderr += String(d)));
    this.proc.on('exit', () => {
      for (const w of this.waiting.splice(0)) w({ ok: false, crash: `oracle exited: ${this.stderr.slice(-500)}` });
    });
  }

  judge(path: string): Promise<OracleVerdict> {
    return new Promise((res) => {
      this.waiting.push(res);
      this.proc.stdin.write(path + '\n');
    });
  }

  close(): void {
    this.proc.stdin.end();
    if (this.proc.exitCode === null && this.proc.pid) {
      try {
        process.kill(this.proc.pid);
      } catch {
        /* already gone */
      }
    }
  }
}
