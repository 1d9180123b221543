// The QAPI/C edge in a real VS Code (code-server) whose workspace folder is a QEMU tree
// (a temp copy of ../shared/qemu/c-trees/<version>: VERSION, qapi/, migration/,
// include/migration/): hover with the generated C names, a command's qmp_ handler and an
// enum value's uses in C, C identifiers leading back to the schema, and the wiring
// warning of a seed hunk removed in the editor, gone after undo. On 8.2 and 10.2.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SEED_HUNKS } from '../helpers/seedHunks';
import { sharedQemu } from '../helpers/shared';
import type { OpName, Operations } from './probe/protocol';
import { codeServerSkip, startSession, type Session } from './session';

function find(text: string, needle: string, delta: number, from = 0) {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`"${needle}" not found`);
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

for (const v of ['v8.2.0', 'v10.2.0']) {
  const tree = sharedQemu(`c-trees/${v}`);
  describe(`QAPI/C edge in code-server, QEMU ${v} tree`, { skip: codeServerSkip() || tree.skip }, () => {
    let s: Session | undefined;
    let root = '';
    const json = () => join(root, 'qapi/migration.json');
    const options = () => join(root, 'migration/options.c');
    const hmp = () => join(root, 'migration/migration-hmp-cmds.c');
    const read = (p: string) => readFileSync(p, 'utf8');
    const call = <K extends OpName>(op: K, args: Operations[K]['args'], timeout?: number) => s!.bridge.call(op, args, timeout);

    before(
      async () => {
        root = mkdtempSync(join(tmpdir(), `qapi-e2e-qemu-${v}-`));
        for (const part of ['VERSION', 'qapi', 'migration', 'include/migration']) cpSync(join(tree.path, part), join(root, part), { recursive: true });
        s = await startSession(root, `csource-${v}`);
        await call('open', { path: json() });
        // Settled once the server has surely checked the file: an edit it must flag shows up, then goes on undo.
        await call('replace', { path: json(), find: "'*downtime-limit': 'uint64'", text: "'*downtime-limit': 'E2eNoSuchType'" });
        assert.ok((await call('waitDiagnostics', { path: json(), message: 'E2eNoSuchType', expect: 'present', timeoutMs: 55_000 })).matched);
        await call('revert', { path: json() });
        const clean = await call('waitDiagnostics', { path: json(), message: 'E2eNoSuchType', expect: 'absent', timeoutMs: 55_000 });
        assert.ok(clean.matched);
        // QEMU's own tree: no wiring warning.
        assert.deepEqual(
          clean.diagnostics.filter((d) => d.code === 'c-wiring').map((d) => d.message),
          [],
        );
      },
      { timeout: 240_000 },
    );
    after(async () => {
      await s?.dispose();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    test('hover on a schema member shows its generated C', async () => {
      const text = read(json());
      const at = find(text, "'*avail-switchover-bandwidth'", 3, text.indexOf("{ 'struct': 'MigrationParameters'"));
      // A hover asked while the server is busy (the background index, a re-check) can come back empty: ask again until a deadline.
      let h = '';
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && !/has_avail/.test(h); ) h = (await call('hover', { path: json(), ...at })).join('\n');
      assert.match(h, /bool has_avail_switchover_bandwidth;/);
      assert.match(h, /uint64_t avail_switchover_bandwidth;/);
    });

    test('a command leads to its qmp_ handler, an enum value to its uses in C (once the tree is indexed)', async () => {
      const text = read(json());
      const cmd = find(text, "'query-migrate-parameters'", 3);
      // The server indexes the tree in the background after the first file opened: poll with a deadline.
      const deadline = Date.now() + 60_000;
      let defs: { path: string; line: number }[] = [];
      while (Date.now() < deadline && !(defs = await call('definition', { path: json(), ...cmd })).some((d) => d.path === options()));
      const handler = defs.find((d) => d.path === options());
      assert.ok(handler, JSON.stringify(defs));
      assert.match(read(options()).split('\n')[handler.line], /qmp_query_migrate_parameters\(Error \*\*errp\)/);
      const refs = await call('references', { path: json(), ...find(text, "'avail-switchover-bandwidth'", 3) });
      assert.ok(
        refs.some((r) => r.path === hmp() && /case MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH/.test(read(hmp()).split('\n')[r.line])),
        JSON.stringify(refs),
      );
    });

    test('in a C file, hover and definition on a generated name lead back to the schema', async () => {
      const c = read(hmp());
      const opened = await call('open', { path: hmp() });
      assert.equal(opened.languageId, 'c');
      const at = find(c, 'case MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH', 10);
      const h = (await call('hover', { path: hmp(), ...at })).join('\n');
      assert.match(h, /value `avail-switchover-bandwidth` of enum `MigrationParameter`/);
      const defs = await call('definition', { path: hmp(), ...at });
      assert.ok(
        defs.some((d) => d.path === json() && read(json()).split('\n')[d.line].includes("'avail-switchover-bandwidth'")),
        JSON.stringify(defs),
      );
      const plain = await call('hover', { path: hmp(), ...find(c, 'monitor_printf', 3) });
      assert.deepEqual(plain, []);
    });

    test('removing a seed hunk from options.c in the editor warns on the schema member; undo clears it', async () => {
      const hunk = SEED_HUNKS.find((h) => h.id === 'options.c apply')!;
      const block = hunk.lines.exec(read(options()))![0];
      await call('open', { path: options() });
      await call('replace', { path: options(), find: block, text: '' });
      const warned = await call('waitDiagnostics', { path: json(), message: hunk.expect.source, expect: 'present', timeoutMs: 60_000 });
      assert.ok(warned.matched, JSON.stringify(warned.diagnostics.filter((d) => d.severity === 'warning')));
      await call('revert', { path: options() });
      const cleared = await call('waitDiagnostics', { path: json(), message: hunk.expect.source, expect: 'absent', timeoutMs: 60_000 });
      assert.ok(cleared.matched);
    });
  });
}
