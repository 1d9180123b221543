// The C index's scanner: one pass over a file's bytes finds the identifiers of the
// indexed shapes (see cIndex.ts) and interns them in a byte-keyed hash table, so an
// identifier seen before costs no string at all. Pure: bytes in, name ids out; the
// server runs it in worker threads, the CLI and single-file updates on the caller's thread.

/** Bytes per character class: 0 not part of an identifier, 1 digit, 2 upper, 3 lower, 4 '_'; 5 any byte >= 0x80. */
const CLASS = new Uint8Array(256);
for (let c = 48; c <= 57; c++) CLASS[c] = 1;
for (let c = 65; c <= 90; c++) CLASS[c] = 2;
for (let c = 97; c <= 122; c++) CLASS[c] = 3;
CLASS[95] = 4;
for (let c = 128; c < 256; c++) CLASS[c] = 5;

/** The generator's lower-case families (an identifier longer than the prefix). */
const LOWER_PREFIXES = ['qmp_', 'qapi_', 'visit_type_', 'has_', 'q_obj_'].map((p) => Uint8Array.from(p, (ch) => ch.charCodeAt(0)));

const latin1 = new TextDecoder('latin1');

/** Interned identifiers: id -> name, looked up by their bytes (no string is made for a name seen before). */
export class NameTable {
  /** Names by id, up to the last `flush` (strings are made for all new names at once, not one by one). */
  readonly names: string[] = [];
  private count = 0;
  /** Per id: where its bytes start in `arena` and how many there are. */
  private spans = new Int32Array(2048);
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  /** Open addressing, two ints per slot: the hash and id + 1 (0 = empty), so most probes touch one cache line. */
  private slots = new Int32Array(4096);
  private shift = 32 - 11;

  /** Names interned (some perhaps not yet in `names`). */
  get size(): number {
    return this.count;
  }

  /** Makes the strings of the names interned since the last flush. */
  flush(): void {
    const first = this.names.length;
    if (first === this.count) return;
    const from = this.spans[2 * first];
    const all = latin1.decode(this.arena.subarray(from, this.used));
    for (let id = first; id < this.count; id++) {
      const at = this.spans[2 * id] - from;
      this.names.push(all.slice(at, at + this.spans[2 * id + 1]));
    }
  }

  /** The id of the identifier in b[start, end) whose hash is `h` (as `scanBytes` computes it), added when new. */
  internBytes(b: Uint8Array, start: number, end: number, h: number): number {
    const len = end - start;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let s = Math.imul(h, 0x9e3779b1) >>> this.shift; ; s = (s + 1) & mask) {
      const v = slots[2 * s + 1];
      if (v === 0) return this.add(b, start, end, h);
      if (slots[2 * s] !== h) continue;
      const id = v - 1;
      if (this.spans[2 * id + 1] !== len) continue;
      const a = this.arena;
      let k = this.spans[2 * id];
      let j = start;
      while (j < end && a[k] === b[j]) {
        k++;
        j++;
      }
      if (j === end) return id;
    }
  }

  private add(b: Uint8Array, start: number, end: number, h: number): number {
    const id = this.count++;
    const len = end - start;
    if (2 * id + 2 > this.spans.length) {
      const spans = new Int32Array(this.spans.length * 2);
      spans.set(this.spans);
      this.spans = spans;
    }
    if (this.used + len > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      a.set(this.arena);
      this.arena = a;
    }
    this.arena.set(b.subarray(start, end), this.used);
    this.spans[2 * id] = this.used;
    this.spans[2 * id + 1] = len;
    this.used += len;
    if (4 * this.count > this.slots.length) this.rehash();
    else this.place(id, h);
    return id;
  }

  private place(id: number, h: number): void {
    const mask = (this.slots.length >> 1) - 1;
    let s = Math.imul(h, 0x9e3779b1) >>> this.shift;
    while (this.slots[2 * s + 1] !== 0) s = (s + 1) & mask;
    this.slots[2 * s] = h;
    this.slots[2 * s + 1] = id + 1;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.shift--;
    for (let s = 0; s < old.length; s += 2) if (old[s + 1] !== 0) this.place(old[s + 1] - 1, old[s]);
  }
}

/** A growable list of int32 pairs (name id, offset). */
export class PairList {
  data = new Int32Array(1 << 12);
  length = 0;
  push(a: number, b: number): void {
    if (this.length + 2 > this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
}

/**
 * Appends (name id, offset) for each identifier of the indexed shapes in `b`: starting
 * with an upper-case letter and holding a lower-case letter or '_', or starting with one
 * of the generator's lower-case prefixes. Returns false, with `out` partly filled, at the
 * first byte >= 0x80: offsets must then count UTF-16 units (see `codeUnits`).
 */
export function scanBytes(b: Uint8Array, table: NameTable, out: PairList): boolean {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    const k = CLASS[c];
    if (k === 0) {
      i++;
      continue;
    }
    if (k === 5) return false;
    const start = i++;
    if (k === 2) {
      // Upper-case start: a candidate when it holds a lower-case letter or '_'.
      let h = c;
      let lowerOrUnderscore = false;
      for (; i < n; i++) {
        const d = b[i];
        const e = CLASS[d];
        if (e === 0 || e === 5) break;
        if (e >= 3) lowerOrUnderscore = true;
        h = (Math.imul(h, 31) + d) | 0;
      }
      if (lowerOrUnderscore) out.push(table.internBytes(b, start, i, h), start);
    } else if (k === 3 && (c === 113 || c === 118 || c === 104)) {
      // q, v, h: maybe one of the generator's lower-case families.
      let h = c;
      for (; i < n; i++) {
        const d = b[i];
        const e = CLASS[d];
        if (e === 0 || e === 5) break;
        h = (Math.imul(h, 31) + d) | 0;
      }
      const len = i - start;
      if (len > 4)
        for (const p of LOWER_PREFIXES) {
          if (len <= p.length) continue;
          let j = 0;
          while (j < p.length && b[start + j] === p[j]) j++;
          if (j === p.length) {
            out.push(table.internBytes(b, start, i, h), start);
            break;
          }
        }
    } else {
      while (i < n) {
        const e = CLASS[b[i]];
        if (e === 0 || e === 5) break;
        i++;
      }
    }
  }
  return true;
}

const encoder = new TextEncoder();

/**
 * One byte per UTF-16 unit of `text`, every non-ASCII unit made 0x7f (never part of an
 * identifier), so scanning it gives the offsets an editor uses.
 */
export function codeUnits(text: string): Uint8Array {
  return encoder.encode(text.replace(/[^\x00-\x7f]/g, '\x7f'));
}

/** Scans a file's text (any characters): (name id, offset in UTF-16 units) pairs appended to `out`. */
export function scanText(text: string, table: NameTable, out: PairList): void {
  scanBytes(codeUnits(text), table, out);
}
