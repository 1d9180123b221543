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

/** `onlyPath` limits the work to one file of the tree (the document being edited). */
export function checkDocExamples(check: SchemaCheck, onlyPath?: string): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const version = formatVersion(check.version.version);
  const base = qapiSchema(check.model, version);
  if (!base) return out;
  const schema = enrich(base, factsSchema(version));
  for (const [path, exprs] of check.model.expressions) {
    if (onlyPath !== undefined && path !== onlyPath) continue;
    const diags: Diagnostic[] = [];
    for (const e of exprs) if (e.doc) diags.push(...checkBlock(e.doc, schema));
    if (diags.length) out.set(path, diags);
  }
  return out;
}

function checkBlock(doc: DocBlock, schema: QmpSchema): Diagnostic[] {
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
  if (!virtual.some((l) => l)) return [];
  const script = parseScript(virtual.join('\n'));
  const findings = checkScript(script, schema).report.findings.filter((f) => !LEFT_OUT.has(f.code));
  if (!findings.length) return [];
  const first = doc.range.start.line + 1;
  return toDiagnostics(findings, (offset) => {
    let l = 0;
    while (l + 1 < script.lineStarts.length && script.lineStarts[l + 1] <= offset) l++;
    // Doc lines lost their leading "# ".
    return { line: first + l, character: offset - script.lineStarts[l] + 2 };
  }).map((d) => ({ ...d, source: 'qapi-doc-example', message: `doc example: ${d.message}` }));
}
