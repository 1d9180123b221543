// The C index's fast scanner (bytes, interned names, worker threads) against the plain
// string scan it replaced, on QEMU's own 8.2 and 10.2 C trees: the same identifiers at
// the same offsets, built here or by the server's worker threads. Also: offsets count
// UTF-16 units in non-ASCII files, a FIFO or a vanished file never hangs or breaks a
// build, and a change re-indexes only that file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { workerIndexBuilder } from '../../server/src/lsp/cIndexBuilder';
import { diskFiles } from '../../server/src/service/common/files';
import { CIdentifierIndex } from '../../server/src/service/csource/cIndex';
import { findQemuTree, listCFiles, type QemuTree, treeAccess } from '../../server/src/service/csource/qemuTree';
import { REPO, sharedQemu } from '../helpers/shared';

const WORKER = join(REPO, 'server/src/lsp/cIndexWorker.ts');
const access = treeAccess(diskFiles);

/** The scan the index used before (a string pass per file), kept here as the reference. */
function referenceScan(text: string, found: (name: string, offset: number) => void): void {
  const prefixes = ['qmp_', 'qapi_', 'visit_type_', 'has_', 'q_obj_'];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    if (!upper && !lower && c !== 95 && !(c >= 48 && c <= 57)) {
      i++;
      continue;
    }
    const start = i++;
    let lowerOrUnderscore = false;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if ((d >= 97 && d <= 122) || d === 95) lowerOrUnderscore = true;
      else if (!((d >= 65 && d <= 90) || (d >= 48 && d <= 57))) break;
    }
    if (upper) {
      if (lowerOrUnderscore) found(text.slice(start, i), start);
    } else if (lower && i - start > 4) {
      for (const p of prefixes)
        if (i - start > p.length && text.startsWith(p, start)) {
          found(text.slice(start, i), start);
          break;
        }
    }
  }
}

/** name -> sorted "path:offset" of every occurrence. */
type Dump = Map<string, string[]>;
function dumpOf(add: (put: (name: string, path: string, offset: number) => void) => void): Dump {
  const d: Dump = new Map();
  add((name, path, offset) => {
    let l = d.get(name);
    if (!l) d.set(name, (l = []));
    l.push(`${path}:${offset}`);
  });
  for (const l of d.values()) l.sort();
  return d;
}
const referenceDump = (files: string[]) =>
  dumpOf((put) => {
    for (const f of files) referenceScan(readFileSync(f, 'utf8'), (name, offset) => put(name, f, offset));
  });
const indexDump = (index: CIdentifierIndex) => dumpOf((put) => index.forEach((o) => put(o.name, o.path, o.offset)));

function buildWithWorkers(tree: QemuTree, workers: number): Promise<{ index: CIdentifierIndex; how: string }> {
  const index = new CIdentifierIndex(access);
  return new Promise((resolve, reject) => {
    const started = workerIndexBuilder({ script: WORKER, workers, chunk: 16 })(
      tree,
      index,
      (how) => resolve({ index, how }),
      () => reject(new Error('the worker fell back before listing the tree')),
    );
    if (!started) reject(new Error('no worker started'));
  });
}

/** Compares two dumps without printing a hundred thousand lines when they differ. */
function assertSameDump(actual: Dump, expected: Dump, what: string) {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  assert.deepEqual({ missing: missing.slice(0, 10), extra: extra.slice(0, 10) }, { missing: [], extra: [] }, `${what}: identifiers differ`);
  const differing = [...expected.keys()].filter((k) => actual.get(k)!.join('\n') !== expected.get(k)!.join('\n'));
  assert.deepEqual(differing.slice(0, 10), [], `${what}: occurrences differ`);
}

/** The look-ups the features make (a generated enum constant, a type, a handler; several at once), and names absent. */
function assertLookups(index: CIdentifierIndex, expected: Dump) {
  const names = ['MIGRATION_PARAMETER_MAX_BANDWIDTH', 'MigrationParameters', 'qmp_migrate_set_parameters'];
  const where = (l: { path: string; offset: number }[]) => l.map((o) => `${o.path}:${o.offset}`).sort();
  for (const name of names) assert.deepEqual(where(index.lookup(name)), expected.get(name), name);
  assert.deepEqual(where(index.lookup(...names)), names.flatMap((n) => expected.get(n)!).sort());
  assert.deepEqual(index.filesWith('MigrationParameters').sort(), [...new Set(expected.get('MigrationParameters')!.map((w) => w.replace(/:\d+$/, '')))].sort());
  for (const absent of ['NoSuchQapiName', 'MigrationParameters\nMIGRATION_PARAMETER_MAX_BANDWIDTH', '']) assert.deepEqual(index.lookup(absent), [], absent);
}

for (const v of ['v8.2.0', 'v10.2.0']) {
  const shared = sharedQemu(`c-trees/${v}`);
  describe(`C index on QEMU ${v}: the same identifiers as the plain scan`, { skip: shared.skip }, () => {
    const tree = shared.skip ? undefined : findQemuTree(shared.path, diskFiles);
    const files = tree ? listCFiles(tree, access) : [];
    const expected = tree ? referenceDump(files) : new Map();

    test('built on this thread', () => {
      const index = new CIdentifierIndex(access);
      index.enqueue(files);
      index.drain();
      assert.ok(files.length > 1000 && expected.size > 10000, `${files.length} files, ${expected.size} identifiers`);
      assert.equal(index.filesIndexed, files.length);
      assert.equal(index.identifierCount, expected.size);
      assertSameDump(indexDump(index), expected, 'this thread');
      assertLookups(index, expected);
    });

    test('built by worker threads', async () => {
      const { index, how } = await buildWithWorkers(tree!, 2);
      assert.equal(how, '2 worker threads');
      assert.equal(index.filesIndexed, files.length);
      assertSameDump(indexDump(index), expected, 'worker threads');
      assertLookups(index, expected);
      // Chunks are merged in order: files in listing order, as on this thread.
      const order: string[] = [];
      index.forEach((o) => {
        if (order[order.length - 1] !== o.path) order.push(o.path);
      });
      assert.deepEqual(
        order,
        files.filter((f) => order.includes(f)),
      );
    });
  });
}

describe('C index: bad and changing input', () => {
  const root = mkdtempSync(join(tmpdir(), 'cindex-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'qapi'));
  mkdirSync(join(root, 'migration'));
  writeFileSync(join(root, 'VERSION'), '10.2.0\n');
  writeFileSync(join(root, 'qapi/qapi-schema.json'), '');
  // Non-ASCII before the identifiers: a 2-byte, a 3-byte and a 4-byte (two UTF-16 units) character.
  const text = '/* é → 😀 */ MigrationParameters *p; qmp_query_migrate(); // ü\nint x = MIGRATION_PARAMETER_MAX_BANDWIDTH;\n';
  writeFileSync(join(root, 'migration/a.c'), text);
  writeFileSync(join(root, 'migration/b.h'), 'typedef struct QapiFoo QapiFoo;\n');
  const fifo = join(root, 'migration/fifo.c');
  const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;
  const tree = findQemuTree(root, diskFiles)!;
  const offsets = (index: CIdentifierIndex, name: string) => index.lookup(name).map((o) => o.offset);

  test('offsets count UTF-16 units, on this thread and in a worker; a FIFO is skipped, not waited for', async () => {
    const here = new CIdentifierIndex(access);
    here.enqueue(listCFiles(tree, access));
    here.drain();
    const { index: there } = await buildWithWorkers(tree, 1);
    for (const index of [here, there])
      for (const name of ['MigrationParameters', 'qmp_query_migrate', 'MIGRATION_PARAMETER_MAX_BANDWIDTH'])
        assert.deepEqual(offsets(index, name), [text.indexOf(name)], name);
    assert.deepEqual(indexDump(there), indexDump(here));
    if (hasFifo) assert.equal(listCFiles(tree, access).length, 3);
    assert.equal(there.filesIndexed, 2);
    assert.equal(here.filesIndexed, 2);
  });

  test('a change re-indexes that file alone; a removed file leaves the index', () => {
    const index = new CIdentifierIndex(access);
    index.enqueue(listCFiles(tree, access));
    index.drain();
    const a = join(root, 'migration/a.c');
    index.indexText(a, `\n${text.replace('qmp_query_migrate', 'qmp_query_status')}`);
    assert.deepEqual(offsets(index, 'qmp_query_migrate'), []);
    assert.deepEqual(offsets(index, 'qmp_query_status'), [text.indexOf('qmp_query_migrate') + 1]);
    assert.deepEqual(offsets(index, 'QapiFoo'), [15, 23]);
    index.remove(a);
    assert.deepEqual(offsets(index, 'MigrationParameters'), []);
    assert.deepEqual(index.filesWith('QapiFoo'), [join(root, 'migration/b.h')]);
  });

  test('a worker that fails before listing hands the build back to the caller (slices on its thread)', async () => {
    const broken = join(root, 'broken-worker.js');
    writeFileSync(broken, "throw new Error('broken worker');\n");
    const logs: string[] = [];
    const index = new CIdentifierIndex(access);
    const outcome = await new Promise<string>((resolve) => {
      const started = workerIndexBuilder({ script: broken, workers: 2, log: (m) => logs.push(m) })(
        tree,
        index,
        (how) => resolve(`finished ${how}`),
        () => resolve('fallback'),
      );
      assert.equal(started, true);
    });
    assert.equal(outcome, 'fallback');
    assert.match(logs.join('\n'), /C index worker failed \(.*broken worker/);
    assert.equal(index.filesIndexed, 0);
  });

  test('a file that vanishes between listing and reading is left out', async () => {
    const gone = join(root, 'migration/gone.c');
    const index = new CIdentifierIndex(access);
    index.enqueue([gone, join(root, 'migration/b.h')]);
    index.drain();
    assert.deepEqual(index.filesWith('QapiFoo'), [join(root, 'migration/b.h')]);
    assert.equal(index.filesIndexed, 1);
  });
});
