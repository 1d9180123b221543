// What the checker's stages computed from one top-level expression or doc block,
// kept on the parsed file's items: it lives exactly as long as the parse is cached
// (an edited file is re-parsed and starts empty), and needs no weak map lookups,
// which cost a full check of a large schema a noticeable share of its time.
import type { RuleSet } from '../../common/versions';
import type { DocBlock } from '../model';
import type { ModelEntry } from '../project';
import type { ParsedDoc } from './docs';
import type { ExprResult } from './exprs';
import type { QapiRules } from './rules';
import type { Plan } from './schema';

export interface ExprMemo {
  /** The expression check, for the rules and pragmas it was made with. */
  check: { rules: QapiRules; pragmaKey: string; result: ExprResult } | undefined;
  /** The entities it defines, for the doc it was planned with. */
  plan: { doc?: ParsedDoc; plan: Plan } | undefined;
  /** Its model entry (definition, type uses, macros, features). */
  entry: ModelEntry | undefined;
}

export interface DocMemo {
  /** The model's view of the raw block. */
  view: DocBlock | undefined;
  /** The block interpreted under the rule set of the last check (a check under another set replaces it). */
  parsed: { set: RuleSet; doc: ParsedDoc } | undefined;
}

export function exprMemo(): ExprMemo {
  return { check: undefined, plan: undefined, entry: undefined };
}

export function docMemo(): DocMemo {
  return { view: undefined, parsed: undefined };
}
