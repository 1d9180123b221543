// Differential test against a real QEMU 7.2: every corpus command is sent to a spawned
// QEMU over `-qmp stdio`, and QEMU's verdict (return or error, and the error class) is
// the reference our checker must match command by command.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sharedQemu } from '../helpers/shared';
import { CORPUS_7_2 } from './corpus72';
import { QEMU_BINARY, qemuSkipReason } from './qmpProcess';
import { recordCorpus, type Recording } from './recordCorpus';

const skip = qemuSkipReason();
const qapi72 = sharedQemu('schemas/v7.2.0/qapi/qapi-schema.json');

describe('QMP corpus against a real QEMU 7.2', { skip }, () => {
  let dir: string;
  let rec: Recording;
  let versionSkip: string | false = false;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-differential-'));
    rec = await recordCorpus(CORPUS_7_2, dir);
    if (rec.version !== '7.2') {
      versionSkip = `the corpus describes QEMU 7.2, but ${QEMU_BINARY} on PATH is QEMU ${rec.version}`;
    }
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('QEMU answers every corpus command as its note says', (t) => {
    if (versionSkip) return t.skip(versionSkip);
    const wrong: string[] = [];
    CORPUS_7_2.forEach((e, i) => {
      const a = rec.answers[i];
      const got = a.kind === 'return' ? 'ok' : a.class;
      if (got !== e.qemu || (a.kind === 'error' && e.desc !== undefined && !a.desc.includes(e.desc))) {
        wrong.push(
          `line ${i + 1}: ${e.send}\n  expected ${e.qemu}${e.desc ? ` "${e.desc}"` : ''} (${e.note})\n  QEMU: ${got}${a.kind === 'error' ? ` "${a.desc}"` : ''}`,
        );
      }
    });
    assert.deepEqual(wrong, []);
  });

  test('the corpus covers both error classes and enough commands', (t) => {
    if (versionSkip) return t.skip(versionSkip);
    const classes = new Set(rec.answers.map((a) => (a.kind === 'return' ? 'ok' : a.class)));
    assert.deepEqual([...classes].sort(), ['CommandNotFound', 'GenericError', 'ok']);
    assert.ok(CORPUS_7_2.length >= 150, `only ${CORPUS_7_2.length} commands`);
  });

  test('every state change in the corpus is undone: parameters and capabilities end as they started', (t) => {
    if (versionSkip) return t.skip(versionSkip);
    // block-bitmap-mapping cannot be unset once given, only emptied; QEMU then reports [].
    const { 'block-bitmap-mapping': mapping, ...parameters } = rec.after.parameters as Record<string, unknown>;
    assert.deepEqual(mapping, []);
    assert.deepEqual(parameters, rec.before.parameters);
    assert.deepEqual(rec.after.capabilities, rec.before.capabilities);
  });

  // Our checker reads the same script twice: once with the schema this very QEMU
  // reported, once with the 7.2 QAPI sources. Either way its verdict on every line must
  // be QEMU's. A failure lists each disagreement (command, QEMU's answer, ours).
  const compare = async (t: { skip(m: string): void }, settings: { schemaRoot: string; introspectionFile: string }, source: RegExp) => {
    if (versionSkip) return t.skip(versionSkip);
    // Loaded here so the QEMU half above still runs while the language service does not load.
    const { checkerVerdicts, disagreements } = await import('./checkerVerdicts');
    const lines = rec.script.split('\n');
    const ours = checkerVerdicts(rec.script, join(dir, 'corpus.qmp'), { qemuVersion: '7.2', maxItemsComputed: 5000, ...settings });
    assert.deepEqual(ours.internalErrors, [], 'the language service hit internal errors');
    assert.match(ours.schemaSource, source, 'the checker did not use the schema it was given');
    const found = disagreements(CORPUS_7_2, lines, rec.answers, ours.lines);
    assert.equal(found.length, 0, `${found.length} of ${CORPUS_7_2.length} commands disagree with QEMU:\n${found.join('\n')}`);
  };

  test('our checker with the introspection of this QEMU agrees with QEMU on every command', (t) =>
    compare(t, { schemaRoot: '', introspectionFile: rec.schemaFile }, /introspection/));

  test('our checker with the QEMU 7.2 QAPI sources agrees with QEMU on every command', { skip: qapi72.skip }, (t) =>
    compare(t, { schemaRoot: qapi72.path, introspectionFile: '' }, /QAPI sources/),
  );
});
