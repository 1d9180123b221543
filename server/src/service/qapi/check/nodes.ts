// The parse tree's nodes. A schema has tens of thousands of tokens and the tree is
// kept (cached) between checks, so nodes store their position as plain numbers and
// make the LSP Range only when asked: four objects fewer per token. Fields are
// assigned in the constructor (no class-field initialisers) and `kind` lives on
// the prototype, which keeps construction cheap.
import type { Range } from 'vscode-languageserver-types';
import type { QArray, QBool, QEntry, QNode, QObject, QString } from '../model';
import { rangeAt } from './problem';

/** A token on one line: a string or a boolean. */
abstract class OneLine<T> {
  declare readonly value: T;
  private declare readonly line: number;
  private declare readonly c0: number;
  private declare readonly c1: number;
  constructor(value: T, line: number, c0: number, c1: number) {
    this.value = value;
    this.line = line;
    this.c0 = c0;
    this.c1 = c1;
  }
  get range(): Range {
    return rangeAt(this.line, this.c0, this.c1);
  }
}

export class StringNode extends OneLine<string> implements QString {
  declare readonly kind: 'string';
}
(StringNode.prototype as { kind: string }).kind = 'string';

export class BoolNode extends OneLine<boolean> implements QBool {
  declare readonly kind: 'bool';
}
(BoolNode.prototype as { kind: string }).kind = 'bool';

/** Objects and arrays: the end is known only when the closing bracket is read. */
abstract class Bracketed {
  private declare readonly line: number;
  private declare readonly c0: number;
  declare endLine: number;
  declare endChar: number;
  constructor(line: number, c0: number) {
    this.line = line;
    this.c0 = c0;
    this.endLine = line;
    this.endChar = c0 + 1;
  }
  get range(): Range {
    return { start: { line: this.line, character: this.c0 }, end: { line: this.endLine, character: this.endChar } };
  }
}

export class ObjectNode extends Bracketed implements QObject {
  declare readonly kind: 'object';
  declare readonly entries: QEntry[];
  constructor(line: number, c0: number) {
    super(line, c0);
    this.entries = [];
  }
}
(ObjectNode.prototype as { kind: string }).kind = 'object';

export class ArrayNode extends Bracketed implements QArray {
  declare readonly kind: 'array';
  declare readonly items: QNode[];
  constructor(line: number, c0: number) {
    super(line, c0);
    this.items = [];
  }
}
(ArrayNode.prototype as { kind: string }).kind = 'array';

export class Entry implements QEntry {
  declare readonly key: string;
  declare readonly value: QNode;
  private declare readonly line: number;
  private declare readonly c0: number;
  private declare readonly c1: number;
  constructor(key: string, value: QNode, line: number, c0: number, c1: number) {
    this.key = key;
    this.value = value;
    this.line = line;
    this.c0 = c0;
    this.c1 = c1;
  }
  /** The key string, quotes included. */
  get keyRange(): Range {
    return rangeAt(this.line, this.c0, this.c1);
  }
}
