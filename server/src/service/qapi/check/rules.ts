// What changes between the QEMU versions whose schema checks we reproduce
// (see docs/qapi-language.md, "Rules that differ by QEMU version").
import type { RuleSet } from '../../common/versions';

export interface QapiRules {
  /** 7.2 recognises a section tag only as the whole first word ("Since:"); later versions match a pattern. */
  tagsByWord: boolean;
  /** 9.2+: a `Returns:` section on a command without 'returns' is an error. */
  returnsNeedsReturns: boolean;
  /** 9.2+: `Errors:` is a section tag. */
  errorsTag: boolean;
  /** 9.2+: `Note:`/`Example:` sections are rejected in favour of rST directives. */
  rejectNoteExample: boolean;
  /** 7.2/8.2: QEMU's older doc parser, where a section runs until the next tag (see docs.ts). */
  oldDocParser: boolean;
  /** 7.2: the indent of an `@arg:` description is fixed by the text after `@arg:`; later by its first continuation line. */
  indentFromArgText: boolean;
  /** 9.2+: every member must be documented unless the definition is in `documentation-exceptions`. */
  membersMustBeDocumented: boolean;
  /** 9.2+: the `documentation-exceptions` pragma exists. */
  documentationExceptions: boolean;
  /** How `=` heading lines are treated: 7.2/8.2 free in free-form blocks, 9.2 first line only, 10.2 plain text. */
  headings: 'free' | 'first' | 'text';
  /** 10.2: doc lines at most 70 columns and two spaces between sentences (outside literal blocks). */
  docLineFormat: boolean;
  /** 10.2: at most this many distinct features per schema. */
  maxFeatures?: number;
}

const RULES: Record<RuleSet, QapiRules> = {
  '7.2': {
    tagsByWord: true, returnsNeedsReturns: false, errorsTag: false, rejectNoteExample: false, oldDocParser: true, indentFromArgText: true,
    membersMustBeDocumented: false, documentationExceptions: false, headings: 'free', docLineFormat: false,
  },
  '8.2': {
    tagsByWord: false, returnsNeedsReturns: false, errorsTag: false, rejectNoteExample: false, oldDocParser: true, indentFromArgText: false,
    membersMustBeDocumented: false, documentationExceptions: false, headings: 'free', docLineFormat: false,
  },
  '9.2': {
    tagsByWord: false, returnsNeedsReturns: true, errorsTag: true, rejectNoteExample: true, oldDocParser: false, indentFromArgText: false,
    membersMustBeDocumented: true, documentationExceptions: true, headings: 'first', docLineFormat: false,
  },
  '10.2': {
    tagsByWord: false, returnsNeedsReturns: true, errorsTag: true, rejectNoteExample: true, oldDocParser: false, indentFromArgText: false,
    membersMustBeDocumented: true, documentationExceptions: true, headings: 'text', docLineFormat: true,
    maxFeatures: 64,
  },
};

export function rulesFor(set: RuleSet): QapiRules {
  return RULES[set];
}
