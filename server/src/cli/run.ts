// `qapi-qmp run SCRIPT.qmp --connect ADDRESS [--yes] [--force] [--format text|json]`:
// checks the script against the connected QEMU's own schema, then sends it in order and
// prints the transcript. Exit 0 when QEMU accepted every command sent (and the checker
// refused none), 1 otherwise, 2 bad usage or a connection that fails.
import { resolve } from 'node:path';
import { diskFiles } from '../service/common/files';
import { QmpConnectionError, QmpProtocolError, QmpTimeoutError } from '../live/errors';
import { planScript, runPlan, transcriptLines } from '../live/runScript';
import { fetchSchema } from '../live/schema';
import { connectOrExit } from './liveConnect';
import { UsageError } from './usage';

interface RunArgs {
  values: { connect?: string; yes?: boolean; force?: boolean; format?: string };
  positionals: string[];
}

export async function runRun(args: RunArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('run needs exactly one SCRIPT.qmp');
  if (args.values.format === 'sarif') throw new UsageError('run --format must be text or json');
  const path = resolve(args.positionals[0]);
  const file = diskFiles.read(path);
  if ('error' in file) throw new UsageError(`${args.positionals[0]}: cannot read (${file.error})`);
  const conn = await connectOrExit(args.values.connect, 'run');
  const json = args.values.format === 'json';
  try {
    const schema = await fetchSchema(conn);
    const version = `${conn.version.major}.${conn.version.minor}`;
    const plan = planScript(path, file.text, JSON.stringify(schema), version);
    for (const d of plan.diagnostics) {
      err.write(
        `${args.positionals[0]}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity === 1 ? 'error' : 'warning'}: ${d.message}${d.code ? ` [${d.code}]` : ''}\n`,
      );
    }
    if (!json) out.write(`# ${conn.label}: QEMU ${conn.version.major}.${conn.version.minor}.${conn.version.micro}; checked against its query-qmp-schema\n`);
    const outcomes = await runPlan(conn, plan, { yes: !!args.values.yes, force: !!args.values.force }, (o) => {
      out.write(
        json
          ? JSON.stringify({
              line: o.line,
              command: o.command,
              ...(o.arguments ? { arguments: o.arguments } : {}),
              reply: o.reply,
              ...(o.skipped ? { skipped: o.skipped } : {}),
            }) + '\n'
          : transcriptLines(o),
      );
    });
    return outcomes.every((o) => o.ok) ? 0 : 1;
  } catch (e) {
    if (e instanceof QmpConnectionError || e instanceof QmpProtocolError || e instanceof QmpTimeoutError)
      throw new UsageError(`lost the connection: ${e.message}`);
    throw e;
  } finally {
    await conn.close();
  }
}
