// Where a QEMU tree's C files mention identifiers that can be QAPI-generated names, by
// their shape, so the index does not depend on the schema (editing a schema never
// re-indexes C): identifiers starting with an upper-case letter and holding a lower-case
// letter or '_' (types, enum constants, Enum_str), and the generator's lower-case
// families qmp_*, qapi_*, visit_type_*, has_*, q_obj_*. Struct fields are not indexed
// (`->name` is resolved at query time in the few files that name the owning type).
// Built in slices (each bounded in time) so it never holds up a request.
import type { FileAccess } from '../common/files';

const LOWER_PREFIXES = ['qmp_', 'qapi_', 'visit_type_', 'has_', 'q_obj_'];

/**
 * Calls `found` for each identifier of the indexed shapes. A hand-written scan: most of
 * a C file's identifiers are not candidates and are skipped without making a string.
 */
export function scanIdentifiers(text: string, found: (name: string, offset: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    if (!upper && !lower && c !== 95 && !(c >= 48 && c <= 57)) {
      i++;
      continue;
    }
    const start = i++;
    let lowerOrUnderscore = false;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if ((d >= 97 && d <= 122) || d === 95) lowerOrUnderscore = true;
      else if (!((d >= 65 && d <= 90) || (d >= 48 && d <= 57))) break;
    }
    if (upper) {
      if (lowerOrUnderscore) found(text.slice(start, i), start);
    } else if (lower && i - start > 4) {
      for (const p of LOWER_PREFIXES) {
        if (i - start > p.length && text.startsWith(p, start)) {
          found(text.slice(start, i), start);
          break;
        }
      }
    }
  }
}

export interface Occurrence {
  path: string;
  offset: number;
}

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
      if ('text' in r) this.indexText(p, r.text);
      else this.remove(p);
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
    const fileId = id;
    scanIdentifiers(text, (name, offset) => {
      let list = this.names.get(name);
      if (!list) this.names.set(name, (list = []));
      if (list.length < 2 || list[list.length - 2] !== fileId) seen.push(name);
      list.push(fileId, offset);
    });
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
      if (kept.length) this.names.set(name, kept);
      else this.names.delete(name);
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
