// Per-document debounced validation. A newer change cancels the pending run; a
// result is published only if the document still has the version it was computed
// for. Diagnostics of other files (includes, the schema root) are published under
// those files' URIs and cleared when no open document reports them any more.

export interface ValidationHost {
  versionOf(uri: string): number | undefined;
  /** Runs the check; returns diagnostics by URI, or undefined when cancelled. */
  validate(uri: string, isStale: () => boolean): Map<string, unknown[]> | undefined;
  publish(uri: string, diagnostics: unknown[], version?: number): void;
}

export class ValidationScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** owner document URI -> URIs it published diagnostics for */
  private readonly published = new Map<string, Map<string, unknown[]>>();
  /**
   * What was last sent per URI. A check of a schema reports every file of its include
   * tree (46 for QEMU's), nearly all with no diagnostics: sending them all again on each
   * keystroke cost more than the check of the edit itself.
   */
  private readonly sent = new Map<string, { list: unknown[]; version?: number }>();

  constructor(
    private readonly host: ValidationHost,
    public delayMs: number,
  ) {}

  schedule(uri: string, delayMs = this.delayMs): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => this.run(uri), delayMs),
    );
  }

  /** Schedules a run unless one is pending already (whose delay then stands). */
  scheduleIfIdle(uri: string, delayMs = this.delayMs): void {
    if (!this.timers.has(uri)) this.schedule(uri, delayMs);
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  /** The document was closed: its own diagnostics and those it reported for other files go away. */
  forget(uri: string): void {
    this.cancel(uri);
    const before = this.published.get(uri);
    this.published.delete(uri);
    if (before) for (const target of before.keys()) this.republish(target);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private run(uri: string): void {
    this.timers.delete(uri);
    const version = this.host.versionOf(uri);
    if (version === undefined) return;
    const isStale = () => this.host.versionOf(uri) !== version || this.timers.has(uri);
    const result = this.host.validate(uri, isStale);
    if (!result || isStale()) return;
    const before = this.published.get(uri) ?? new Map();
    this.published.delete(uri); // re-insert: the newest result is last and wins below
    this.published.set(uri, result);
    for (const target of new Set([...before.keys(), ...result.keys()])) this.republish(target);
  }

  /** A file shared by several open documents (an include) shows the newest list computed for it. */
  private republish(target: string): void {
    let merged: unknown[] | undefined;
    for (const diags of this.published.values()) merged = diags.get(target) ?? merged;
    const version = this.host.versionOf(target);
    const list = merged ?? [];
    const last = this.sent.get(target);
    if (last && last.version === version && (last.list === list || (last.list.length === 0 && list.length === 0))) return;
    this.sent.set(target, { list, version });
    this.host.publish(target, list, version);
  }
}
