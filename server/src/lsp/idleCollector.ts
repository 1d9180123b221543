// After a burst of work, V8 keeps the heap it grew (an edit burst on a large schema
// left ~450 MiB resident with ~25 MiB live). When the process was started with
// --expose-gc (the extension does so), one full collection after a quiet moment
// gives that memory back to the system.

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private readonly gc = (globalThis as { gc?: () => void }).gc;

  constructor(private readonly quietMs = 2000) {}

  /** Call after each piece of work; the collection runs once nothing happened for quietMs. */
  touch(): void {
    if (!this.gc) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.gc?.(), this.quietMs);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
