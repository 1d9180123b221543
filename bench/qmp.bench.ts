// QMP scripts: checking a 10,000-command script (mixed JSON, transcript, qmp-shell
// and HMP lines) from scratch, with the shipped facts and with the real QEMU 7.2
// introspection reply; hover and completion latency at positions spread over it.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diskFiles } from '../server/src/service/common/files';
import { defaultSettings, type Settings } from '../server/src/service/common/settings';
import { createLanguageService } from '../server/src/service/languageService';
import { sharedQemu } from '../test/helpers/shared';
import { register, stats, time, type BenchResult } from './registry';

const LINES = [
  '{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 300, "max-bandwidth": 1250000000}}',
  '-> { "execute": "migrate-set-capabilities", "arguments": { "capabilities": [ { "capability": "auto-converge", "state": true } ] } }',
  'migrate-set-parameters cpu-throttle-initial=30 cpu-throttle-increment=10 downtime_limit=5',
  'migrate_set_parameter xbzrle-cache-size 128M',
  '{"execute": "query-migrate"}',
  'info migrate',
  '{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": "1G"}}',
  "{'execute': 'query-migrate-parameters', 'id': 7}",
  'migrate_set_capability xbzrle on',
  '{"execute": "migrate-set-parameters", "arguments": {"multifd-channels": 8, "tls-creds": null}}',
];

export function bigScript(n: number): string {
  const out = ['# qemu: 8.2'];
  for (let i = 0; i < n; i++) out.push(LINES[i % LINES.length]);
  return out.join('\n');
}

function measure(name: string, settings: Settings, reference: string): BenchResult {
  const svc = createLanguageService({ files: diskFiles });
  const text = bigScript(10000);
  let v = 0;
  const run = () => svc.validate(TextDocument.create('file:///bench/big.qmp', 'qmp', ++v, text), settings);
  for (let i = 0; i < 5; i++) run();
  // CPU time beside wall time: on a shared, loaded machine wall time mostly measures the queue.
  const cpu0 = process.cpuUsage();
  const samples = Array.from({ length: 20 }, () => time(run));
  const cpu = process.cpuUsage(cpu0);
  const s = stats(samples);
  const cpuMs = (cpu.user + cpu.system) / 1000 / samples.length;
  return {
    name,
    value: s.median,
    unit: 'ms',
    reference,
    detail: `process CPU ${cpuMs.toFixed(1)} ms per check (all threads, GC included), min ${s.min.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, ${[...run().values()].flat().length} diagnostics`,
  };
}

function latency(kind: 'hover' | 'completion', settings: Settings, source: string): BenchResult {
  const svc = createLanguageService({ files: diskFiles });
  const doc = TextDocument.create('file:///bench/big.qmp', 'qmp', 1, bigScript(10000));
  svc.validate(doc, settings);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const line = 1 + ((i * 7919) % 10000);
    const pos = { line, character: 30 + (i % 40) };
    samples.push(time(() => (kind === 'hover' ? svc.hover(doc, pos, settings) : svc.completion(doc, pos, settings))));
  }
  const s = stats(samples);
  return {
    name: `qmp ${kind} p99 (10,000-command script, ${source})`,
    value: s.p99,
    unit: 'ms',
    reference: '<= 2 ms',
    detail: `median ${s.median.toFixed(3)} ms`,
  };
}

register({
  name: 'qmp',
  run() {
    const results = [measure('qmp check 10,000 commands (shipped facts)', { ...defaultSettings, qemuVersion: '8.2' }, '<= 50 ms')];
    const intro = sharedQemu('introspection/qemu-7.2-x86_64-M-none.query-qmp-schema.json');
    if (!intro.skip)
      results.push(
        measure('qmp check 10,000 commands (7.2 introspection)', { ...defaultSettings, qemuVersion: '7.2', introspectionFile: intro.path }, '<= 50 ms'),
      );
    const facts = { ...defaultSettings, qemuVersion: '8.2' };
    results.push(latency('hover', facts, 'facts'), latency('completion', facts, 'facts'));
    if (!intro.skip) {
      const s = { ...defaultSettings, qemuVersion: '7.2', introspectionFile: intro.path };
      results.push(latency('hover', s, '7.2 introspection'), latency('completion', s, '7.2 introspection'));
    }
    return results;
  },
});
