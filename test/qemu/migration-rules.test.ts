// Differential test of the migration rules against real QEMUs: every rule's refusing
// and accepting combination for the release (test/fixtures/migration/ruleCases.ts),
// plus the commands that need a migration state, is sent to Debian's QEMU 7.2 and to
// the QEMU 10.2 build in ../shared, and our checker must give QEMU's verdict on each
// command: the same error class, or nothing when QEMU accepts. Where QEMU's answer
// depends on its build or accelerator, our checker must warn (QEMU may go either way).
// Between cases QEMU's capabilities and the parameters the cases touch are reset.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { inRange, MIGRATION_CAPABILITIES } from '../../server/src/migration/index';
import { qemuErrorClass, type QmpCode } from '../../server/src/service/qmp/codes';
import { ruleCases, type Expect } from '../fixtures/migration/ruleCases';
import { validate } from '../helpers/qmp';
import { sharedDir } from '../helpers/shared';
import { QmpProcess, type QmpReply } from './qmpProcess';

interface Case {
  name: string;
  expect: Expect;
  commands: string[];
}

const set = (args: Record<string, unknown>) => JSON.stringify({ execute: 'migrate-set-parameters', arguments: args });
const caps = (c: Record<string, boolean>) =>
  JSON.stringify({ execute: 'migrate-set-capabilities', arguments: { capabilities: Object.entries(c).map(([capability, state]) => ({ capability, state })) } });

function casesFor(version: string): Case[] {
  const out: Case[] = ruleCases([version]).map((c) => ({
    name: c.name,
    expect: c.expect,
    commands: [...(Object.keys(c.parameters).length ? [set(c.parameters)] : []), ...(Object.keys(c.capabilities).length ? [caps(c.capabilities)] : [])],
  }));
  out.push({
    name: `${version} zero-copy-send on, then multifd-compression zlib`,
    expect: 'refuse',
    commands: [caps({ multifd: true, 'zero-copy-send': true }), set({ 'multifd-compression': 'zlib' })],
  });
  if (inRange(version, '9.0')) {
    out.push({
      name: `${version} mapped-ram reads the compression in force before the command`,
      expect: 'refuse',
      commands: [caps({ 'mapped-ram': true }), set({ 'multifd-compression': 'zlib' }), set({ 'downtime-limit': 300 })],
    });
  }
  out.push({ name: `${version} migrate-start-postcopy without postcopy-ram`, expect: 'refuse', commands: ['{"execute": "migrate-start-postcopy"}'] });
  out.push({
    name: `${version} migrate-start-postcopy before migrate`,
    expect: 'refuse',
    commands: [caps({ 'postcopy-ram': true }), '{"execute": "migrate-start-postcopy"}'],
  });
  return out;
}

/** The last cases start a (tiny, instant) migration: after it the state is no longer fresh. */
const MIGRATE = '{"execute": "migrate", "arguments": {"uri": "exec:cat > /dev/null"}}';
const finalCases = (version: string): Case[] => [
  {
    name: `${version} migrate-continue after a migrate without pause-before-switchover`,
    expect: 'refuse',
    commands: [MIGRATE, '{"execute": "migrate-continue", "arguments": {"state": "pre-switchover"}}'],
  },
  { name: `${version} migrate-pause after a migrate that never went to postcopy`, expect: 'refuse', commands: [MIGRATE, '{"execute": "migrate-pause"}'] },
];

type Line = { classes: string[]; warned: boolean; said: string[] };

function ourVerdicts(version: string, commands: string[]): Line[] {
  const text = ['{"execute": "qmp_capabilities"}', ...commands].join('\n');
  const lines: Line[] = commands.map(() => ({ classes: [], warned: false, said: [] }));
  for (const d of validate(text, { qemuVersion: version })) {
    const l = lines[d.range.start.line - 1];
    if (!l) continue;
    l.said.push(`${d.code}: ${d.message}`);
    const cls = qemuErrorClass(String(d.code) as QmpCode);
    if (d.severity === DiagnosticSeverity.Error && cls) l.classes.push(cls);
    if (d.severity === DiagnosticSeverity.Warning) l.warned = true;
  }
  return lines;
}

const BINARIES: { version: string; path: string }[] = [
  { version: '7.2', path: '/usr/bin/qemu-system-x86_64' },
  { version: '10.2', path: `${sharedDir()}/qemu/bin/10.2/qemu-system-x86_64` },
];

for (const { version, path } of BINARIES) {
  const skip = existsSync(path)
    ? false
    : `${path} is missing: the QEMU ${version} differential test needs it (Debian's qemu-system-x86 for 7.2, ../shared/qemu/bin/10.2 for 10.2)`;
  describe(`migration rules against a real QEMU ${version}`, { skip }, () => {
    let qemu: QmpProcess;
    let versionSkip: string | false = false;
    const capNames = MIGRATION_CAPABILITIES.filter((c) => inRange(version, c.since, c.removed)).map((c) => c.name);
    const reset = async () => {
      await qemu.execute('migrate-set-capabilities', { capabilities: capNames.map((capability) => ({ capability, state: false })) });
      await qemu.execute('migrate-set-parameters', {
        'cpu-throttle-initial': 20,
        'max-cpu-throttle': 99,
        'multifd-compression': 'none',
        'xbzrle-cache-size': 64 * 2 ** 20,
        'block-bitmap-mapping': [],
      });
    };
    const run = async (c: Case) => {
      const answers: QmpReply[] = [];
      for (const cmd of c.commands) {
        answers.push(await qemu.send(cmd));
        if (cmd === MIGRATE) await waitMigrationEnd();
      }
      return answers;
    };
    const waitMigrationEnd = async () => {
      const deadline = Date.now() + 15000;
      for (;;) {
        const s = (await qemu.execute('query-migrate')) as { status?: string };
        if (s.status === 'completed' || s.status === 'failed' || s.status === 'cancelled') return;
        if (Date.now() > deadline) throw new Error(`the migration did not end: ${JSON.stringify(s)}`);
        await new Promise((r) => setImmediate(r));
      }
    };

    before(async () => {
      qemu = await QmpProcess.startNegotiated({ binary: path });
      const g = (qemu.greeting as { version?: { qemu?: { major: number; minor: number } } }).version?.qemu;
      if (!g || `${g.major}.${g.minor}` !== version) versionSkip = `${path} is QEMU ${g?.major}.${g?.minor}, not ${version}`;
    });
    after(async () => {
      await qemu?.quit();
    });

    test(`the checker gives QEMU ${version}'s verdict on every rule's combinations`, async (t) => {
      if (versionSkip) return t.skip(versionSkip);
      const wrong: string[] = [];
      let commands = 0,
        agreed = 0,
        buildDependent = 0;
      const decided: string[] = [];
      const cases = [...casesFor(version), ...finalCases(version)];
      for (const c of cases) {
        await reset();
        const answers = await run(c);
        const ours = ourVerdicts(version, c.commands);
        c.commands.forEach((cmd, i) => {
          if (cmd === MIGRATE) return;
          commands++;
          const a = answers[i],
            v = ours[i];
          const qemuSays = a.kind === 'return' ? 'ok' : a.class;
          const ok =
            c.expect === 'warn' && v.warned && v.classes.length === 0
              ? (buildDependent++, decided.push(`${c.name}: ${qemuSays}`), true)
              : qemuSays === 'ok'
                ? v.classes.length === 0
                : v.classes.includes(qemuSays);
          if (ok) agreed++;
          else
            wrong.push(
              `${c.name}\n    ${cmd}\n    QEMU: ${a.kind === 'return' ? 'return' : `${a.class}: ${a.desc}`}\n    ours: ${v.said.join(' | ') || 'nothing'}`,
            );
        });
        // The case's last command is the one its rule is about: QEMU must answer it as expected.
        const last = answers[answers.length - 1];
        if (c.expect === 'refuse' && last.kind !== 'error') wrong.push(`${c.name}: QEMU accepted what the rule says it refuses`);
        if (c.expect === 'accept' && last.kind !== 'return')
          wrong.push(`${c.name}: QEMU refused what the rule says it accepts: ${last.kind === 'error' ? last.desc : ''}`);
      }
      t.diagnostic(
        `QEMU ${version}: ${agreed}/${commands} commands agree over ${cases.length} cases (${buildDependent} warned, where the build decides or QEMU does not check: ${decided.join('; ')})`,
      );
      assert.deepEqual(wrong, []);
    });
  });
}
