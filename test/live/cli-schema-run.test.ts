// `qapi-qmp schema` and `qapi-qmp run` against real QEMUs (7.2 and 10.2) over unix sockets.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { parseIntrospection } from '../../server/src/service/qmp/schema/introspection';
import { main } from '../../server/src/cli/main';
import { runCli } from './cli';
import { qemuBinaries, startQemu } from './qemus';

const SCRIPT = `# a mixed script: JSON, qmp-shell, HMP, a checker error, a QEMU error
{ "execute": "query-status" }
query-migrate-parameters
info migrate_parameters
migrate_set_parameter downtime-limit 456
{ "execute": "migrate-set-parameters", "arguments": { "downtime_limit": 100 } }
{ "execute": "device_del", "arguments": { "id": "no-such-device" } }
-> { "execute": "query-migrate-parameters" }
<- { "return": { "downtime-limit": 456 } }
`;

for (const bin of qemuBinaries()) {
  test(
    `schema --connect on QEMU ${bin.name}: the exact schema and version, readable as an introspection file`,
    { skip: bin.skip, timeout: 90_000 },
    async () => {
      const q = await startQemu(bin);
      try {
        const out = join(q.dir, 'schema.json');
        const r = await runCli(['schema', '--connect', `unix:${q.socket}`, '--out', out]);
        assert.equal(r.code, 0, r.stderr);
        const saved = JSON.parse(readFileSync(out, 'utf8'));
        assert.equal(`${saved.version.qemu.major}.${saved.version.qemu.minor}`, bin.name);
        const loaded = parseIntrospection(readFileSync(out, 'utf8'), out, bin.name);
        assert.ok('schema' in loaded, 'the saved file loads as an introspection reply');
        if ('schema' in loaded) {
          assert.ok(loaded.schema.commands.has('migrate-set-parameters'));
          assert.equal(loaded.schema.commands.has('query-migrationthreads'), bin.name === '10.2', 'query-migrationthreads exists in 10.2 only');
        }
      } finally {
        await q.stop();
      }
    },
  );

  test(
    `run --connect on QEMU ${bin.name}: checked against its schema, only queries without --yes, replies and QEMU errors in the transcript`,
    { skip: bin.skip, timeout: 120_000 },
    async () => {
      const q = await startQemu(bin);
      try {
        const script = join(q.dir, 'mixed.qmp');
        writeFileSync(script, SCRIPT);
        // Without --yes: only the query-* commands (and the HMP info line) go out.
        const dry = await runCli(['run', script, '--connect', `unix:${q.socket}`, '--format', 'json']);
        const rows = dry.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        assert.deepEqual(
          rows.map((r) => r.line),
          [2, 3, 4, 5, 6, 7, 8],
        );
        const byLine = new Map(rows.map((r) => [r.line, r]));
        assert.equal(byLine.get(2).reply.return.status, 'prelaunch');
        assert.equal(typeof byLine.get(3).reply.return['downtime-limit'], 'number');
        assert.match(byLine.get(4).reply.return, /downtime-limit: 300/, 'HMP info goes through human-monitor-command');
        assert.match(byLine.get(5).skipped, /not a query-\* command; --yes/);
        assert.match(byLine.get(6).skipped, /checker refuses it .*downtime_limit/);
        assert.equal(byLine.get(6).reply, null);
        assert.match(byLine.get(7).skipped, /--yes/);
        assert.match(dry.stderr, /mixed\.qmp:6:\d+: error: .*downtime_limit/, 'the checker diagnostic on stderr');
        assert.equal(dry.code, 1, 'a command the checker refused makes the run fail');

        // With --yes: the HMP line sets the parameter (seen by the query after it), QEMU's error is in the transcript.
        const real = await runCli(['run', script, '--connect', `unix:${q.socket}`, '--yes']);
        assert.equal(real.code, 1);
        assert.match(real.stdout, /-> \{"execute":"human-monitor-command","arguments":\{"command-line":"migrate_set_parameter downtime-limit 456"\}\}/);
        assert.match(real.stdout, /<- \{"error":\{"class":"(DeviceNotFound|GenericError)","desc":"[^"]*no-such-device/);
        const last = real.stdout.trim().split('\n').pop()!;
        assert.match(last, /^<- \{"return":\{.*"downtime-limit":456/, 'the transcript line after the HMP change shows it');
        assert.match(real.stdout, /# line 6: migrate-set-parameters not sent: the checker refuses it/);

        // A script QEMU accepts entirely: exit 0.
        writeFileSync(script, 'query-status\n{"execute":"query-version"}\n');
        const ok = await runCli(['run', script, '--connect', `unix:${q.socket}`]);
        assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      } finally {
        await q.stop();
      }
    },
  );
}

test('run, schema and watch: bad usage and failed connections exit 2 with one line', { timeout: 60_000 }, async () => {
  // In-process (the same main() the binary runs): a process per case would only add start-up time.
  const cases: [string[], RegExp][] = [
    [['run', '--connect', 'unix:/x'], /run needs exactly one SCRIPT\.qmp/],
    [['run', 'package.json', '--connect', 'unix:/nonexistent/q.sock'], /cannot connect: .*no such socket/],
    [['schema', '--connect', 'nonsense'], /not a QMP address/],
    [['watch', '--connect', 'unix:/x', '--interval', '5'], /--interval must be/],
    [['watch', '--connect', 'unix:/x', '--link', 'fast'], /--link must be a positive number/],
    [['schema'], /needs --connect ADDRESS/],
  ];
  for (const [args, re] of cases) {
    const r = await inProcess(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  }
});

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '',
    stderr = '';
  const sink = (f: (s: string) => void) =>
    ({
      write: (s: string) => {
        f(s);
        return true;
      },
    }) as never;
  const code = await main(
    args,
    sink((s) => {
      stdout += s;
    }),
    sink((s) => {
      stderr += s;
    }),
  );
  return { code, stdout, stderr };
}
