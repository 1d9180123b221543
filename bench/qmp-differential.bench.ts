// How long our checker takes over the QEMU 7.2 corpus (one script, one
// command a line), beside how long the real QEMU takes to answer the same commands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedQemu } from '../test/helpers/shared';
import { checkerVerdicts } from '../test/qemu/checkerVerdicts';
import { CORPUS_7_2 } from '../test/qemu/corpus72';
import { qemuSkipReason } from '../test/qemu/qmpProcess';
import { recordCorpus } from '../test/qemu/recordCorpus';
import { register, stats, time, type BenchResult } from './registry';

register({
  name: 'qmp-differential',
  async run() {
    if (qemuSkipReason()) return [];
    const dir = mkdtempSync(join(tmpdir(), 'qmp-differential-bench-'));
    try {
      const t0 = process.hrtime.bigint();
      const rec = await recordCorpus(CORPUS_7_2, dir);
      const qemuMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const out: BenchResult[] = [
        {
          name: `QEMU ${rec.version} answering the ${CORPUS_7_2.length}-command corpus`,
          value: qemuMs,
          unit: 'ms',
          reference: 'two QEMU starts, schema capture, one round trip per command',
        },
      ];
      const path = join(dir, 'corpus.qmp');
      const measure = (label: string, schemaRoot: string, introspectionFile: string) => {
        const settings = { qemuVersion: '7.2', maxItemsComputed: 5000, schemaRoot, introspectionFile };
        const samples = Array.from({ length: 20 }, () => time(() => checkerVerdicts(rec.script, path, settings)));
        out.push({ name: `checker on the corpus, new service, ${label}`, value: stats(samples).median, unit: 'ms', reference: 'median of 20' });
      };
      measure('introspection', '', rec.schemaFile);
      const qapi = sharedQemu('schemas/v7.2.0/qapi/qapi-schema.json');
      if (!qapi.skip) measure('7.2 QAPI sources', qapi.path, '');
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
