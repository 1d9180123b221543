// Where a QEMU tree's C files mention identifiers that can be QAPI-generated names, by
// their shape, so the index does not depend on the schema (editing a schema never
// re-indexes C): identifiers starting with an upper-case letter and holding a lower-case
// letter or '_' (types, enum constants, Enum_str), and the generator's lower-case
// families qmp_*, qapi_*, visit_type_*, has_*, q_obj_*. Struct fields are not indexed
// (`->name` is resolved at query time in the few files that name the owning type).
// Built in slices (each bounded in time) so it never holds up a request.
import type { FileAccess } from '../common/files';

const SHAPE = /\b(?:[A-Z][A-Z0-9]*[a-z_]\w*|(?:qmp|qapi|visit_type|has|q_obj)_\w+)/g;

export interface Occurrence { path: string; offset: number }

export class CIdentifierIndex {
  private readonly paths: string[] = [];
  private readonly ids = new Map<string, number>();
  /** identifier -> flat [fileId, offset, fileId, offset, …] */
  private readonly names = new Map<string, number[]>();
  /** fileId -> identifiers it contributed (for removal on change). */
  private readonly contributed: (string[] | undefined)[] = [];
  private pending: string[] = [];
  /** Files indexed so far and all bytes read, for status and benchmarks. */
  filesIndexed = 0;
  bytesIndexed = 0;

  constructor(private readonly files: FileAccess) {}

  /** Queue files to (re)index; `step` does the work. */
  enqueue(paths: Iterable<string>): void {
    for (const p of paths) this.pending.push(p);
  }

  get done(): boolean {
    return this.pending.length === 0;
  }

  /** Index queued files for at most `budgetMs`; returns true when the queue is empty. */
  step(budgetMs = 8): boolean {
    const until = performance.now() + budgetMs;
    while (this.pending.length) {
      const p = this.pending.pop()!;
      const r = this.files.read(p);
      if ('text' in r) this.indexText(p, r.text); else this.remove(p);
      if (performance.now() >= until) break;
    }
    return this.done;
  }

  /** Index everything queued now (CLI, tests, benchmarks). */
  drain(): void {
    while (!this.step(1e9));
  }

  /** (Re)index one file from its current text. */
  indexText(path: string, text: string): void {
    this.remove(path);
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.ids.set(path, id);
    }
    const seen: string[] = [];
    SHAPE.lastIndex = 0;
    for (let m; (m = SHAPE.exec(text));) {
      const name = m[0];
      let list = this.names.get(name);
      if (!list) this.names.set(name, list = []);
      if (list.length < 2 || list[list.length - 2] !== id) seen.push(name);
      list.push(id, m.index);
    }
    this.contributed[id] = seen;
    this.filesIndexed++;
    this.bytesIndexed += text.length;
  }

  /** Forget a file (deleted, or about to be re-read). */
  remove(path: string): void {
    const id = this.ids.get(path);
    const names = id === undefined ? undefined : this.contributed[id];
    if (id === undefined || !names) return;
    for (const name of names) {
      const list = this.names.get(name);
      if (!list) continue;
      const kept: number[] = [];
      for (let i = 0; i < list.length; i += 2) if (list[i] !== id) kept.push(list[i], list[i + 1]);
      if (kept.length) this.names.set(name, kept); else this.names.delete(name);
    }
    this.contributed[id] = undefined;
  }

  lookup(name: string): Occurrence[] {
    const list = this.names.get(name);
    const out: Occurrence[] = [];
    if (list) for (let i = 0; i < list.length; i += 2) out.push({ path: this.paths[list[i]], offset: list[i + 1] });
    return out;
  }

  /** Files that mention the identifier. */
  filesWith(name: string): string[] {
    const list = this.names.get(name);
    const out = new Set<string>();
    if (list) for (let i = 0; i < list.length; i += 2) out.add(this.paths[list[i]]);
    return [...out];
  }

  get identifierCount(): number {
    return this.names.size;
  }
}
