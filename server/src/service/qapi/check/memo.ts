// What the checker's stages computed from one top-level expression or doc block,
// kept on the parsed file's items: it lives exactly as long as the parse is cached
// (an edited file is re-parsed and starts empty), and needs no weak map lookups,
// which cost a full check of a large schema a noticeable share of its time.
// Each stage declares its own typed slot (memoSlot()) where it defines what it
// keeps, so the parser, which makes the memos, depends on none of the later stages.

/** A typed place in every memo, owned by the stage that declared it. */
export interface MemoSlot<T> {
  readonly index: number;
  readonly _type?: T;
}

let slots = 0;

export function memoSlot<T>(): MemoSlot<T> {
  return { index: slots++ };
}

export class Memo {
  private readonly values: unknown[] = [];

  get<T>(slot: MemoSlot<T>): T | undefined {
    return this.values[slot.index] as T | undefined;
  }

  set<T>(slot: MemoSlot<T>, value: T): T {
    this.values[slot.index] = value;
    return value;
  }
}
