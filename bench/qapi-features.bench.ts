// QAPI editor features on QEMU's whole 10.2 schema with migration.json open, as the
// server runs them: hover and completion at many positions (target p99 <= 2 ms),
// and what the first request after an edit costs (a re-check plus the indexes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { diskFiles, overlayFiles } from '../server/src/service/common/files';
import { pathToUri } from '../server/src/service/common/paths';
import { defaultSettings } from '../server/src/service/common/settings';
import { schemaIndex } from '../server/src/service/qapi/features/schemaIndex';
import { createQapiLanguage } from '../server/src/service/qapi/index';
import { sharedQemu } from '../test/helpers/shared';
import { register, stats, time, type BenchResult } from './registry';

register({
  name: 'qapi-features',
  run() {
    const dir = sharedQemu('schemas/v10.2.0/qapi');
    if (dir.skip) return [];
    const path = join(dir.path, 'migration.json');
    const text = readFileSync(path, 'utf8');
    const open = new Map([[path, text]]);
    const lang = createQapiLanguage(overlayFiles(open, diskFiles));
    const doc = TextDocument.create(pathToUri(path), 'qapi', 1, text);
    const settings = defaultSettings;
    const firstMs = time(() => lang.validate(doc, settings, { isCancellationRequested: false }));
    const check = lang.checkSchemaOf(path, settings);

    // Hover on every member name and type use of the file; completion inside every type string.
    const hoverAt: Position[] = [];
    const completeAt: Position[] = [];
    for (const def of check.model.definitions) {
      if (def.span.path !== path) continue;
      hoverAt.push(def.nameSpan.range.start);
      for (const m of def.members) hoverAt.push(m.span.range.start);
    }
    for (const r of check.model.typeRefs) {
      if (r.span.path !== path) continue;
      hoverAt.push({ line: r.span.range.start.line, character: r.span.range.start.character + 2 });
      completeAt.push({ line: r.span.range.start.line, character: r.span.range.start.character + 2 });
    }
    // One warm-up round (JIT, the first check's garbage), then three measured rounds.
    const ROUNDS = 3;
    for (const p of hoverAt) lang.hover(doc, p, settings);
    const hover = Array.from({ length: ROUNDS }, () => hoverAt.map((p) => time(() => lang.hover(doc, p, settings)))).flat();
    for (const p of completeAt) lang.completion(doc, p, settings);
    let items = 0;
    const completion = Array.from({ length: ROUNDS }, () =>
      completeAt.map((p) =>
        time(() => {
          items = lang.completion(doc, p, settings).items.length;
        }),
      ),
    ).flat();

    // An edit: the next request re-checks the tree (parsing only the edited file) and rebuilds the indexes.
    const after: number[] = [];
    for (let i = 0; i < 10; i++) {
      const edited = text.replace("'*avail-switchover-bandwidth': 'size'", `'*avail-switchover-bandwidth': 'size'${' '.repeat(i + 1)}`);
      open.set(path, edited);
      const d = TextDocument.create(pathToUri(path), 'qapi', i + 2, edited);
      after.push(time(() => lang.completion(d, completeAt[0], settings)));
    }
    // The position index of migration.json alone, on fresh check objects (what an edit costs beyond the check).
    const root = lang.project.rootFor(path, settings);
    const indexMs = Array.from({ length: 5 }, () => {
      const fresh = lang.project.check(root, settings);
      return time(() => schemaIndex(fresh).linesOf(path));
    });
    const symbols = Array.from({ length: 20 }, () => time(() => lang.documentSymbols(doc, settings)));
    const folding = Array.from({ length: 20 }, () => time(() => lang.foldingRanges(doc, settings)));
    const h = stats(hover);
    const c = stats(completion);
    const out: BenchResult[] = [
      { name: 'qapi: first check of the 10.2 schema (migration.json open)', value: firstMs, unit: 'ms', reference: "QEMU's frontend: ~320 ms" },
      {
        name: `qapi: hover p99 (${hoverAt.length} positions in migration.json x ${ROUNDS})`,
        value: h.p99,
        unit: 'ms',
        reference: '<= 2 ms',
        detail: `median ${h.median.toFixed(3)} ms`,
      },
      {
        name: `qapi: completion p99 (${completeAt.length} type positions x ${ROUNDS}, ${items} items)`,
        value: c.p99,
        unit: 'ms',
        reference: '<= 2 ms',
        detail: `median ${c.median.toFixed(3)} ms`,
      },
      { name: 'qapi: first completion after an edit (re-check + index), median', value: stats(after).median, unit: 'ms' },
      { name: 'qapi: position index of migration.json after a check, median', value: stats(indexMs).median, unit: 'ms' },
      { name: 'qapi: outline of migration.json, median', value: stats(symbols).median, unit: 'ms' },
      { name: 'qapi: folding ranges of migration.json, median', value: stats(folding).median, unit: 'ms' },
    ];
    return out;
  },
});
