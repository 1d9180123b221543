// Outline, folding, workspace symbols, the status item and the migration inputs of
// a schema position, over the fixture tree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SymbolKind } from 'vscode-languageserver-types';
import { pathToUri } from '../../server/src/service/common/paths';
import { COMMON, MIGRATION, TREE, editedAt, language, positionOf, qapiDoc, settings } from '../helpers/qapiFeatures';

const lang = language();
const migration = qapiDoc(MIGRATION);

test('outline: includes and definitions in file order, with members as children', () => {
  const symbols = lang.documentSymbols(migration, settings);
  assert.deepEqual(
    symbols.map((s) => [s.name, s.kind]),
    [
      ['common.json', SymbolKind.File],
      ['MigMode', SymbolKind.Enum],
      ['MigBase', SymbolKind.Struct],
      ['MigNormal', SymbolKind.Struct],
      ['MigSetup', SymbolKind.Class],
      ['MigrationParameters', SymbolKind.Struct],
      ['query-migrate-parameters', SymbolKind.Function],
      ['MIG_DONE', SymbolKind.Event],
    ],
  );
  const params = symbols[5];
  assert.deepEqual(
    params.children!.map((c) => [c.name, c.detail]),
    [
      ['tls-creds', 'optional StrOrNull'],
      ['avail-switchover-bandwidth', 'optional size'],
      ['switch', 'optional OnOffAuto'],
    ],
  );
  assert.deepEqual(
    symbols[1].children!.map((c) => [c.name, c.kind]),
    [
      ['normal', SymbolKind.EnumMember],
      ['fast', SymbolKind.EnumMember],
    ],
  );
});

test('outline: at most maxItemsComputed symbols, parents before children', () => {
  const capped = lang.documentSymbols(migration, { ...settings, maxItemsComputed: 4 });
  const count = (list: typeof capped): number => list.reduce((n, s) => n + 1 + count(s.children ?? []), 0);
  assert.equal(count(capped), 4);
  assert.deepEqual(
    capped.map((s) => s.name),
    ['common.json', 'MigMode'],
  );
});

test('folding: doc blocks as comments and multi-line expressions as regions, capped', () => {
  const ranges = lang.foldingRanges(migration, settings);
  const text = migration.getText().split('\n');
  const params = text.findIndex((l) => l.startsWith("{ 'struct': 'MigrationParameters'"));
  assert.ok(ranges.some((r) => r.kind === 'region' && r.startLine === params && text[r.endLine].endsWith('} } }')));
  const docOpen = text.lastIndexOf('##', params - 2);
  assert.ok(ranges.some((r) => r.kind === 'comment' && r.startLine === docOpen && r.endLine === params - 1));
  for (const r of ranges) assert.ok(r.endLine > r.startLine);
  assert.equal(lang.foldingRanges(migration, { ...settings, maxItemsComputed: 3 }).length, 3);
});

test('folding works on text the checker rejects (an unclosed doc block and brace)', () => {
  const { lang: l, doc } = editedAt(MIGRATION, "##\n# @Broken:\n#\n# text\n{ 'struct': 'Broken',\n  'data': {\n|");
  const ranges = l.foldingRanges(doc, settings);
  assert.deepEqual(ranges, [{ startLine: 0, endLine: 3, kind: 'comment' }]);
});

test('workspace symbols: definitions of the schemas worked with, best matches first', () => {
  const l = language();
  assert.deepEqual(l.workspaceSymbols('mig', settings), [], 'nothing is known before a schema is opened');
  l.hover(migration, positionOf(migration, 'MigBase'), settings);
  const found = l.workspaceSymbols('migmode', settings);
  assert.deepEqual(
    found.map((s) => [s.name, s.location.uri]),
    [['MigMode', pathToUri(MIGRATION)]],
  );
  const fuzzy = l.workspaceSymbols('oof', settings).map((s) => s.name);
  assert.deepEqual(fuzzy, ['OnOffAuto']);
  assert.equal(l.workspaceSymbols('', { ...settings, maxItemsComputed: 2 }).length, 2);
  const byRoot = language().workspaceSymbols('StrOr', { ...settings, schemaRoot: `${TREE}/qapi-schema.json` });
  assert.deepEqual(
    byRoot.map((s) => [s.name, s.location.uri]),
    [['StrOrNull', pathToUri(COMMON)]],
  );
});

test('status: the rules in force and where they came from', () => {
  const s = lang.status(migration, settings);
  assert.equal(s.text, 'QEMU 10.2 rules (VERSION file)');
  assert.match(s.detail, /VERSION file .*tree\/VERSION/);
  assert.match(s.detail, /4 files, 9 definitions/);
  // Every release 7.2-10.2 has its own rules; an older one gets the oldest.
  const pinned = lang.status(migration, { ...settings, qemuVersion: '8.1' });
  assert.equal(pinned.text, 'QEMU 8.1 rules (setting)');
  const old = lang.status(migration, { ...settings, qemuVersion: '6.2' });
  assert.equal(old.text, 'QEMU 7.2 rules (setting)');
  assert.match(old.detail, /QEMU 6\.2 uses the 7\.2 rules/);
});

test('migration inputs: on a MigrationParameters member, the schema version and that member as focus', () => {
  const inputs = lang.migrationInputsAt(migration, positionOf(migration, "'*avail-switchover-bandwidth'", 5), settings);
  assert.equal(inputs?.qemuVersion, '10.2');
  assert.equal(inputs?.focus, 'avail-switchover-bandwidth');
  assert.deepEqual(inputs?.parameters, {});
  assert.deepEqual(inputs?.capabilities, {});
  const fromDoc = lang.migrationInputsAt(migration, positionOf(migration, '# @avail-switchover-bandwidth:', 4), settings);
  assert.equal(fromDoc?.focus, 'avail-switchover-bandwidth');
  assert.equal(lang.migrationInputsAt(migration, positionOf(migration, "'pages'", 2), settings), null);
  assert.equal(lang.migrationInputsAt(migration, positionOf(migration, '# = Migration'), settings), null);
});
