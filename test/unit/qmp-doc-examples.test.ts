// QAPI doc examples (`.. qmp-example::` and older `Example:` sections) checked
// against the schema they document, with ranges in the .json file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { memoryFiles, overlayFiles } from '../../server/src/service/common/files';
import { checkDocExamples } from '../../server/src/service/qmp/docExamples';
import { qapiSchema } from '../../server/src/service/qmp/schema/qapi';
import { sharedQemu } from '../helpers/shared';
import { disk, service, settings } from '../helpers/qmp';

const ROOT = '/q/qapi/qapi-schema.json';
const schema = `{ 'include': 'mig.json' }`;
const mig = `##
# @MigrateSetParameters:
#
# @downtime-limit: pause limit
#
# Since: 2.4
##
{ 'struct': 'MigrateSetParameters', 'data': { '*downtime-limit': 'uint64' } }

##
# @migrate-set-parameters:
#
# Set parameters.
#
# Since: 2.4
#
# .. qmp-example::
#
#     -> { "execute": "migrate-set-parameters" ,
#          "arguments": { "downtime_limit": 1,
#                         "downtime-limit": "300" } }
#     <- { "return": {} }
##
{ 'command': 'migrate-set-parameters', 'boxed': true, 'data': 'MigrateSetParameters' }

##
# @query-thing:
#
# Example:
#
# -> { "execute": "query-thingy" }
# <- { "return": {} }
##
{ 'command': 'query-thing' }
`;

test('doc examples: unknown argument and wrong type in a qmp-example, unknown command in an old Example section', () => {
  const svc = service(memoryFiles({ [ROOT]: schema, '/q/qapi/mig.json': mig, '/q/VERSION': '10.2.0\n' }));
  const check = svc.qapi.project.check(ROOT, settings({ qemuVersion: 'auto' }));
  if (check.model.definitions.length === 0)
    assert.fail(`the QAPI checker read no definitions: ${JSON.stringify([...check.diagnostics.values()].flat().map((d) => d.message))}`);
  const got = checkDocExamples(check).get('/q/qapi/mig.json') ?? [];
  const lines = mig.split('\n');
  const at = (i: number) => {
    const r = got[i].range;
    return lines[r.start.line].slice(r.start.character, r.end.character);
  };
  assert.deepEqual(
    got.map((d) => `${d.range.start.line + 1}:${d.code}`),
    ['20:qmp-unknown-argument', '21:qmp-size-string', '31:qmp-command-not-found'],
  );
  assert.equal(at(0), '"downtime_limit"');
  assert.equal(at(1), '"300"');
  assert.equal(at(2), '"query-thingy"');
});

const qapi102 = sharedQemu('schemas/v10.2.0/qapi/qapi-schema.json');

test('doc examples of the real QEMU 10.2 schema: findings point at the example text', { skip: qapi102.skip }, () => {
  const check = disk().qapi.project.check(qapi102.path, settings({ qemuVersion: 'auto' }));
  const found = checkDocExamples(check);
  const mig = found.get(join(dirname(qapi102.path), 'migration.json')) ?? [];
  // set-vcpu-dirty-limit's example closes its object before "arguments" (a real doc slip).
  const text = readFileSync(join(dirname(qapi102.path), 'migration.json'), 'utf8').split('\n');
  const slip = mig.find((d) => /set-vcpu-dirty-limit/.test(String(d.message)));
  assert.ok(slip, 'the set-vcpu-dirty-limit example is reported');
  assert.match(text[slip!.range.start.line], /^# +-> \{"execute": "set-vcpu-dirty-limit"\}/);
  for (const [path, diags] of found) {
    const lines = readFileSync(path, 'utf8').split('\n');
    for (const d of diags) assert.match(lines[d.range.start.line], /^#/, `${path}:${d.range.start.line + 1} is a doc comment line`);
  }
});

test('doc examples after edits: the QAPI-derived schema is reused while its content is the same, and findings follow the text', () => {
  const overlay = new Map<string, string>([
    [ROOT, schema],
    ['/q/qapi/mig.json', mig],
    ['/q/VERSION', '10.2.0\n'],
  ]);
  const svc = service(overlayFiles(overlay, memoryFiles({})));
  const s = settings({ qemuVersion: 'auto' });
  const lines = (check: ReturnType<typeof svc.qapi.project.check>) =>
    (checkDocExamples(check).get('/q/qapi/mig.json') ?? []).map((d) => `${d.range.start.line + 1}:${d.code}`);
  const first = svc.qapi.project.check(ROOT, s);
  assert.deepEqual(lines(first), ['20:qmp-unknown-argument', '21:qmp-size-string', '31:qmp-command-not-found']);
  const base = qapiSchema(first.model, '10.2');
  // Two lines inserted at the top, nothing the schema says changed: same schema object, findings moved down.
  overlay.set('/q/qapi/mig.json', `\n\n${mig}`);
  const moved = svc.qapi.project.check(ROOT, s);
  assert.notEqual(moved.model, first.model);
  assert.equal(qapiSchema(moved.model, '10.2'), base);
  assert.deepEqual(lines(moved), ['22:qmp-unknown-argument', '23:qmp-size-string', '33:qmp-command-not-found']);
  // A member's doc changes: a new schema with the new doc (hover reads it).
  overlay.set('/q/qapi/mig.json', mig.replace('# @downtime-limit: pause limit', '# @downtime-limit: the pause limit'));
  const redoc = qapiSchema(svc.qapi.project.check(ROOT, s).model, '10.2');
  assert.notEqual(redoc, base);
  const rt = redoc?.types.get('MigrateSetParameters');
  assert.equal(rt?.kind === 'object' ? rt.members.get('downtime-limit')?.doc : undefined, 'the pause limit');
  // The member becomes a string: a new schema, and the example's "300" is no longer wrong.
  overlay.set('/q/qapi/mig.json', mig.replace("'*downtime-limit': 'uint64'", "'*downtime-limit': 'str'"));
  const changed = svc.qapi.project.check(ROOT, s);
  const other = qapiSchema(changed.model, '10.2');
  assert.notEqual(other, base);
  const t = other?.types.get('MigrateSetParameters');
  assert.equal(t?.kind === 'object' ? t.members.get('downtime-limit')?.type : undefined, 'str');
  assert.deepEqual(lines(changed), ['20:qmp-unknown-argument', '31:qmp-command-not-found']);
  // A type of another file that did not change keeps its object.
  overlay.set('/q/qapi/mig.json', `${mig}\n{ 'struct': 'Extra', 'data': { 'a': 'int' } }\n`);
  const added = qapiSchema(svc.qapi.project.check(ROOT, s).model, '10.2');
  assert.notEqual(added, other);
  assert.ok(added?.types.has('Extra'));
});
