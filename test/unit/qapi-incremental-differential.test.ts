// An editor session is a chain of edits checked by one long-lived language service,
// which keeps parses, plans, doc connections and the doc-example QMP schema between
// checks. Whatever it keeps, its diagnostics after each edit must be exactly those of a
// fresh service given the same texts. A seeded random walk of edits (the QAPI
// differential's mutations, cumulative, now and then back to QEMU's text) over real
// schemas of several releases, each with its own rules; QAPI_INCREMENTAL_STEPS=N for a
// longer walk.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CachedFiles, diskFiles, overlayFiles } from '../../server/src/service/common/files';
import { defaultSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';
import { mutate, rng } from '../helpers/qapiDifferential';
import { RELEASES, schemaTreeOf } from '../helpers/qemuReleases';

const STEPS = Number(process.env.QAPI_INCREMENTAL_STEPS ?? 24);

/** Diagnostics by file as plain data, in a stable order. */
const plain = (m: Map<string, unknown[]>) => JSON.parse(JSON.stringify([...m].sort(([a], [b]) => a.localeCompare(b))));

for (const r of RELEASES.filter((x) => ['7.2', '8.2', '9.2', '10.2'].includes(x.version))) {
  const tree = schemaTreeOf(r);
  test(`QEMU ${r.version}'s schema: after each of ${STEPS} edits the warm service reports what a fresh one does`, { skip: tree.skip }, () => {
    const dir = join(tree.path, 'qapi');
    const root = join(dir, 'qapi-schema.json');
    const open = join(dir, 'migration.json');
    const others = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'migration.json');
    const original = new Map<string, string>();
    const overlay = new Map<string, string>();
    const files = overlayFiles(overlay, new CachedFiles(diskFiles, Infinity));
    const warm = createLanguageService({ files });
    const settings = { ...defaultSettings, qemuVersion: r.version, schemaRoot: root };
    const rand = rng(Number(r.version.replace('.', '')));
    let sawError = false;
    for (let step = 0; step <= STEPS; step++) {
      let what = 'QEMU’s text';
      if (step > 0) {
        // Mostly the open file, sometimes the pragmas (they change what other files' checks
        // allow) or another file of the tree (an include edited beside it).
        const where = rand();
        const path = where < 0.75 ? open : where < 0.85 ? join(dir, 'pragma.json') : join(dir, others[Math.floor(rand() * others.length)]);
        if (!original.has(path)) original.set(path, readFileSync(path, 'utf8'));
        const before = rand() < 0.2 ? original.get(path)! : (overlay.get(path) ?? original.get(path)!);
        const m = mutate(before, rand);
        overlay.set(path, m.text);
        what = `${path.slice(dir.length + 1)}: ${m.what}`;
      }
      const text = overlay.get(open) ?? readFileSync(open, 'utf8');
      const doc = TextDocument.create(`file://${open}`, 'qapi', step + 1, text);
      const got = warm.validate(doc, settings);
      const fresh = createLanguageService({ files: overlayFiles(overlay, diskFiles) }).validate(doc, settings);
      assert.deepEqual(plain(got), plain(fresh), `step ${step} (${what})`);
      sawError ||= [...got.values()].some((ds) => ds.some((d) => d.severity === 1));
    }
    // The walk reached broken states too, not only edits QEMU accepts.
    assert.ok(STEPS < 5 || sawError, 'no edit of the walk produced an error');
  });
}

// What the doc-example warnings keep per definition must change with anything an example
// is checked against. On 10.2's migration.json, one at a time and then undone: every third
// optional member made required (an example that leaves it out now lacks an argument), and
// every sixth integer or boolean member made a string (an example's value is now of the wrong
// type).
const tree102 = schemaTreeOf(RELEASES.find((x) => x.version === '10.2')!);
test("QEMU 10.2's migration.json: members made required or retyped and back, warm as fresh", { skip: tree102.skip }, () => {
  const dir = join(tree102.path, 'qapi');
  const open = join(dir, 'migration.json');
  const text = readFileSync(open, 'utf8');
  const overlay = new Map<string, string>();
  const warm = createLanguageService({ files: overlayFiles(overlay, new CachedFiles(diskFiles, Infinity)) });
  const settings = { ...defaultSettings, qemuVersion: '10.2', schemaRoot: join(dir, 'qapi-schema.json') };
  let version = 1;
  const validate = (t: string) => {
    overlay.set(open, t);
    return plain(warm.validate(TextDocument.create(`file://${open}`, 'qapi', version++, t), settings));
  };
  const clean = validate(text);
  const edits = [
    ...[...text.matchAll(/'\*([a-z0-9-]+)'/g)]
      .filter((_, i) => i % 3 === 0)
      .map((m) => ({ what: `'${m[1]}' at offset ${m.index} made required`, at: m.index + 1, cut: 1, put: '' })),
    ...[...text.matchAll(/: '(bool|int|uint8|uint32|uint64|int64|size|number)'/g)]
      .filter((_, i) => i % 6 === 0)
      .map((m) => ({ what: `'${m[1]}' at offset ${m.index} made 'str'`, at: m.index + 3, cut: m[1].length, put: 'str' })),
  ];
  const groups = new Map<string, number>();
  for (const e of edits) {
    const edited = text.slice(0, e.at) + e.put + text.slice(e.at + e.cut);
    const got = validate(edited);
    const fresh = createLanguageService({ files: overlayFiles(overlay, diskFiles) });
    assert.deepEqual(got, plain(fresh.validate(TextDocument.create(`file://${open}`, 'qapi', version, edited), settings)), e.what);
    const kind = e.put ? 'retyped' : 'required';
    if (JSON.stringify(got) !== JSON.stringify(clean)) groups.set(kind, (groups.get(kind) ?? 0) + 1);
    assert.deepEqual(validate(text), clean, `${e.what}, then undone`);
  }
  // Examples leave some of those members out and give others numbers or booleans, so the
  // warnings did change, for both kinds of edit.
  assert.ok(groups.get('required') && groups.get('retyped'), `edits that changed a diagnostic: ${JSON.stringify([...groups])}`);
});
