// Quick fixes on the fixture tree: each fix is applied and the schema re-checked, so
// a test passes only when the fix really removes the problem.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { neverCancelled } from '../../server/src/service/common/cancellation';
import { MIGRATION, language, qapiDoc, settings } from '../helpers/qapiFeatures';

const original = readFileSync(MIGRATION, 'utf8');

/** Checks `text` as migration.json; returns its diagnostics and the quick fixes offered for each. */
function check(text: string) {
  const lang = language({ [MIGRATION]: text });
  const doc = qapiDoc(MIGRATION, text);
  const diagnostics = [...lang.validate(doc, settings, neverCancelled).values()].flat();
  const fixes = (d: Diagnostic) => lang.codeActions(doc, d.range, { diagnostics: [d] }, settings);
  return { doc, diagnostics, fixes };
}

function apply(doc: TextDocument, action: CodeAction): string {
  const edits = action.edit!.changes![doc.uri] as TextEdit[];
  return TextDocument.applyEdits(doc, edits);
}

/** Breaks the file with `from` -> `to`, applies the one preferred fix for `code`, and expects a clean check. */
function fixes(from: string | RegExp, to: string, code: string): { fixed: string; action: CodeAction } {
  const broken = original.replace(from, to);
  assert.notEqual(broken, original, 'the test must change the file');
  const c = check(broken);
  const d = c.diagnostics.find((x) => x.code === code);
  assert.ok(d, `expected a ${code} diagnostic, got ${JSON.stringify(c.diagnostics.map((x) => x.code))}`);
  const actions = c.fixes(d);
  const preferred = actions.filter((a) => a.isPreferred);
  assert.equal(preferred.length, 1, JSON.stringify(actions.map((a) => a.title)));
  const fixed = apply(c.doc, preferred[0]);
  assert.deepEqual(
    check(fixed).diagnostics.map((x) => `${x.code}: ${x.message}`),
    [],
  );
  return { fixed, action: preferred[0] };
}

test('a misspelled type becomes the defined one (quotes and brackets kept)', () => {
  const { fixed, action } = fixes("'*tls-creds': 'StrOrNull'", "'*tls-creds': 'StrOrNul'", 'unknown-type');
  assert.equal(action.title, "Change to 'StrOrNull'");
  assert.equal(fixed, original);
  const arr = fixes("'pages': 'int'", "'pages': ['MigNormall']", 'unknown-type');
  assert.match(arr.fixed, /'pages': \['MigNormal'\]/);
});

test('a member missing from the doc comment is added after the member before it', () => {
  const { fixed, action } = fixes('#\n# @switch: a three-way switch\n', '', 'doc-missing-member');
  assert.equal(action.title, "Document member 'switch' (adds '# @switch: TODO')");
  assert.match(fixed, /#     in bytes per second \(Since 8\.2\)\n#\n# @switch: TODO\n#\n# Features:/);
});

test('the first member, when missing, goes before the next documented one', () => {
  const { fixed } = fixes('# @tls-creds: credentials id, or null for none\n#\n', '', 'doc-missing-member');
  assert.match(fixed, /# Parameters of a migration\.\n#\n# @tls-creds: TODO\n#\n# @avail-switchover-bandwidth:/);
});

test('a member of a definition with no member docs goes before the first section', () => {
  const { fixed } = fixes('# @pages: page count\n#\n', '', 'doc-missing-member');
  assert.match(fixed, /# Details of a normal migration\.\n#\n# @pages: TODO\n#\n# Since: 9\.0/);
});

test('an undocumented feature gets a Features section before the first section tag', () => {
  const { fixed } = fixes('# Features:\n#\n# @unstable: Members are experimental.\n#\n', '', 'doc-missing-feature');
  assert.match(fixed, /# @switch: a three-way switch\n#\n# Features:\n#\n# @unstable: TODO\n#\n# Since: 2\.4/);
});

test('no fix where none is unambiguous: no suggestion, or diagnostics elsewhere', () => {
  const c = check(original.replace("'*tls-creds': 'StrOrNull'", "'*tls-creds': 'Zzzzzzzzzzzz'"));
  const d = c.diagnostics.find((x) => x.code === 'unknown-type')!;
  assert.ok(d);
  assert.deepEqual(c.fixes(d), []);
  const lang = language();
  const doc = qapiDoc(MIGRATION);
  assert.deepEqual(lang.codeActions(doc, d.range, { diagnostics: [] }, settings), []);
});
