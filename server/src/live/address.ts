// Where a QEMU monitor is: `unix:PATH`, `tcp:HOST:PORT`, `libvirt:DOMAIN[?URI]`.
// A child process speaking `-qmp stdio` is not an address a user types; the tests
// pass it as an object (see qmpClient.ts, ChildAddress).

export type Address = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'libvirt'; domain: string; uri?: string };

export class AddressError extends Error {}

export function parseAddress(text: string): Address {
  const s = text.trim();
  if (s.startsWith('unix:')) {
    const path = s.slice(5);
    if (!path) throw new AddressError(`'${text}': unix: needs a socket path (unix:/run/qemu/vm.qmp)`);
    return { kind: 'unix', path };
  }
  if (s.startsWith('tcp:')) {
    // tcp:HOST:PORT, with [v6] brackets allowed for the host.
    const m = /^tcp:(\[[^\]]+\]|[^:]+):(\d+)$/.exec(s);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !(port >= 1 && port <= 65535)) throw new AddressError(`'${text}': expected tcp:HOST:PORT with a port from 1 to 65535`);
    return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port };
  }
  if (s.startsWith('libvirt:')) {
    // Only the first '?' separates: the URI may have its own query (qemu:///system?socket=...).
    const rest = s.slice(8),
      q = rest.indexOf('?');
    const domain = q < 0 ? rest : rest.slice(0, q),
      uri = q < 0 ? '' : rest.slice(q + 1);
    if (!domain) throw new AddressError(`'${text}': libvirt: needs a domain name (libvirt:vm1 or libvirt:vm1?qemu:///system)`);
    return { kind: 'libvirt', domain, ...(uri ? { uri } : {}) };
  }
  throw new AddressError(`'${text}' is not a QMP address: use unix:PATH, tcp:HOST:PORT or libvirt:DOMAIN[?URI]`);
}

export function formatAddress(a: Address): string {
  switch (a.kind) {
    case 'unix':
      return `unix:${a.path}`;
    case 'tcp':
      return `tcp:${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
    case 'libvirt':
      return `libvirt:${a.domain}${a.uri ? `?${a.uri}` : ''}`;
  }
}
