// Live sessions saved by `qapi-qmp watch --record` (bench/recordings-live, recorded on
// this machine's QEMU 7.2 and 10.2 by test/live/record.ts): they have the shape of
// bench/recordings-7.2, replay through the same predictor to the same diagnosis, and
// the simulator, fed the scenario read from them, reproduces what QEMU did.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { parseRecordingText, replay, scenarioFromRecording, RecordingWriter } from '../../server/src/live/recording';
import { simulate } from '../../server/src/simulator';
import { REPO } from '../helpers/shared';
import { observe, parseRecording } from '../qemu/migration/recording';
import { LINK_BYTES_PER_S } from './cases';

const text = (name: string) => readFileSync(join(REPO, 'bench', 'recordings-live', `${name}.jsonl`), 'utf8');
const CASES = [
  { name: 'stuck-7.2', fix: 'downtime-limit', seed: true },
  { name: 'seed-10.2', fix: 'avail-switchover-bandwidth', seed: true },
];

for (const c of CASES) {
  test(`recording ${c.name}: the bench/recordings-7.2 shape (the calibration reader takes it)`, () => {
    const o = observe(parseRecording(text(c.name)));
    assert.equal(o.converged, true);
    assert.ok(o.seconds > 2 && o.downtimeMs! >= 0 && o.dirtySyncCount >= 4);
    assert.ok(Math.abs(o.ramBytes - 256 * 2 ** 20) < 4 * 2 ** 20, `the 256 MiB guest (${o.ramBytes} B)`);
  });

  test(`recording ${c.name}: replays to the live session's diagnosis, change and outcome`, () => {
    const obs = [...replay(parseRecordingText(text(c.name)), LINK_BYTES_PER_S)];
    const i = obs.findIndex((o) => o.type === 'stuck');
    const j = obs.findIndex((o) => o.type === 'applied');
    assert.ok(i > 0 && j > i, 'stuck, then the recorded change');
    const stuck = obs[i] as Extract<(typeof obs)[number], { type: 'stuck' }>;
    assert.equal(stuck.diagnosis.seedCase, c.seed);
    assert.equal(stuck.recommendations.find((r) => r.apply)?.kind, c.fix, 'the replay recommends what was applied live');
    const applied = obs[j] as Extract<(typeof obs)[number], { type: 'applied' }>;
    assert.equal(applied.recommendation.kind, c.fix);
    assert.equal(applied.prediction?.converges, true, 'after the change the prediction converges');
    const end = obs[obs.length - 1];
    assert.equal(end.type, 'end');
    assert.equal(end.type === 'end' && end.status, 'completed');
  });

  test(`recording ${c.name}: the simulator calibrates from it (first pass, verdict before and after the change)`, () => {
    const rec = parseRecordingText(text(c.name));
    const scenario = scenarioFromRecording(rec, LINK_BYTES_PER_S);
    const before = simulate(scenario);
    assert.equal(before.converged, false, `as recorded, it does not converge: ${before.reason}`);
    // The first pass: the simulator's first dirty sync against QEMU's.
    const polls = rec.lines.filter((l) => l.type === 'poll') as { 'total-time': number; ram: { 'dirty-sync-count'?: number } }[];
    const real = polls.find((p) => (p.ram['dirty-sync-count'] ?? 0) >= 2)!['total-time'] / 1000;
    const sim = before.windows.find((w) => w.dirtySyncCount >= 2)!.t;
    assert.ok(Math.abs(sim - real) / real < 0.3, `first pass: simulated ${sim.toFixed(2)} s, real ${real.toFixed(2)} s`);
    const change = rec.lines.find((l) => l.type === 'event' && l.event === 'migrate-set-parameters')!.arguments as Record<string, number>;
    const after = simulate({ ...scenario, parameters: { ...scenario.parameters, ...change } });
    assert.equal(after.converged, true, `with ${JSON.stringify(change)} from the start it converges`);
  });
}

test('a replay written again is the same recording (writer and reader agree)', () => {
  const rec = parseRecordingText(text('seed-10.2'));
  const w = new RecordingWriter('replay', 'seed-10.2');
  for (const o of replay(rec, LINK_BYTES_PER_S)) w.observe(o);
  const again = parseRecordingText(w.drain().join(''));
  const polls = (r: typeof rec) =>
    r.lines.filter((l) => l.type === 'poll').map((l) => [l.status, l['total-time'], (l.ram as Record<string, unknown>).remaining]);
  assert.deepEqual(polls(again), polls(rec));
});

test('bad recordings are refused with the line that is wrong', () => {
  assert.throws(() => parseRecordingText('{"type":"poll"}\n'), /no header/);
  assert.throws(() => parseRecordingText('{"type":"header"}\nnot json\n'), /line 2 is not JSON/);
  assert.throws(() => parseRecordingText('{"type":"header"}\n[1,2]\n'), /line 2 is not a recording line/);
});
