// Differential test against a real QEMU 7.2: every corpus command is sent to a spawned
// QEMU over `-qmp stdio`, and QEMU's verdict (return or error, and the error class) is
// the reference our checker must match command by command.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CORPUS_7_2 } from './corpus72';
import { QEMU_BINARY, qemuSkipReason } from './qmpProcess';
import { recordCorpus, type Recording } from './recordCorpus';

const skip = qemuSkipReason();

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
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  test('QEMU answers every corpus command as its note says', (t) => {
    if (versionSkip) return t.skip(versionSkip);
    const wrong: string[] = [];
    CORPUS_7_2.forEach((e, i) => {
      const a = rec.answers[i];
      const got = a.kind === 'return' ? 'ok' : a.class;
      if (got !== e.qemu || (a.kind === 'error' && e.desc !== undefined && !a.desc.includes(e.desc))) {
        wrong.push(`line ${i + 1}: ${e.send}\n  expected ${e.qemu}${e.desc ? ` "${e.desc}"` : ''} (${e.note})\n  QEMU: ${got}${a.kind === 'error' ? ` "${a.desc}"` : ''}`);
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
});
