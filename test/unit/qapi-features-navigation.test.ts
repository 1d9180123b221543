// Go to definition, references and document links across the fixture tree's includes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToUri } from '../../server/src/service/common/paths';
import { COMMON, MIGRATION, TREE, language, positionOf, qapiDoc, settings } from '../helpers/qapiFeatures';

const lang = language();
const migration = qapiDoc(MIGRATION);
const common = qapiDoc(COMMON);
const line = (doc: ReturnType<typeof qapiDoc>, needle: string) => positionOf(doc, needle).line;

test('definition of a type used in one file lands on its name in the included file', () => {
  const locs = lang.definition(migration, positionOf(migration, "'StrOrNull'", 3), settings);
  assert.deepEqual(locs, [
    {
      uri: pathToUri(COMMON),
      range: { start: { line: line(common, "'StrOrNull'"), character: 16 }, end: { line: line(common, "'StrOrNull'"), character: 25 } },
    },
  ]);
});

test('definition from a member name goes to its type; from a discriminator to the base member', () => {
  const [t] = lang.definition(migration, positionOf(migration, "'*switch'", 3), settings);
  assert.equal(t.uri, pathToUri(COMMON));
  assert.equal(t.range.start.line, line(common, "{ 'enum': 'OnOffAuto'"));
  const [d] = lang.definition(migration, positionOf(migration, "'discriminator': 'mode'", 19), settings);
  assert.equal(d.uri, pathToUri(MIGRATION));
  assert.equal(d.range.start.line, line(migration, "'data': { 'mode': 'MigMode' }"));
});

test('definition of an include path opens the included file', () => {
  const [l] = lang.definition(migration, positionOf(migration, "'../common.json'", 4), settings);
  assert.equal(l.uri, pathToUri(COMMON));
});

test('references of a type: every use across files, with the declaration when asked', () => {
  const at = positionOf(common, "'OnOffAuto'", 2);
  const uses = lang.references(common, at, settings, false);
  assert.deepEqual(
    uses.map((l) => [l.uri, l.range.start.line]),
    [[pathToUri(MIGRATION), line(migration, "'OnOffAuto'")]],
  );
  const all = lang.references(common, at, settings, true);
  assert.equal(all.length, 2);
  assert.equal(all[0].uri, pathToUri(COMMON));
  // From a use, the same answer.
  assert.deepEqual(lang.references(migration, positionOf(migration, "'OnOffAuto'", 2), settings, true), all);
});

test('document links: include paths of this file only, to the resolved files', () => {
  const root = qapiDoc(`${TREE}/qapi-schema.json`);
  assert.deepEqual(
    lang.documentLinks(root, settings).map((l) => l.target),
    ['pragma.json', 'common.json', 'sub/migration.json'].map((f) => pathToUri(`${TREE}/${f}`)),
  );
  assert.deepEqual(
    lang.documentLinks(migration, settings).map((l) => l.target),
    [pathToUri(COMMON)],
  );
});

test('definition from a doc comment entry goes to the member it documents', () => {
  const [l] = lang.definition(migration, positionOf(migration, '# @switch:', 4), settings);
  assert.deepEqual([l.uri, l.range.start.line], [pathToUri(MIGRATION), line(migration, "'*switch'")]);
});
