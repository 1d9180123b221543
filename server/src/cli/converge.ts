// PLACEHOLDER (replaced by the simulator work): `qapi-qmp converge`.
import { UsageError } from './usage';

export function runConverge(_args: { values: Record<string, string | undefined>; positionals: string[] }, _out: NodeJS.WritableStream): number {
  throw new UsageError('converge is not available yet');
}
