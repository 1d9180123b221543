// What a doc comment says once interpreted (by docs.ts for 9.0+, docsOld.ts for
// 7.2-8.2): the definition it documents, its descriptions and tagged sections.
import type { Range } from 'vscode-languageserver-types';
import type { RawDocBlock, RawDocLine } from './parser';
import { type Problem, rangeAt } from './problem';

/** A `@name:` description. Its range is made on request (only a problem needs it). */
export class DocArg {
  declare text: string;
  declare readonly name: string;
  /** The `@name:` line. */
  declare readonly line: RawDocLine;
  /** Where the name starts in its line. */
  private declare readonly column: number;
  constructor(name: string, line: RawDocLine, column: number) {
    this.text = '';
    this.name = name;
    this.line = line;
    this.column = column;
  }
  get range(): Range {
    return rangeAt(this.line.line, this.column, this.column + this.name.length);
  }
}

export interface DocSection {
  tag: string;
  text: string;
  line: RawDocLine;
}

export interface ParsedDoc {
  block: RawDocBlock;
  path: string;
  /** The definition a `# @Name:` block documents; undefined for free-form blocks. */
  symbol?: string;
  symbolRange?: Range;
  body: string;
  args: Map<string, DocArg>;
  features: ReadonlyMap<string, DocArg>;
  /** Tagged sections and later plain paragraphs, in order. */
  sections: DocSection[];
  returns?: DocSection;
  errors?: DocSection;
  since?: DocSection;
  problems: Problem[];
}

export class DocError {
  constructor(readonly problem: Problem) {}
}
