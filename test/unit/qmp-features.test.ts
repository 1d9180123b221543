// Hover, completion, quick fixes, code lenses and the migration inputs at a position.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletionList, Hover } from 'vscode-languageserver-types';
import { at, doc, service, settings } from '../helpers/qmp';
const hoverText = (h: Hover | null) => (h ? (h.contents as { value: string }).value : '');
const labels = (c: CompletionList) => c.items.map((i) => i.label);

test('hover on a command and on an argument: type, unit, default, range, since, docs, value in other units', () => {
  const svc = service();
  const { d, pos } = at('{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 12500|00000}}');
  const h = hoverText(svc.hover(d, pos, settings({ qemuVersion: '8.2' })));
  assert.match(h, /\*\*max-bandwidth\*\*: `size` · B\/s/);
  assert.match(h, /default 134217728/);
  assert.match(h, /since 2\.8/);
  assert.match(h, /1250000000 B\/s = 1\.25 GB\/s = 10 Gbit\/s = 1192 MiB\/s/);
  const c = at('{"execute": "migrate-set-para|meters", "arguments": {}}');
  assert.match(hoverText(svc.hover(c.d, c.pos, settings())), /\*\*migrate-set-parameters\*\* — QMP command/);
  const r = at('{"execute": "migrate-set-parameters", "arguments": {"downtime-li|mit": 300}}');
  assert.match(hoverText(svc.hover(r.d, r.pos, settings())), /valid 0 … 2000000/);
  const dep = at('migrate_set_parameter compress-le|vel 3');
  assert.match(hoverText(svc.hover(dep.d, dep.pos, settings({ qemuVersion: '8.2' }))), /Deprecated/);
  const hmp = at('migrate_set_parameter max-bandwidth 1|G');
  assert.match(hoverText(svc.hover(hmp.d, hmp.pos, settings())), /1073741824 B\/s/);
});

test('completion: command names, arguments not given yet, enum and capability values, booleans, snippets', () => {
  const svc = service();
  const s = settings({ qemuVersion: '8.2' });
  const c = (t: string) => {
    const x = at(t);
    return svc.completion(x.d, x.pos, s);
  };
  assert.ok(labels(c('{"execute": "migr|')).includes('migrate-set-parameters'));
  const args = labels(c('{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300, "|'));
  assert.ok(args.includes('avail-switchover-bandwidth'));
  assert.ok(!args.includes('downtime-limit'), 'a member already given is not offered again');
  assert.deepEqual(labels(c('{"execute": "migrate-set-parameters", "arguments": {"multifd-compression": "|')).sort(), ['none', 'zlib', 'zstd']);
  assert.ok(labels(c('{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "|')).includes('switchover-ack'));
  assert.deepEqual(labels(c('{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "xbzrle", "state": |')), ['true', 'false']);
  assert.ok(labels(c('migrate_set_parameter avail|')).includes('avail-switchover-bandwidth'));
  assert.ok(labels(c('migrate_set_capability |')).includes('postcopy-ram'));
  assert.deepEqual(labels(c('migrate_set_capability xbzrle |')), ['on', 'off']);
  const shell = c('migrate-set-parameters downtime-limit=1 |');
  assert.equal(shell.items.find((i) => i.label === 'max-bandwidth')?.textEdit?.newText, 'max-bandwidth=');
  assert.ok(!labels(shell).includes('downtime-limit'));
  const top = c('|');
  assert.ok(labels(top).includes('migrate sequence (JSON)'));
  assert.ok(labels(top).includes('migrate_set_parameter'));
  const old = labels(svc.completion(at('migrate_set_parameter avail|').d, at('migrate_set_parameter avail|').pos, settings({ qemuVersion: '7.2' })));
  assert.ok(!old.includes('avail-switchover-bandwidth'), 'members come from the target version');
});

test('quick fixes: did-you-mean, underscore to hyphen, size string to number, removal of unknown members', () => {
  const svc = service();
  const s = settings({ qemuVersion: '7.2' });
  const fix = (text: string) => {
    const d = doc(text);
    const diags = [...svc.validate(d, s).values()].flat();
    return svc.codeActions(d, diags[0].range, { diagnostics: diags }, s).map((a) => ({ title: a.title, edits: a.edit!.changes![d.uri] }));
  };
  const u = fix('{"execute": "migrate-set-parameters", "arguments": {"downtime_limit": 300}}');
  assert.equal(u[0].title, "Change to 'downtime-limit'");
  assert.equal(u[0].edits[0].newText, '"downtime-limit"');
  const h = fix('migrate_set_parameter downtime_limit 300');
  assert.equal(h[0].edits[0].newText, 'downtime-limit', 'no quotes in HMP');
  const size = fix('{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": "10G"}}');
  assert.deepEqual(size[0].edits[0].newText, '10737418240');
  const rm = fix('{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1, "downtime-limit": 300}}');
  assert.equal(rm[0].title, "Remove 'avail-switchover-bandwidth'");
  const d = doc('{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1, "downtime-limit": 300}}');
  const r = rm[0].edits[0].range;
  assert.equal(
    d.getText().slice(0, d.offsetAt(r.start)) + d.getText().slice(d.offsetAt(r.end)),
    '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300}}',
  );
  const cmd = fix('{"execute": "migrate-set-parameter"}');
  assert.equal(cmd[0].edits[0].newText, '"migrate-set-parameters"');
});

test('code lenses above migrate-set-parameters, migrate_set_parameter and migrate', () => {
  const svc = service();
  const text =
    '{"execute": "qmp_capabilities"}\n{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300}}\nmigrate_set_parameter max-bandwidth 1G\nmigrate -d tcp:h:1\ninfo migrate';
  const d = doc(text);
  const lenses = svc.codeLenses(d, settings());
  assert.deepEqual(
    lenses.map((l) => l.range.start.line),
    [1, 2, 3],
  );
  assert.deepEqual(lenses[0].command, { title: 'Preview convergence', command: 'qapi.openConvergencePreview', arguments: [d.uri, { line: 1, character: 0 }] });
});

test('migrationInputsAt: accepted settings up to the cursor, header workload, recorded query-migrate reply, focus', () => {
  const svc = service();
  const text = `# qemu: 8.2
# workload: ram=8G dirty-rate=200M/s link=10Gbit/s sending-efficiency=0.03
{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "auto-converge", "state": true}]}}
{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 500, "max-bandwidth": 0}}
{"execute": "migrate-set-parameters", "arguments": {"cpu-throttle-initial": 500}}
-> { "execute": "query-migrate" }
<- { "return": { "status": "active", "ram": { "total": 4294967296, "dirty-pages-rate": 1000, "page-size": 4096, "duplicate": 104857 } } }
migrate_set_parameter avail-switchover-bandwidth 1250M
{"execute": "migrate", "arguments": {"uri": "exec:cat"}}`;
  const d = doc(text);
  const atLine = (line: number, ch = 0) => svc.migrationInputsAt(d, { line, character: ch }, settings())!;
  const early = atLine(3, 60);
  assert.equal(early.qemuVersion, '8.2');
  assert.deepEqual(early.capabilities, { 'auto-converge': true });
  assert.deepEqual(early.parameters, { 'downtime-limit': 500, 'max-bandwidth': 0 });
  assert.equal(early.focus, 'downtime-limit');
  assert.deepEqual(early.link, { bytesPerSecond: 1.25e9, sendingEfficiency: 0.03 });
  assert.deepEqual(early.guest, { ramBytes: 8 * 2 ** 30, dirtyBytesPerSecond: 200 * 2 ** 20 });
  const late = atLine(8);
  assert.deepEqual(
    late.parameters,
    { 'downtime-limit': 500, 'max-bandwidth': 0, 'avail-switchover-bandwidth': 1250 * 2 ** 20 },
    'the rejected cpu-throttle-initial is not in force',
  );
  assert.equal(late.guest!.ramBytes, 8 * 2 ** 30, 'the header wins over the recorded reply');
  assert.equal(late.guest!.dirtyBytesPerSecond, 200 * 2 ** 20);
  assert.ok(late.sources.some((s) => /query-migrate reply on line 7/.test(s)));
  const noHeader = doc(text.split('\n').slice(2).join('\n'));
  const fromReply = svc.migrationInputsAt(noHeader, { line: 6, character: 0 }, settings())!;
  assert.deepEqual(fromReply.guest, { ramBytes: 4294967296, dirtyBytesPerSecond: 4096000, zeroPageFraction: (104857 * 4096) / 4294967296 });
  assert.equal(fromReply.qemuVersion, '10.2');
});

test('conversion between JSON and qmp-shell, offered only when the shell line reads back the same', () => {
  const svc = service();
  const s = settings();
  const convert = (text: string) => {
    const d = doc(text);
    const actions = svc.codeActions(d, { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, { diagnostics: [] }, s);
    return actions.map((a) => `${a.title}: ${a.edit!.changes![d.uri][0].newText}`);
  };
  assert.deepEqual(
    convert(
      '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300, "tls-creds": "creds0", "block-bitmap-mapping": [{"node-name": "n", "alias": "a b"}]}}',
    ),
    ['Convert to qmp-shell: migrate-set-parameters downtime-limit=300 tls-creds=creds0 block-bitmap-mapping=[{"node-name":"n","alias":"a b"}]'],
  );
  assert.deepEqual(
    convert('{"execute": "blockdev-add", "arguments": {"driver": "file", "cache": {"direct": true, "no-flush": false}}}'),
    ['Convert to qmp-shell: blockdev-add driver=file cache.direct=true no-flush=false'],
    'after a dotted key qmp-shell stays in that object',
  );
  assert.deepEqual(convert('{"execute": "blockdev-add", "arguments": {"file": {"driver": "file"}, "cache": {"direct": true}, "driver": "raw"}}'), [
    'Convert to qmp-shell: blockdev-add driver=raw file={"driver":"file"} cache.direct=true',
  ]);
  assert.deepEqual(
    convert('{"execute": "migrate-set-parameters", "arguments": {"tls-creds": "my creds"}}'),
    [],
    'qmp-shell keeps quotes: a string with a space has no spelling',
  );
  assert.deepEqual(convert('migrate-set-parameters downtime-limit=300 max-bandwidth=1G'), [
    'Convert to JSON: {"execute":"migrate-set-parameters","arguments":{"downtime-limit":300,"max-bandwidth":"1G"}}',
  ]);
  assert.deepEqual(convert('{"execute": "migrate-set-parameters", "arguments": {"tls-creds": null}}'), [], 'null has no qmp-shell spelling');
  assert.deepEqual(convert('{"execute": "x", "arguments": {"name": "5"}}'), [], 'the string "5" would come back as an integer');
});

test('outline and folding: one symbol per command, folding for commands that span lines', () => {
  const svc = service();
  const d = doc('{"execute": "qmp_capabilities"}\n-> { "execute": "migrate",\n     "arguments": { "uri": "exec:cat" } }\ninfo migrate');
  assert.deepEqual(
    svc.documentSymbols(d, settings()).map((x) => `${x.name}:${x.range.start.line}-${x.range.end.line}`),
    ['qmp_capabilities:0-0', 'migrate:1-2', 'query-migrate:3-3'],
  );
  assert.deepEqual(svc.foldingRanges(d, settings()), [{ startLine: 1, endLine: 2 }]);
  assert.equal(svc.documentSymbols(d, settings({ maxItemsComputed: 1 })).length, 1);
});
