// Hover over the fixture tree: definitions, members, type references (across
// includes), features, enum values, discriminators, include paths, built-in types.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { COMMON, MIGRATION, language, positionOf, qapiDoc, settings } from '../helpers/qapiFeatures';

const lang = language();
const migration = qapiDoc(MIGRATION);
const hoverText = (needle: string, delta = 1, nth = 1, doc = migration) => {
  const h = lang.hover(doc, positionOf(doc, needle, delta, nth), settings);
  return h ? (h.contents as MarkupContent).value : undefined;
};

test('hover on a member: its type, optionality, features, since and doc text', () => {
  const v = hoverText("avail-switchover-bandwidth'", 0)!;
  assert.match(v, /\(member of struct MigrationParameters\) avail-switchover-bandwidth\?: size/);
  assert.match(v, /Since 8\.2/);
  assert.match(v, /Features: \*\*unstable\*\*/);
  assert.match(v, /Optional\./);
  assert.match(v, /Unit: B\/s \(bytes per second\) · Default: `0`/, 'facts the extension ships about the parameter');
  // Continuation lines lose their indent (4 spaces would make a Markdown code block).
  assert.match(v, /bandwidth available at switchover,\nin bytes per second/);
});

test('hover on a member with an if condition shows it', () => {
  assert.match(hoverText("'*switch'", 3)!, /Available if `CONFIG_SWITCH`/);
});

test('hover on a type reference describes the definition from another file', () => {
  const v = hoverText("'StrOrNull'", 2)!;
  assert.match(v, /alternate StrOrNull/);
  assert.match(v, /A string, or null to reset a value\./);
  assert.match(v, /Since 2\.10/);
  assert.match(v, /Defined in `common\.json`/);
});

test('hover on a definition name: kind, since, condition, doc body; command facts', () => {
  const e = hoverText("'MIG_DONE'", 2)!;
  assert.match(e, /event MIG_DONE/);
  assert.match(e, /Available if `CONFIG_MIG`/);
  assert.match(e, /Emitted when a migration ends\./);
  const c = hoverText("'query-migrate-parameters'", 2)!;
  assert.match(c, /command query-migrate-parameters/);
  assert.match(c, /Returns: `MigrationParameters`/);
  assert.match(c, /Flags: allow-preconfig/);
});

test('hover on an enum value, a feature, a discriminator, an include, a built-in type', () => {
  const common = qapiDoc(COMMON);
  assert.match(hoverText("'auto'", 2, 1, common)!, /\(value of enum OnOffAuto\) auto[\s\S]*QEMU decides/);
  assert.match(hoverText("'unstable'", 2)!, /\(feature of MigrationParameters\.avail-switchover-bandwidth\) unstable[\s\S]*Members are experimental/);
  assert.match(hoverText("'discriminator': 'mode'", 19)!, /\(member of struct MigBase\) mode: MigMode/);
  assert.match(hoverText("'../common.json'", 3)!, /Includes `.*common\.json`/);
  assert.match(hoverText("'size'", 2)!, /Built-in type: a size in bytes/);
});

test('no hover on punctuation, comments and blank lines', () => {
  assert.equal(hoverText('# = Migration', 3), undefined);
  assert.equal(hoverText("{ 'struct': 'MigBase'", 0), undefined);
});

test('hover on a doc comment entry describes what it documents', () => {
  assert.match(hoverText('# @avail-switchover-bandwidth:', 5)!, /\(member of struct MigrationParameters\) avail-switchover-bandwidth\?: size/);
  assert.match(hoverText('# @unstable:', 5)!, /\(feature of MigrationParameters\.avail-switchover-bandwidth\) unstable/);
  assert.match(hoverText('# @MigBase:', 5)!, /struct MigBase/);
  assert.equal(hoverText('# @MigBase:', 1), undefined, 'only the name itself');
});

test('members of other structs get no migration facts', () => {
  assert.doesNotMatch(hoverText("'pages'", 2)!, /Unit:|Default:/);
});
