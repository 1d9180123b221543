// Editor features on QEMU's real 10.2 schema (read from ../shared at run time): the
// checker finds the root from migration.json, hover shows the schema's own docs,
// navigation crosses include files, completion offers the whole tree's types.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { diskFiles, overlayFiles } from '../../server/src/service/common/files';
import { pathToUri } from '../../server/src/service/common/paths';
import { createQapiLanguage } from '../../server/src/service/qapi/index';
import { caret, positionOf, settings } from '../helpers/qapiFeatures';
import { sharedQemu } from '../helpers/shared';

const qapi = sharedQemu('schemas/v10.2.0/qapi');
const migrationPath = join(qapi.path, 'migration.json');
const lang = createQapiLanguage(diskFiles);
const migration = () => TextDocument.create(pathToUri(migrationPath), 'qapi', 1, readFileSync(migrationPath, 'utf8'));

test('10.2: hover on avail-switchover-bandwidth in MigrationParameters shows its doc and Since 8.2', { skip: qapi.skip }, () => {
  const doc = migration();
  const at = positionOf(doc, "'*avail-switchover-bandwidth'", 3, 2);
  const v = (lang.hover(doc, at, settings)!.contents as MarkupContent).value;
  assert.match(v, /\(member of struct MigrationParameters\) avail-switchover-bandwidth\?: size/);
  assert.match(v, /Since 8\.2/);
  assert.match(v, /available bandwidth that\s+migration can use during switchover/);
  assert.match(v, /Unit: B\/s \(bytes per second\)/);
  const downtime = (lang.hover(doc, positionOf(doc, "'*downtime-limit'", 3, 2), settings)!.contents as MarkupContent).value;
  assert.match(downtime, /Unit: ms \(milliseconds\) · Default: `300` · QEMU accepts 0\.\.2000000/);
  // The same from its doc comment entry (the third one in the file documents MigrationParameters).
  const fromDoc = lang.hover(doc, positionOf(doc, '# @avail-switchover-bandwidth:', 5, 3), settings);
  assert.equal((fromDoc!.contents as MarkupContent).value, v);
});

test('10.2: go to definition of StrOrNull from migration.json lands in common.json', { skip: qapi.skip }, () => {
  const doc = migration();
  const [loc] = lang.definition(doc, positionOf(doc, "'StrOrNull'", 3), settings);
  assert.equal(loc.uri, pathToUri(join(qapi.path, 'common.json')));
  const common = readFileSync(join(qapi.path, 'common.json'), 'utf8').split('\n');
  assert.match(common[loc.range.start.line], /\{ 'alternate': 'StrOrNull'/);
  const refs = lang.references(doc, positionOf(doc, "'StrOrNull'", 3), settings, false);
  assert.equal(refs.length, 4, 'three uses in migration.json, one in block-core.json');
  assert.ok(refs.some((r) => r.uri.endsWith('/block-core.json')));
});

test('10.2: status, outline and migration inputs of migration.json', { skip: qapi.skip }, () => {
  const doc = migration();
  assert.equal(lang.status(doc, settings).text, 'QEMU 10.2 rules (VERSION file)');
  assert.match(lang.status(doc, settings).detail, /46 files/);
  const outline = lang.documentSymbols(doc, settings);
  assert.ok(outline.some((s) => s.name === 'MigrationParameters' && s.children!.some((c) => c.name === 'avail-switchover-bandwidth')));
  const inputs = lang.migrationInputsAt(doc, positionOf(doc, "'*avail-switchover-bandwidth'", 3), settings);
  assert.deepEqual([inputs?.qemuVersion, inputs?.focus], ['10.2', 'avail-switchover-bandwidth']);
});

test('10.2: completion of a member type offers types from every included file', { skip: qapi.skip }, () => {
  const { text, offset } = caret(`${readFileSync(migrationPath, 'utf8')}\n{ 'struct': 'X', 'data': { 'a': 'Sock|' } }\n`);
  const edited = createQapiLanguage(overlayFiles(new Map([[migrationPath, text]]), diskFiles));
  const doc = TextDocument.create(pathToUri(migrationPath), 'qapi', 2, text);
  const labels = edited.completion(doc, doc.positionAt(offset), settings).items.map((i) => i.label);
  for (const name of ['SocketAddress', 'MigrationStatus', 'BlockdevOptions', 'StrOrNull', 'uint64']) assert.ok(labels.includes(name), name);
});
