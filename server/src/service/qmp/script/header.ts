/**
 * The script header: comment lines at the top of a QMP script (before the first
 * command) may declare the target QEMU and the guest workload the convergence
 * preview simulates. Other comment lines are ordinary comments.
 *
 *   header     = { comment-line }            (only before the first command)
 *   qemu-line  = "#" ws "qemu:" ws VERSION   VERSION = MAJOR "." MINOR [ "." MICRO ]
 *   workload   = "#" ws "workload:" ws item { ws item }
 *   item       = "ram=" SIZE               guest RAM
 *              | "working-set=" SIZE       memory the guest keeps rewriting
 *              | "dirty-rate=" RATE        unique bytes dirtied per second in the working set
 *              | "zero=" FRACTION          share of zero pages, 0..1
 *              | "vcpus=" INTEGER
 *              | "link=" RATE              raw link speed
 *              | "sending-efficiency=" FRACTION   share of time the migration thread really sends, 0..1
 *   SIZE       = NUMBER [ "B" | "K" | "M" | "G" | "T" | "KiB" | "MiB" | "GiB" | "TiB" ]   (1024-based)
 *              | NUMBER ( "kB" | "MB" | "GB" | "TB" )                                   (1000-based)
 *   RATE       = SIZE "/s" | NUMBER ( "bit" | "kbit" | "Mbit" | "Gbit" | "Tbit" ) "/s"
 *
 * Example:  # qemu: 8.2
 *           # workload: ram=8G working-set=2G dirty-rate=200M/s zero=0.1 vcpus=4 link=10Gbit/s sending-efficiency=0.03
 * The same grammar is documented for users in docs/qmp-script-format.md.
 */
import type { GuestWorkload, LinkModel } from '../../../migration/inputs';
import { parseRate, parseSize } from '../units';
import type { Span } from './value';

export interface Header {
  version?: { text: string; span: Span };
  guest: Partial<GuestWorkload>;
  link: Partial<LinkModel>;
  /** 0-based line of the workload line, for the preview's explanation. */
  workloadLine?: number;
  problems: (Span & { message: string })[];
}

type Item = { key: keyof GuestWorkload | keyof LinkModel; where: 'guest' | 'link'; parse: (t: string) => number | undefined; what: string };
export const WORKLOAD_ITEMS: Record<string, Item> = {
  ram: { key: 'ramBytes', where: 'guest', parse: parseSize, what: 'a size such as 8G' },
  'working-set': { key: 'workingSetBytes', where: 'guest', parse: parseSize, what: 'a size such as 2G' },
  'dirty-rate': { key: 'dirtyBytesPerSecond', where: 'guest', parse: parseRate, what: 'a rate such as 200M/s' },
  zero: { key: 'zeroPageFraction', where: 'guest', parse: fraction, what: 'a fraction between 0 and 1' },
  vcpus: { key: 'vcpus', where: 'guest', parse: (t) => (/^[1-9]\d*$/.test(t) ? Number(t) : undefined), what: 'a positive integer' },
  link: { key: 'bytesPerSecond', where: 'link', parse: parseRate, what: 'a rate such as 10Gbit/s or 1.25GB/s' },
  'sending-efficiency': { key: 'sendingEfficiency', where: 'link', parse: fraction, what: 'a fraction between 0 and 1' },
};

function fraction(t: string): number | undefined {
  const n = /^\d*\.?\d+$/.test(t) ? Number(t) : NaN;
  return n >= 0 && n <= 1 ? n : undefined;
}

export function emptyHeader(): Header {
  return { guest: {}, link: {}, problems: [] };
}

/** Reads one comment line (`text` is the whole line, `offset` where it starts). */
export function readHeaderLine(h: Header, text: string, offset: number, line: number): void {
  const m = /^(\s*#\s*)(qemu|workload)\s*:\s*/i.exec(text);
  if (!m) return;
  const restAt = m[0].length;
  if (m[2].toLowerCase() === 'qemu') {
    const v = /^(\d+\.\d+(?:\.\d+)?)\s*$/.exec(text.slice(restAt));
    const span = { start: offset + restAt, end: offset + text.length };
    if (v) h.version = { text: v[1], span: { start: span.start, end: span.start + v[1].length } };
    else h.problems.push({ ...span, message: 'the qemu: header line needs a version such as 8.2' });
    return;
  }
  h.workloadLine = line;
  const re = /\S+/g;
  re.lastIndex = restAt;
  for (let w = re.exec(text); w; w = re.exec(text)) {
    const span = { start: offset + w.index, end: offset + w.index + w[0].length };
    const eq = w[0].indexOf('=');
    const item = eq > 0 ? WORKLOAD_ITEMS[w[0].slice(0, eq)] : undefined;
    if (!item) {
      h.problems.push({
        ...span,
        message: `'${w[0]}' is not a workload item; use ${Object.keys(WORKLOAD_ITEMS)
          .map((k) => k + '=')
          .join(', ')}`,
      });
      continue;
    }
    const value = item.parse(w[0].slice(eq + 1));
    if (value === undefined) h.problems.push({ ...span, message: `${w[0].slice(0, eq)} needs ${item.what}` });
    else (h[item.where] as Record<string, number>)[item.key] = value;
  }
}
