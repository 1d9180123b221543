// `qapi-qmp schema --connect ADDRESS [--out FILE]`: the connected QEMU's
// query-qmp-schema reply plus its version, as JSON (readable as an introspection file).
import { writeFileSync } from 'node:fs';
import { fetchSchema, schemaText } from '../live/schema';
import { connectOrExit } from './liveConnect';
import { UsageError } from './usage';

interface SchemaArgs {
  values: { connect?: string; out?: string };
  positionals: string[];
}

export async function runSchema(args: SchemaArgs, out: NodeJS.WritableStream): Promise<number> {
  if (args.positionals.length) throw new UsageError(`schema takes no file arguments (got '${args.positionals[0]}'); use --out FILE`);
  const conn = await connectOrExit(args.values.connect, 'schema');
  try {
    const text = schemaText(await fetchSchema(conn));
    if (args.values.out) {
      try {
        writeFileSync(args.values.out, text);
      } catch (e) {
        throw new UsageError(`${args.values.out}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    } else out.write(text);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`schema: ${(e as Error).message}`);
  } finally {
    await conn.close();
  }
}
