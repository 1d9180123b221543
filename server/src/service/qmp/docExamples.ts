// The `->` lines of QAPI doc examples (`.. qmp-example::` blocks and the older
// `Example:` sections) checked against the schema they document: unknown command,
// unknown argument, wrong type... Each example stands alone, so checks that depend
// on earlier commands (postcopy state, capability combinations) are left out.
import type { Diagnostic } from 'vscode-languageserver-types';
import { formatVersion } from '../common/versions';
import type { DocBlock, SchemaCheck } from '../qapi/model';
import { checkScript } from './check/index';
import { toDiagnostics } from './check/report';
import { QmpCode } from './codes';
import { factsSchema } from './schema/facts';
import { qapiSchema } from './schema/qapi';
import { enrich } from './schema/select';
import type { QmpSchema } from './schema/types';
import { parseScript } from './script/parse';

// Context-dependent checks, and warnings about the very command being documented.
const LEFT_OUT = new Set<string>([QmpCode.state, QmpCode.capabilityCombination, QmpCode.syntax, QmpCode.deprecated, QmpCode.unstable]);
const EXAMPLE_START = /^(\.\. qmp-example::|Examples?:)\s*$/;
/** A new section or directive ends an example. */
const SECTION = /^(\.\. |[A-Z][A-Za-z ]*:(\s|$))/;

/**
 * The findings of each example text (its doc block's lines, non-example lines blank),
 * with lines counted from the block's first line, per schema. The QAPI-derived schema
 * keeps its identity while its content is unchanged (schema/qapi.ts), so after an
 * edit only the examples whose text changed are parsed and checked again.
 */
const found = new WeakMap<QmpSchema, Map<string, Diagnostic[]>>();
/** Distinct example texts remembered per schema (typing in an example makes new ones). */
const MAX_TEXTS = 4096;

/** `onlyPath` limits the work to one file of the tree (the document being edited). */
export function checkDocExamples(check: SchemaCheck, onlyPath?: string): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const version = formatVersion(check.version.version);
  const base = qapiSchema(check.model, version);
  if (!base) return out;
  const schema = enrich(base, factsSchema(version));
  let memo = found.get(schema);
  if (!memo) found.set(schema, (memo = new Map()));
  for (const [path, exprs] of check.model.expressions) {
    if (onlyPath !== undefined && path !== onlyPath) continue;
    const diags: Diagnostic[] = [];
    for (const e of exprs) if (e.doc) diags.push(...checkBlock(e.doc, schema, memo));
    if (diags.length) out.set(path, diags);
  }
  return out;
}

function checkBlock(doc: DocBlock, schema: QmpSchema, memo: Map<string, Diagnostic[]>): Diagnostic[] {
  const virtual = exampleLines(doc);
  if (!virtual) return [];
  const key = virtual.join('\n');
  let relative = memo.get(key);
  if (!relative) {
    if (memo.size >= MAX_TEXTS) memo.clear();
    memo.set(key, (relative = checkExample(key, schema)));
  }
  if (!relative.length) return relative;
  const first = doc.range.start.line + 1;
  return relative.map((d) => ({
    ...d,
    range: {
      start: { line: d.range.start.line + first, character: d.range.start.character },
      end: { line: d.range.end.line + first, character: d.range.end.character },
    },
  }));
}

/** One virtual line per doc line, holding only the client messages of examples; null when there are none. */
function exampleLines(doc: DocBlock): string[] | null {
  // One virtual line per doc line, holding only the client messages of examples,
  // so offsets map back to the .json file line by line.
  const virtual: string[] = doc.lines.map(() => '');
  let inExample = false;
  let message = -1;
  doc.lines.forEach((line, i) => {
    if (EXAMPLE_START.test(line)) {
      inExample = true;
      message = -1;
      return;
    }
    if (inExample && SECTION.test(line)) {
      inExample = false;
      message = -1;
    }
    if (!inExample) return;
    const t = line.trimStart();
    if (t.startsWith('->')) {
      message = line.length - t.length;
      virtual[i] = line;
      return;
    }
    if (t.startsWith('<-') || t === '') {
      message = -1;
      return;
    }
    if (message >= 0 && line.length - t.length > message) virtual[i] = line;
    else message = -1;
  });
  return virtual.some((l) => l) ? virtual : null;
}

/** Diagnostics of one example text, lines counted from its doc block's first line. */
function checkExample(text: string, schema: QmpSchema): Diagnostic[] {
  const script = parseScript(text);
  const findings = checkScript(script, schema).report.findings.filter((f) => !LEFT_OUT.has(f.code));
  if (!findings.length) return [];
  return toDiagnostics(findings, (offset) => {
    let l = 0;
    while (l + 1 < script.lineStarts.length && script.lineStarts[l + 1] <= offset) l++;
    // Doc lines lost their leading "# ".
    return { line: l, character: offset - script.lineStarts[l] + 2 };
  }).map((d) => ({ ...d, source: 'qapi-doc-example', message: `doc example: ${d.message}` }));
}
