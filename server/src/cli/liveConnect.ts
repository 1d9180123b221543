// The live subcommands' shared option handling: --connect ADDRESS, and a connection
// that fails is bad usage (exit 2, one line).
import { AddressError } from '../live/address';
import { connectTo } from '../live/connect';
import type { QmpConnection } from '../live/qmpClient';
import { UsageError } from './usage';

export async function connectOrExit(address: string | undefined, command: string): Promise<QmpConnection> {
  if (!address) throw new UsageError(`${command} needs --connect ADDRESS (unix:PATH, tcp:HOST:PORT or libvirt:DOMAIN)`);
  try {
    return await connectTo(address);
  } catch (e) {
    if (e instanceof AddressError) throw new UsageError(e.message);
    throw new UsageError(`cannot connect: ${(e as Error).message}`);
  }
}

/** A positive number with an optional k/M/G suffix (decimal) or Ki/Mi/Gi (binary). */
export function parseRate(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text.trim());
  const mult: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  const v = m ? Number(m[1]) * (m[2] ? mult[m[2]] : 1) : NaN;
  if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`${flag} must be a positive number of bytes per second (e.g. 1250000000 or 1.25G), not '${text}'`);
  return v;
}
