// Across the QAPI/C edge on QEMU's 8.2 and 10.2 trees (../shared/qemu/c-trees), through
// the language service as the server and CLI use it: generated C names on hover in the
// schema, schema -> C (handler definition, uses), C -> schema (hover, definition), and
// nothing at all for C identifiers the generator does not make or outside a QEMU tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, MarkupContent, Position } from 'vscode-languageserver-types';
import { CachedFiles, diskFiles } from '../../server/src/service/common/files';
import { pathToUri } from '../../server/src/service/common/paths';
import { defaultSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';
import { REPO, sharedQemu } from '../helpers/shared';

const service = createLanguageService({ files: new CachedFiles(diskFiles, Infinity) });
const s = defaultSettings;

function doc(path: string, languageId: string): TextDocument {
  return TextDocument.create(pathToUri(path), languageId, 1, readFileSync(path, 'utf8'));
}
/** Position inside the `nth` (1-based) occurrence of `needle`, `shift` characters in. */
function at(d: TextDocument, needle: string, shift = 1, nth = 1): Position {
  const text = d.getText();
  let i = -1;
  for (let k = 0; k < nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not found`);
  return d.positionAt(i + shift);
}
const hoverText = (d: TextDocument, p: Position) => (service.hover(d, p, s)?.contents as MarkupContent | undefined)?.value ?? '';
const lineOf = (l: Location) => readFileSync(new URL(l.uri), 'utf8').split('\n')[l.range.start.line];
const textOf = (l: Location) => lineOf(l).slice(l.range.start.character, l.range.end.character);

for (const v of ['v8.2.0', 'v10.2.0']) {
  const tree = sharedQemu(`c-trees/${v}`);
  describe(`QAPI/C edge on QEMU ${v}`, { skip: tree.skip }, () => {
    const json = () => doc(join(tree.path, 'qapi/migration.json'), 'qapi');
    const c = (rel: string) => doc(join(tree.path, rel), 'c');

    test('hover in the schema shows the generated C: fields and has_ flag, enum constant, handler, emitter, visitor', () => {
      const d = json();
      const params = d.getText().indexOf("{ 'struct': 'MigrationParameters'");
      const member = hoverText(d, d.positionAt(d.getText().indexOf("'*avail-switchover-bandwidth'", params) + 3));
      assert.match(member, /\(member of struct MigrationParameters\)/); // the schema's own hover stays first
      assert.match(member, /bool has_avail_switchover_bandwidth;\nuint64_t avail_switchover_bandwidth;/);
      const value = hoverText(d, at(d, "'avail-switchover-bandwidth'", 3)); // first: in enum MigrationParameter
      assert.match(value, /MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH/);
      assert.match(hoverText(d, at(d, "'query-migrate-parameters'", 3)), /MigrationParameters \*qmp_query_migrate_parameters\(Error \*\*errp\);/);
      assert.match(hoverText(d, at(d, "'migrate-set-parameters'", 3)), /void qmp_migrate_set_parameters\(MigrateSetParameters \*arg, Error \*\*errp\);/);
      assert.match(hoverText(d, at(d, "{ 'event': 'MIGRATION'", 14)), /void qapi_event_send_migration\(MigrationStatus status\);/);
      assert.match(
        hoverText(d, at(d, "{ 'struct': 'MigrationParameters'", 15)),
        /bool visit_type_MigrationParameters\(Visitor \*v, const char \*name, MigrationParameters \*\*obj, Error \*\*errp\);/,
      );
    });

    test('definition of a command in the schema: its qmp_ handler in C', () => {
      const d = json();
      const locs = service.definition(d, at(d, "'query-migrate-parameters'", 3), s);
      const handler = locs.find((l) => l.uri.endsWith('/migration/options.c'));
      assert.ok(handler, JSON.stringify(locs));
      assert.equal(textOf(handler), 'qmp_query_migrate_parameters');
      assert.match(lineOf(handler), /^MigrationParameters \*qmp_query_migrate_parameters\(Error \*\*errp\)/);
    });

    test('references of an enum value, a member and a type reach their uses in C', () => {
      const d = json();
      const value = service.references(d, at(d, "'avail-switchover-bandwidth'", 3), s, false).filter((l) => l.uri.endsWith('.c'));
      assert.ok(value.some((l) => l.uri.endsWith('/migration/migration-hmp-cmds.c') && /case MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH/.test(lineOf(l))));
      assert.ok(value.every((l) => textOf(l) === 'MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH'));

      const params = d.getText().indexOf("{ 'struct': 'MigrationParameters'");
      const member = service
        .references(d, d.positionAt(d.getText().indexOf("'*avail-switchover-bandwidth'", params) + 3), s, false)
        .filter((l) => l.uri.endsWith('.c'));
      const inOptions = member.filter((l) => l.uri.endsWith('/migration/options.c'));
      assert.ok(inOptions.some((l) => /params->has_avail_switchover_bandwidth = true;/.test(lineOf(l))));
      assert.ok(inOptions.some((l) => /DEFINE_PROP_SIZE|parameters\.avail_switchover_bandwidth, 0\)/.test(lineOf(l))));
      assert.ok(member.every((l) => /^(has_)?avail_switchover_bandwidth$/.test(textOf(l))));

      const type = service.references(d, at(d, "{ 'struct': 'MigrationParameters'", 15), s, false).filter((l) => l.uri.endsWith('.c'));
      assert.ok(type.some((l) => /MigrationParameters \*qmp_query_migrate_parameters/.test(lineOf(l))));
    });

    test('in C, hover and definition on a generated identifier lead back to the schema', () => {
      const hmp = c('migration/migration-hmp-cmds.c');
      const p = at(hmp, 'case MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH', 10);
      assert.match(hoverText(hmp, p), /value `avail-switchover-bandwidth` of enum `MigrationParameter`/);
      const [def] = service.definition(hmp, p, s);
      assert.equal(def.uri, pathToUri(join(tree.path, 'qapi/migration.json')));
      assert.equal(textOf(def), 'avail-switchover-bandwidth');

      const options = c('migration/options.c');
      const q = at(options, 'qmp_query_migrate_parameters(Error', 3);
      assert.match(hoverText(options, q), /command `query-migrate-parameters`/);
      const [cmd] = service.definition(options, q, s);
      assert.equal(textOf(cmd), 'query-migrate-parameters');

      const has = service.definition(options, at(options, 'params->has_avail_switchover_bandwidth', 10), s);
      assert.ok(has.length >= 1 && has.every((l) => textOf(l) === 'avail-switchover-bandwidth'), JSON.stringify(has));
    });

    test('in C, identifiers the generator does not make get nothing (the C extension answers those)', () => {
      const options = c('migration/options.c');
      for (const needle of ['migrate_get_current()', 'MAX_THROTTLE', 'DEFINE_PROP_SIZE', 'MigrationState *s']) {
        const p = at(options, needle, 2);
        assert.equal(service.hover(options, p, s), null, needle);
        assert.deepEqual(service.definition(options, p, s), [], needle);
      }
    });
  });
}

test('a C file outside a QEMU tree gets nothing', () => {
  const d = TextDocument.create(pathToUri(join(REPO, 'nowhere', 'x.c')), 'c', 1, 'MigrationParameters *qmp_query_migrate_parameters(Error **errp);\n');
  assert.equal(service.hover(d, { line: 0, character: 25 }, s), null);
  assert.deepEqual(service.definition(d, { line: 0, character: 25 }, s), []);
  assert.deepEqual(service.validate(d, s), new Map());
});
