// A worker thread of the C index (dist/cindex.js): lists a QEMU tree's C files, and
// reads and scans the chunks of them it is sent, so the server's own thread only merges
// compact results. Names are sent once each (ids of this worker's table), occurrences as
// transferred Int32Arrays.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { diskFiles, MAX_FILE_BYTES } from '../service/common/files';
import { codeUnits, NameTable, PairList, scanBytes } from '../service/csource/cScan';
import { listCFiles, type QemuTree, treeAccess } from '../service/csource/qemuTree';

export type ToWorker = { list: QemuTree; batch: number } | { seq: number; paths: string[] };
export type FromWorker =
  /** The tree's files in walk order, a batch at a time (scanning starts before the walk ends); `done` with the last. */
  | { listed: string[]; done: boolean }
  | {
      seq: number;
      /** The `nameCount` names new since this worker's last message, from id `firstName` on, as '\n' + names.join('\n') + '\n' (one string to send, not thousands). */
      firstName: number;
      nameCount: number;
      names: string;
      paths: string[];
      /** Per path: end of its pairs in `pairs` (the start is the previous end). */
      ends: Int32Array;
      /** Per path: its size in UTF-16 units, or -1 when it could not be read (then it is dropped from the index). */
      sizes: Int32Array;
      pairs: Int32Array;
    };

/** One buffer for every read (grown when a file needs more): no allocation per file. */
let buffer = Buffer.allocUnsafeSlow(1 << 20);

/**
 * A regular file's bytes (valid until the next read), or undefined (missing, not a
 * regular file, too large). O_NONBLOCK: a FIFO never hangs the read.
 */
function readBytes(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    if (st.size >= buffer.length) buffer = Buffer.allocUnsafeSlow(Math.max(st.size + 1, buffer.length * 2));
    // Read to the end, as readFileSync does: a file growing meanwhile is read as far as the buffer holds.
    let got = 0;
    for (let n; got < buffer.length && (n = readSync(fd, buffer, got, buffer.length - got, null)) > 0; ) got += n;
    return buffer.subarray(0, got);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const table = new NameTable();
const out = new PairList();
let sentNames = 0;

function scanChunk(seq: number, paths: string[]): FromWorker {
  out.length = 0;
  const ends = new Int32Array(paths.length);
  const sizes = new Int32Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const b = readBytes(paths[i]);
    let size = -1;
    if (b) {
      const mark = out.length;
      size = b.length;
      if (!scanBytes(b, table, out)) {
        // Not ASCII: offsets must count UTF-16 units, as the editor does.
        out.length = mark;
        const units = codeUnits(b.toString('utf8'));
        // As a Buffer, like every other file: one kind of array keeps the compiled scanner valid.
        scanBytes(Buffer.from(units.buffer, units.byteOffset, units.length), table, out);
        size = units.length;
      }
    }
    ends[i] = out.length;
    sizes[i] = size;
  }
  table.flush();
  const names = table.names.slice(sentNames);
  const firstName = sentNames;
  sentNames = table.size;
  return {
    seq,
    firstName,
    nameCount: names.length,
    names: names.length ? `\n${names.join('\n')}\n` : '',
    paths,
    ends,
    sizes,
    pairs: out.data.slice(0, out.length),
  };
}

parentPort?.on('message', (m: ToWorker) => {
  if ('list' in m) {
    listCFiles(m.list, treeAccess(diskFiles), (listed) => parentPort!.postMessage({ listed, done: false } satisfies FromWorker), m.batch);
    parentPort!.postMessage({ listed: [], done: true } satisfies FromWorker);
    return;
  }
  const r = scanChunk(m.seq, m.paths);
  if ('pairs' in r) parentPort!.postMessage(r, [r.pairs.buffer as ArrayBuffer, r.ends.buffer as ArrayBuffer, r.sizes.buffer as ArrayBuffer]);
});
