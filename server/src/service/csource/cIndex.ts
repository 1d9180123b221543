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
 * One scanner's names by id. A worker's arrive as one '\n'-joined text per chunk, and
 * stay so: taking them in makes one string, not thousands (less for the server's thread
 * to collect); a look-up finds a name in them with indexOf.
 */
class NameSpace {
  private readonly texts: string[] = [];
  private readonly firsts: number[] = [];
  private readonly split: (string[] | undefined)[] = [];
  private count = 0;
  /** `names`: a live array of names by id instead (the index's own scanner). */
  constructor(private readonly names?: string[]) {}

  get size(): number {
    return this.names ? this.names.length : this.count;
  }

  /** `count` names from id `first` on, as '\n' + names.join('\n') + '\n'. */
  add(first: number, joined: string, count: number): void {
    if (!count) return;
    this.texts.push(joined);
    this.firsts.push(first);
    this.count = first + count;
  }

  /** The id of a name, or -1. */
  find(name: string): number {
    if (this.names) return this.names.indexOf(name);
    if (!name || name.includes('\n')) return -1;
    const needle = `\n${name}\n`;
    for (let k = 0; k < this.texts.length; k++) {
      const t = this.texts[k];
      const at = t.indexOf(needle);
      if (at < 0) continue;
      let id = this.firsts[k];
      for (let i = t.indexOf('\n', 1); i >= 0 && i <= at; i = t.indexOf('\n', i + 1)) id++;
      return id;
    }
    return -1;
  }

  name(id: number): string {
    if (this.names) return this.names[id];
    let k = this.firsts.length - 1;
    while (k > 0 && this.firsts[k] > id) k--;
    const split = (this.split[k] ??= this.texts[k].slice(1, -1).split('\n'));
    return split[id - this.firsts[k]];
  }
}

export class CIdentifierIndex {
  /**
   * Name spaces: the names of one scanner by its ids. Space 0 is this index's own
   * scanner (texts indexed here); each worker thread gets one (`newSpace`), so taking
   * in its results never looks a name up: ids stay the scanner's own.
   */
  private readonly spaces: NameSpace[] = [];
  private readonly table = new NameTable();
  private readonly paths: string[] = [];
  private readonly ids = new Map<string, number>();
  /**
   * fileId -> flat [nameId, offset, …] in offset order, ids of the file's space. Nothing
   * else is kept: a look-up reads them all (about a million pairs for QEMU, a few ms),
   * so taking in a file allocates nothing beyond its pairs.
   */
  private readonly occurrences: (Int32Array | undefined)[] = [];
  private readonly spaceOf: number[] = [];
  private pending: string[] = [];
  private next = 0;
  private readonly scratch = new PairList();
  /** Files indexed so far and all bytes (UTF-16 units) read, for status and benchmarks. */
  filesIndexed = 0;
  bytesIndexed = 0;

  constructor(private readonly files: FileAccess) {
    this.spaces.push(new NameSpace(this.table.names));
  }

  /** A name space for a scanner elsewhere (a worker thread's NameTable). */
  newSpace(): number {
    return this.spaces.push(new NameSpace()) - 1;
  }

  /** A space's `count` names from id `first` on, as '\n' + names.join('\n') + '\n'. */
  addNames(space: number, first: number, joined: string, count: number): void {
    this.spaces[space].add(first, joined, count);
  }

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
    scanText(text, this.table, out);
    this.table.flush();
    this.addScanned(path, out.data.slice(0, out.length), text.length, 0);
  }

  /** (Re)index one file from its scanned (name id, offset) pairs, ids of `space`. */
  addScanned(path: string, pairs: Int32Array, size: number, space: number): void {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.ids.set(path, id);
    }
    this.occurrences[id] = pairs;
    this.spaceOf[id] = space;
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
    const out: Occurrence[] = [];
    this.scan(names, (f, pairs, want) => {
      for (let i = 0; i < pairs.length; i += 2) {
        const k = want[pairs[i]];
        if (k) out.push({ name: names[k - 1], path: this.paths[f], offset: pairs[i + 1] });
      }
    });
    return out;
  }

  /** Files that mention one of the identifiers. */
  filesWith(...names: string[]): string[] {
    const out: string[] = [];
    this.scan(names, (f, pairs, want) => {
      for (let i = 0; i < pairs.length; i += 2)
        if (want[pairs[i]]) {
          out.push(this.paths[f]);
          break;
        }
    });
    return out;
  }

  /** Calls `visit` for each file whose space holds one of the names, with that space's id of `names[k]` marked k + 1. */
  private scan(names: string[], visit: (file: number, pairs: Int32Array, want: Uint16Array) => void): void {
    const wants = this.spaces.map((space) => {
      let want: Uint16Array | undefined;
      names.slice(0, 0xffff).forEach((n, k) => {
        const id = space.find(n);
        if (id >= 0) (want ??= new Uint16Array(space.size))[id] = k + 1;
      });
      return want;
    });
    this.occurrences.forEach((pairs, f) => {
      const want = wants[this.spaceOf[f]];
      if (pairs && want) visit(f, pairs, want);
    });
  }

  /** Every occurrence, files in the order they were first indexed (tests, status). */
  forEach(found: (o: Occurrence) => void): void {
    this.occurrences.forEach((pairs, f) => {
      const space = this.spaces[this.spaceOf[f]];
      if (pairs) for (let i = 0; i < pairs.length; i += 2) found({ name: space.name(pairs[i]), path: this.paths[f], offset: pairs[i + 1] });
    });
  }

  /** Distinct identifiers in the indexed files. */
  get identifierCount(): number {
    const names = new Set<string>();
    this.forEach((o) => names.add(o.name));
    return names.size;
  }
}
