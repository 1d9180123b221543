// `qapi-qmp`: the language service on the command line, for CI and scripts.
// A thin dispatcher: each sub-command lives in its own file.
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { runCheck } from './check';
import { runConverge } from './converge';
import { guardStdout } from './pipe';
import { runRun } from './run';
import { runSchema } from './schema';
import { COMMAND_HELP, USAGE, UsageError } from './usage';
import { runWatch } from './watch';

const FORMATS = ['text', 'json', 'sarif'];

export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout, err = process.stderr): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command !== undefined && command in COMMAND_HELP && (rest.includes('--help') || rest.includes('-h'))) {
      out.write(COMMAND_HELP[command] + '\n');
      return 0;
    }
    switch (command) {
      case 'check':
        return runCheck(parse(rest, checkOptions), out);
      case 'converge':
        return runConverge(parse(rest, convergeOptions), out);
      case 'schema':
        return await runSchema(parse(rest, schemaOptions), out);
      case 'run':
        return await runRun(parse(rest, runOptions), out, err);
      case 'watch':
        return await runWatch(parse(rest, watchOptions), out);
      case 'help':
        return help(rest[0], out);
      case '--help':
      case '-h':
        out.write(USAGE + '\n');
        return 0;
      case '--version':
      case '-V':
        out.write(version + '\n');
        return 0;
      case undefined:
        throw new UsageError('no command given (check, converge, schema, run or watch); try --help');
      default:
        throw new UsageError(`unknown command '${command}' (expected check, converge, schema, run or watch); try --help`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`qapi-qmp: ${e.message}\n`);
      return 2;
    }
    err.write(`qapi-qmp: internal error: ${(e as Error)?.message ?? e}\n`);
    if (process.env.QAPI_QMP_DEBUG) err.write(`${(e as Error)?.stack}\n`);
    return 3;
  }
}

function help(command: string | undefined, out: NodeJS.WritableStream): number {
  if (command === undefined) out.write(USAGE + '\n');
  else if (command in COMMAND_HELP) out.write(COMMAND_HELP[command] + '\n');
  else throw new UsageError(`no help for '${command}' (commands: ${Object.keys(COMMAND_HELP).join(', ')})`);
  return 0;
}

const checkOptions = {
  'qemu-version': { type: 'string' },
  schema: { type: 'string' },
  introspection: { type: 'string' },
  format: { type: 'string', default: 'text' },
} as const;

const convergeOptions = {
  format: { type: 'string', default: 'text' },
} as const;

const schemaOptions = { connect: { type: 'string' }, out: { type: 'string' } } as const;
const runOptions = {
  connect: { type: 'string' },
  yes: { type: 'boolean' },
  force: { type: 'boolean' },
  format: { type: 'string', default: 'text' },
} as const;
const watchOptions = {
  connect: { type: 'string' },
  link: { type: 'string' },
  interval: { type: 'string' },
  apply: { type: 'boolean' },
  format: { type: 'string', default: 'text' },
  record: { type: 'string' },
  replay: { type: 'string' },
} as const;

type Spec = Record<string, { type: 'string' | 'boolean'; default?: string }>;

function parse<S extends Spec>(args: string[], options: S) {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    const format = (r.values as Record<string, unknown>).format;
    if (format !== undefined && !FORMATS.includes(String(format))) {
      throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
    }
    return { values: r.values as { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string }, positionals: r.positionals };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // parseArgs explains unknown flags and missing values in one sentence.
    throw new UsageError(String((e as Error).message).split('\n')[0]);
  }
}

if (require.main === module) {
  guardStdout(process.stdout);
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
