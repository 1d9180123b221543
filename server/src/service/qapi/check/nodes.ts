// The parse tree's nodes. A schema has tens of thousands of tokens and the tree is
// kept (cached) between checks, so nodes store their position as plain numbers and
// make the LSP Range only when asked: four objects fewer per token, which is most
// of what a full check used to allocate.
import type { Range } from 'vscode-languageserver-types';
import type { QArray, QBool, QEntry, QNode, QObject, QString } from '../model';
import { rangeAt } from './problem';

export class StringNode implements QString {
  readonly kind = 'string';
  constructor(readonly value: string, private readonly line: number, private readonly c0: number, private readonly c1: number) {}
  get range(): Range {
    return rangeAt(this.line, this.c0, this.c1);
  }
}

export class BoolNode implements QBool {
  readonly kind = 'bool';
  constructor(readonly value: boolean, private readonly line: number, private readonly c0: number, private readonly c1: number) {}
  get range(): Range {
    return rangeAt(this.line, this.c0, this.c1);
  }
}

/** Objects and arrays: the end is known only when the closing bracket is read. */
abstract class Container {
  endLine: number;
  endChar: number;
  constructor(private readonly line: number, private readonly c0: number) {
    this.endLine = line;
    this.endChar = c0 + 1;
  }
  get range(): Range {
    return { start: { line: this.line, character: this.c0 }, end: { line: this.endLine, character: this.endChar } };
  }
}

export class ObjectNode extends Container implements QObject {
  readonly kind = 'object';
  readonly entries: QEntry[] = [];
}

export class ArrayNode extends Container implements QArray {
  readonly kind = 'array';
  readonly items: QNode[] = [];
}

export class Entry implements QEntry {
  constructor(readonly key: string, readonly value: QNode, private readonly line: number, private readonly c0: number, private readonly c1: number) {}
  /** The key string, quotes included. */
  get keyRange(): Range {
    return rangeAt(this.line, this.c0, this.c1);
  }
}
