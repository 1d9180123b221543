// One entry for every transport: an address string in, a negotiated connection out.
import { parseAddress, type Address } from './address';
import { LibvirtConnection } from './libvirt';
import { QmpClient, type ConnectOptions, type QmpConnection } from './qmpClient';

export async function connectTo(address: string | Address, options: ConnectOptions = {}): Promise<QmpConnection> {
  const a = typeof address === 'string' ? parseAddress(address) : address;
  if (a.kind === 'libvirt') return LibvirtConnection.connect(a, options);
  return QmpClient.connect(a, options);
}
