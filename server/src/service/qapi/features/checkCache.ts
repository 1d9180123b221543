// Keeps the last check of each schema root with the file texts it saw, so editor
// requests (hover, completion: a few ms at most) reuse it instead of re-checking the
// whole tree (tens of ms for QEMU's schema), and the per-check indexes stay warm.
import type { Cancellation } from '../../common/cancellation';
import type { FileAccess } from '../../common/files';
import type { Settings } from '../../common/settings';
import { resolveVersion } from '../../common/versions';
import type { SchemaCheck } from '../model';
import type { QapiProject } from '../project';

/**
 * How much is remembered: every open file that no root includes is a root of its own,
 * so there can be many small ones; a QEMU tree is about 0.8 M characters. The most
 * recently used entry is always kept.
 */
const MAX_ROOTS = 256;
const MAX_CHARS = 16_000_000;

interface Entry {
  root: string;
  /** Characters of all its texts, for the memory bound. */
  chars: number;
  settingsKey: string;
  check: SchemaCheck;
  /** Text of every file of the tree when it was checked (null: unreadable). */
  texts: Map<string, string | null>;
}

const keyOf = (s: Settings) => `${s.qemuVersion}\u0000${s.schemaRoot}`;
const textOf = (files: FileAccess, path: string) => {
  const r = files.read(path);
  return 'text' in r ? r.text : null;
};

export class CheckCache {
  /** By root, most recently used last. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly project: QapiProject,
    private readonly files: FileAccess,
  ) {}

  /** The check of the schema holding `path`: the remembered one when no file of it changed, else a new one. */
  check(path: string, settings: Settings, token?: Cancellation): SchemaCheck {
    const e = this.entryFor(path, settings);
    if (e && this.unchanged(e, settings)) return this.touch(e).check;
    return this.run(this.project.rootFor(path, settings), settings, token);
  }

  /**
   * For a request on an open document: the remembered check when it saw exactly this
   * text of the document. Other files are re-validated by the server when they change
   * (they are this document's dependencies), which refreshes the entry.
   */
  forDocument(path: string, text: string, settings: Settings): SchemaCheck {
    const e = this.entryFor(path, settings);
    if (e && e.texts.get(path) === text) return this.touch(e).check;
    return this.check(path, settings);
  }

  /** Checks remembered, newest first. */
  recent(): SchemaCheck[] {
    return [...this.entries.values()].reverse().map((e) => e.check);
  }

  private entryFor(path: string, settings: Settings): Entry | undefined {
    const key = keyOf(settings);
    for (const e of [...this.entries.values()].reverse()) {
      if (e.settingsKey === key && e.texts.has(path)) return e;
    }
    return undefined;
  }

  private unchanged(e: Entry, settings: Settings): boolean {
    const v = resolveVersion(settings.qemuVersion, e.root, this.files);
    if (
      v.rules !== e.check.rules ||
      v.version.major !== e.check.version.version.major ||
      v.version.minor !== e.check.version.version.minor ||
      v.source !== e.check.version.source ||
      v.versionFile !== e.check.version.versionFile
    )
      return false;
    for (const [p, text] of e.texts) if (textOf(this.files, p) !== text) return false;
    return true;
  }

  private touch(e: Entry): Entry {
    this.entries.delete(e.root);
    this.entries.set(e.root, e);
    return e;
  }

  private run(root: string, settings: Settings, token?: Cancellation): SchemaCheck {
    const check = this.project.check(root, settings, token);
    // A cancelled check may be partial: use it once, never remember it.
    if (token?.isCancellationRequested) return check;
    const texts = new Map<string, string | null>();
    for (const p of check.model.files) texts.set(p, textOf(this.files, p));
    if (!texts.has(root)) texts.set(root, textOf(this.files, root));
    let chars = 0;
    for (const t of texts.values()) chars += t?.length ?? 0;
    this.touch({ root, chars, settingsKey: keyOf(settings), check, texts });
    let total = 0;
    for (const e of this.entries.values()) total += e.chars;
    for (const [oldest, e] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= MAX_ROOTS && total <= MAX_CHARS)) break;
      this.entries.delete(oldest);
      total -= e.chars;
    }
    return check;
  }
}
