// The exact schema of a connected QEMU: query-version + query-qmp-schema, saved in a
// shape `qapi.introspectionFile` (and `check --introspection`) reads back: the reply's
// `return` array, with the version beside it.
import type { QmpConnection } from './qmpClient';

export interface LiveSchema {
  version: unknown;
  return: unknown[];
}

export async function fetchSchema(conn: QmpConnection): Promise<LiveSchema> {
  const version = await conn.execute('query-version');
  const schema = await conn.execute('query-qmp-schema');
  if (!Array.isArray(schema)) throw new Error(`${conn.label}: query-qmp-schema did not return a list`);
  return { version, return: schema };
}

export const schemaText = (s: LiveSchema) => JSON.stringify(s) + '\n';
