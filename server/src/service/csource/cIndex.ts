// Where a QEMU tree's C files mention identifiers that can be QAPI-generated names, by
// their shape, so the index does not depend on the schema (editing a schema never
// re-indexes C): identifiers starting with an upper-case letter and holding a lower-case
// letter or '_' (types, enum constants, Enum_str), and the generator's lower-case
// families qmp_*, qapi_*, visit_type_*, has_*, q_obj_*. Struct fields are not indexed
// (`->name` is resolved at query time in the few files that name the owning type).
// Files are scanned by cScan.ts, here in slices (each bounded in time) or, in the
// server, by worker threads whose results `addScanned` takes in.
import type { FileAccess } from '../common/files';
import { NameTable, PairList, scanText } from './cScan';

export interface Occurrence {
  name: string;
  path: string;
  offset: number;
}

/**
 * A scanner's name ids (its own NameTable's: a worker thread's, or the index's for texts
 * it scans itself) as ids of one index.
 */
export class NameRemap {
  private ids = new Int32Array(1024);
  constructor(private readonly index: CIdentifierIndex) {}

  /** The scanner's names from id `first` on, in order. */
  learn(first: number, names: string[]): void {
    const need = first + names.length;
    if (this.ids.length < need) {
      const a = new Int32Array(Math.max(need, this.ids.length * 2));
      a.set(this.ids);
      this.ids = a;
    }
    for (let i = 0; i < names.length; i++) this.ids[first + i] = this.index.nameId(names[i]);
  }

  /** Rewrites the name ids of (name id, offset) pairs in place. */
  apply(pairs: Int32Array): Int32Array {
    const ids = this.ids;
    for (let i = 0; i < pairs.length; i += 2) pairs[i] = ids[pairs[i]];
    return pairs;
  }
}

export class CIdentifierIndex {
  /** Every identifier seen, by id (ids are never reused). */
  readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** For texts scanned here: the scanner's table, and its ids as this index's. */
  private readonly table = new NameTable();
  private readonly remap = new NameRemap(this);
  private readonly paths: string[] = [];
  private readonly ids = new Map<string, number>();
  /**
   * fileId -> flat [nameId, offset, …] in offset order. Nothing else is kept: a look-up
   * reads them all (about a million pairs for QEMU, a few ms), so taking in a file costs
   * no allocation beyond its pairs and the server's thread never pauses to collect them.
   */
  private readonly occurrences: (Int32Array | undefined)[] = [];
  private pending: string[] = [];
  private next = 0;
  private readonly scratch = new PairList();
  /** Files indexed so far and all bytes (UTF-16 units) read, for status and benchmarks. */
  filesIndexed = 0;
  bytesIndexed = 0;

  constructor(private readonly files: FileAccess) {}

  /** Queue files to (re)index, in order; `step` does the work. */
  enqueue(paths: Iterable<string>): void {
    for (const p of paths) this.pending.push(p);
  }

  get done(): boolean {
    return this.next === this.pending.length;
  }

  /** Index queued files for at most `budgetMs`; returns true when the queue is empty. */
  step(budgetMs = 8): boolean {
    const until = performance.now() + budgetMs;
    while (!this.done) {
      const p = this.pending[this.next++];
      const r = this.files.read(p);
      if ('text' in r) this.indexText(p, r.text);
      else this.remove(p);
      if (performance.now() >= until) break;
    }
    if (this.done) {
      this.pending = [];
      this.next = 0;
    }
    return this.done;
  }

  /** Index everything queued now (CLI, tests, benchmarks). */
  drain(): void {
    while (!this.step(1e9));
  }

  /** (Re)index one file from its current text. */
  indexText(path: string, text: string): void {
    const out = this.scratch;
    out.length = 0;
    const known = this.table.size;
    scanText(text, this.table, out);
    this.remap.learn(known, this.table.names.slice(known));
    this.addScanned(path, this.remap.apply(out.data.slice(0, out.length)), text.length);
  }

  /** The id of a name, added when new. */
  nameId(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    return id;
  }

  /** (Re)index one file from its scanned (name id, offset) pairs, ids of this index (see NameRemap). */
  addScanned(path: string, pairs: Int32Array, size: number): void {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.ids.set(path, id);
    }
    this.occurrences[id] = pairs;
    this.filesIndexed++;
    this.bytesIndexed += size;
  }

  /** Whether the file was indexed (or dropped after it was). */
  has(path: string): boolean {
    return this.ids.has(path);
  }

  /** Forget a file (deleted, or unreadable). */
  remove(path: string): void {
    const id = this.ids.get(path);
    if (id !== undefined) this.occurrences[id] = undefined;
  }

  /** Where the identifiers occur: files in the order they were first indexed, each in offset order. */
  lookup(...names: string[]): Occurrence[] {
    const want = this.idsOf(names);
    const out: Occurrence[] = [];
    if (!want.size) return out;
    this.occurrences.forEach((pairs, f) => {
      if (pairs)
        for (let i = 0; i < pairs.length; i += 2) if (want.has(pairs[i])) out.push({ name: this.names[pairs[i]], path: this.paths[f], offset: pairs[i + 1] });
    });
    return out;
  }

  /** Files that mention one of the identifiers. */
  filesWith(...names: string[]): string[] {
    const want = this.idsOf(names);
    const out: string[] = [];
    if (!want.size) return out;
    this.occurrences.forEach((pairs, f) => {
      if (pairs)
        for (let i = 0; i < pairs.length; i += 2)
          if (want.has(pairs[i])) {
            out.push(this.paths[f]);
            break;
          }
    });
    return out;
  }

  private idsOf(names: string[]): Set<number> {
    const ids = new Set<number>();
    for (const n of names) {
      const id = this.nameIds.get(n);
      if (id !== undefined) ids.add(id);
    }
    return ids;
  }

  /** Every occurrence, files in the order they were first indexed (tests, status). */
  forEach(found: (o: Occurrence) => void): void {
    this.occurrences.forEach((pairs, f) => {
      if (pairs) for (let i = 0; i < pairs.length; i += 2) found({ name: this.names[pairs[i]], path: this.paths[f], offset: pairs[i + 1] });
    });
  }

  /** Distinct identifiers in the indexed files. */
  get identifierCount(): number {
    const seen = new Uint8Array(this.names.length);
    let count = 0;
    for (const pairs of this.occurrences)
      if (pairs)
        for (let i = 0; i < pairs.length; i += 2)
          if (!seen[pairs[i]]) {
            seen[pairs[i]] = 1;
            count++;
          }
    return count;
  }
}
