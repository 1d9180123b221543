// What changes between the QEMU releases whose schema checks we reproduce, one
// entry per release, each read from that release's scripts/qapi/{parser,expr,
// schema}.py (see docs/qapi-language.md, "Rules that differ by QEMU version").
import type { RuleSet } from '../../common/versions';

export interface QapiRules {
  /**
   * 7.2-8.2: QEMU's first doc parser, a line-by-line state machine (docsOld.ts):
   * doc errors at the doc comment's first line, sections end at the next tag,
   * `Features:` may stay empty, an empty tagged section is a parse error, docs are
   * checked per definition. 9.0+: the rewritten parser (docs.ts).
   */
  oldDocParser: boolean;
  /** 7.2/8.0 recognise a section tag or `@name:` only as the whole first word; 8.1+ match a pattern (`@name :` names 'name '). */
  tagsByWord: boolean;
  /** 7.2/8.0: the indent of a description is fixed by the text after its tag; 8.1+ by its first continuation line. */
  indentFromArgText: boolean;
  /**
   * 7.2/8.0's expr.py and schema.py: one check_type() (8.1 split it), a union branch
   * may not be a union, a command's or event's conditional arguments need no 'boxed',
   * and checking a command does not check its argument type first.
   */
  checks80: boolean;
  /** 9.0+: `Errors:` is a section tag, a `Returns:` section on a command without 'returns' is an error. */
  errorsTag: boolean;
  /** 9.0 blames an `Errors:` section on a non-command at its `Returns:` section (and crashes without one). */
  errorsBlamesReturns: boolean;
  /** 9.0 reads the token after a doc block's closing `##` without skipping comments: a comment there is junk. */
  commentAfterDocIsJunk: boolean;
  /** 9.1+: `Note:`/`Example:` sections are rejected in favour of rST directives; `Tag::` is no tag. */
  rejectNoteExample: boolean;
  /** 9.0+: every member must be documented unless the definition is in `documentation-exceptions` (a pragma from 9.0). */
  membersMustBeDocumented: boolean;
  /** 9.0+: the `documentation-exceptions` pragma exists. */
  documentationExceptions: boolean;
  /**
   * `=` lines: 'free' (7.2-8.2: a heading starts a new free-form block, refused in a
   * definition doc), 'first' (9.0-10.0: first line of a free-form block only, refused
   * at a section start of a definition doc), 'text' (10.1+: plain text).
   */
  headings: 'free' | 'first' | 'text';
  /** 10.2: doc lines at most 70 columns and two spaces between sentences (outside literal blocks). */
  docLineFormat: boolean;
  /** 10.0+: a stub description is inserted for an undocumented member (and QEMU crashes when only member sections follow the intro). */
  stubInsertionCrash: boolean;
  /** 10.0+: at most this many distinct features per schema. */
  maxFeatures?: number;
}

const R72: QapiRules = {
  oldDocParser: true,
  tagsByWord: true,
  indentFromArgText: true,
  checks80: true,
  errorsTag: false,
  errorsBlamesReturns: false,
  commentAfterDocIsJunk: false,
  rejectNoteExample: false,
  membersMustBeDocumented: false,
  documentationExceptions: false,
  headings: 'free',
  docLineFormat: false,
  stubInsertionCrash: false,
};
const R81: QapiRules = { ...R72, tagsByWord: false, indentFromArgText: false, checks80: false };
const R90: QapiRules = {
  ...R81,
  oldDocParser: false,
  errorsTag: true,
  errorsBlamesReturns: true,
  commentAfterDocIsJunk: true,
  membersMustBeDocumented: true,
  documentationExceptions: true,
  headings: 'first',
};
const R91: QapiRules = { ...R90, errorsBlamesReturns: false, commentAfterDocIsJunk: false, rejectNoteExample: true };
const R100: QapiRules = { ...R91, maxFeatures: 64, stubInsertionCrash: true };
const R101: QapiRules = { ...R100, headings: 'text' };
const R102: QapiRules = { ...R101, docLineFormat: true };

const RULES: Record<RuleSet, QapiRules> = {
  '7.2': R72,
  '8.0': R72, // 8.0 changed only types and names in the frontend
  '8.1': R81,
  '8.2': R81, // 8.2 changed only type annotations
  '9.0': R90,
  '9.1': R91,
  '9.2': R91, // 9.2: QType's C prefix, no check changed
  '10.0': R100,
  '10.1': R101,
  '10.2': R102,
};

export function rulesFor(set: RuleSet): QapiRules {
  return RULES[set];
}
