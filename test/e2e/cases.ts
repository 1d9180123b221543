// The integration cases, written once against the bridge so they run in code-server
// and, where a desktop VS Code is installed, under @vscode/test-electron too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bridge } from './bridge';
import { QEMU_BROKEN_CASES, type Workspace } from './fixtures';
import type { DiagnosticInfo } from './probe/protocol';
import { PRODUCT_ID } from './tools';

const ASB = 'avail-switchover-bandwidth';

function show(d: DiagnosticInfo[]): string {
  return d.map((x) => `${x.line + 1}:${x.character + 1} ${x.severity} ${x.message}`).join('\n') || '(none)';
}

/** A line the QMP checker must flag in any script (with any schema source): proof that it has looked at the text. */
const QMP_SENTINEL = {
  text: '\n{"execute": "migrate-set-parameters", "arguments": {"e2e-sentinel-no-such-parameter": 1}}\n',
  message: 'e2e-sentinel-no-such-parameter',
};

/** `# intended error (code)` comments of the example scripts: the diagnostic expected on the next line. */
function intendedDiagnostics(text: string): { line: number; severity: string; code: string }[] {
  return text.split('\n').flatMap((l, i) => {
    const m = /^#\s*intended (error|warning|information|hint) \(([\w-]+)\)/.exec(l);
    return m ? [{ line: i + 1, severity: m[1], code: m[2] }] : [];
  });
}

export function integrationCases(ctx: () => { bridge: Bridge; ws: Workspace }): void {
  const call: Bridge['call'] = (op, args, timeout) => ctx().bridge.call(op, args, timeout);

  /**
   * The diagnostics of a file as saved, once the server has surely checked it: a sentinel
   * edit has to show up and then go away after undo (waiting on events, not on time).
   */
  const settledDiagnostics = async (path: string): Promise<DiagnosticInfo[]> => {
    await call('open', { path });
    await call('append', { path, text: QMP_SENTINEL.text });
    const seen = await call('waitDiagnostics', { path, message: QMP_SENTINEL.message, expect: 'present' });
    assert.ok(seen.matched, `the checker never reported the unknown argument added to ${path}`);
    await call('revert', { path });
    const gone = await call('waitDiagnostics', { path, message: QMP_SENTINEL.message, expect: 'absent' });
    assert.ok(gone.matched, `the diagnostic of the undone edit stayed in ${path}`);
    return gone.diagnostics;
  };

  test('example scripts show exactly the diagnostics their comments announce', async (t) => {
    const { ws } = ctx();
    const scripts = ws.files('examples/qmp', '.qmp');
    if (!scripts.length) return t.skip('no examples/qmp/*.qmp in the repository');
    for (const rel of scripts) {
      const expected = intendedDiagnostics(ws.read(rel));
      const got = (await settledDiagnostics(ws.path(rel))).filter((d) => d.severity === 'error' || d.severity === 'warning');
      const key = (d: { line: number; severity: string; code?: string }) => `${d.line + 1} ${d.severity} ${d.code}`;
      assert.deepEqual(got.map(key).sort(), expected.map(key).sort(), `${rel}:\n${show(got)}`);
    }
  });

  test('opening a .qmp script activates the extension, whose server checks it', async () => {
    const { ws } = ctx();
    const path = ws.path('scripts/typo.qmp');
    assert.equal((await call('open', { path })).languageId, 'qmp');
    const r = await call('waitDiagnostics', { path, message: "'migrate-set-parameter'", expect: 'present' });
    assert.ok(r.matched, `no diagnostic names the misspelt command:\n${show(r.diagnostics)}`);
    assert.match(r.diagnostics.map((d) => d.message).join('\n'), /migrate-set-parameters/, 'no suggestion of the right name');
    const ext = await call('extension', { extensionId: PRODUCT_ID });
    assert.ok(ext.active, 'the extension is not active');
    assert.match(ext.vscode, /^1\.\d+\./);
  });

  test('QAPI schemas get the qapi language', async () => {
    const { ws } = ctx();
    assert.equal((await call('open', { path: ws.path('examples/qapi/migration.json') })).languageId, 'qapi');
  });

  for (const name of QEMU_BROKEN_CASES) {
    test(`QEMU test schema ${name}.json: an error on the line QEMU reports`, async (t) => {
      const { ws } = ctx();
      if (!ws.qemuTests) return t.skip('QEMU test schemas not found in ../shared/qemu/qapi-tests');
      const path = `${ws.qemuTests}/${name}.json`;
      await call('open', { path });
      const r = await call('waitDiagnostics', { path, severity: 'error', expect: 'present' });
      assert.ok(r.matched, `no error reported for ${name}.json`);
      const line = ws.qemuErrorLine(name);
      assert.ok(
        r.diagnostics.some((d) => d.severity === 'error' && d.line === line),
        `expected an error on line ${line + 1}, got:\n${show(r.diagnostics)}`,
      );
    });
  }

  /** Breaks a member's type, waits for the error, undoes it and returns the errors left then. */
  const errorsAfterBreakAndUndo = async (path: string): Promise<DiagnosticInfo[]> => {
    await call('open', { path });
    await call('replace', { path, find: "'*downtime-limit': 'uint64'", text: "'*downtime-limit': 'NoSuchType'" });
    const broken = await call('waitDiagnostics', { path, message: 'NoSuchType', severity: 'error', expect: 'present' });
    assert.ok(broken.matched, `the unknown type was not reported:\n${show(broken.diagnostics)}`);
    await call('revert', { path });
    const clean = await call('waitDiagnostics', { path, severity: 'error', expect: 'absent' });
    return clean.diagnostics.filter((d) => d.severity === 'error');
  };

  test('an edit that breaks the example schema is reported, and undoing it clears it', async () => {
    const errors = await errorsAfterBreakAndUndo(ctx().ws.path('examples/qapi/migration.json'));
    assert.deepEqual(errors, [], `errors remain in the example schema:\n${show(errors)}`);
  });

  test('QEMU 10.2 migration.json checks clean and reports a fresh error', async (t) => {
    const { ws } = ctx();
    if (!ws.qemu102) return t.skip('QEMU 10.2 schema not found in ../shared/qemu/schemas/v10.2.0');
    const errors = await errorsAfterBreakAndUndo(`${ws.qemu102}/qapi/migration.json`);
    assert.deepEqual(errors, [], `errors in QEMU's own 10.2 schema:\n${show(errors)}`);
  });

  const hoverSays = (text: string[], where: string) => {
    const all = text.join('\n');
    assert.match(all, new RegExp(ASB), `${where}: hover does not name the member:\n${all}`);
    assert.match(all, /8\.2/, `${where}: hover lacks the since-version 8.2:\n${all}`);
    assert.match(all, /bytes?\s*(per second|\/\s*s)|B\/s/i, `${where}: hover lacks the unit:\n${all}`);
  };

  test(`hover on ${ASB} in the example migration.json`, async () => {
    const { ws } = ctx();
    const rel = 'examples/qapi/migration.json';
    await call('open', { path: ws.path(rel) });
    hoverSays(await call('hover', { path: ws.path(rel), ...ws.find(rel, `'*${ASB}'`, { delta: 3 }) }), rel);
  });

  test(`hover on ${ASB} in QEMU 10.2 migration.json`, async (t) => {
    const { ws } = ctx();
    if (!ws.qemu102) return t.skip('QEMU 10.2 schema not found in ../shared/qemu/schemas/v10.2.0');
    const rel = 'qemu-10.2/qapi/migration.json';
    await call('open', { path: ws.path(rel) });
    const text = await call('hover', { path: ws.path(rel), ...ws.find(rel, `'*${ASB}'`, { delta: 3 }) });
    hoverSays(text, rel);
    assert.match(text.join('\n'), /available bandwidth/, 'hover lacks the documentation text');
  });

  test(`hover on ${ASB} in a QMP script`, async () => {
    const { ws } = ctx();
    const rel = 'scripts/migrate.qmp';
    await call('open', { path: ws.path(rel) });
    hoverSays(await call('hover', { path: ws.path(rel), ...ws.find(rel, ASB, { delta: 2 }) }), rel);
  });

  test('completion inside migrate-set-parameters arguments offers it', async () => {
    const { ws } = ctx();
    const rel = 'scripts/complete.qmp';
    const at = ws.find(rel, '{  }', { delta: 2 });
    await call('open', { path: ws.path(rel), select: at });
    const items = await call('completion', { path: ws.path(rel), ...at });
    const labels = items.map((i) => i.label.replace(/^"|"$/g, ''));
    assert.ok(labels.includes(ASB), `${ASB} not offered; got: ${labels.slice(0, 40).join(', ')}`);
    assert.ok(!labels.includes('migrate-set-parameters'), 'command names offered where argument names belong');
  });

  test('go to definition across an include', async () => {
    const { ws } = ctx();
    const rel = 'examples/qapi/migration.json';
    await call('open', { path: ws.path(rel) });
    const locs = await call('definition', { path: ws.path(rel), ...ws.find(rel, "'StrOrNull'", { delta: 2 }) });
    const common = ws.path('examples/qapi/common.json');
    assert.ok(
      locs.some((l) => l.path === common && l.line === ws.find('examples/qapi/common.json', "'alternate': 'StrOrNull'").line),
      `StrOrNull should lead to its definition in common.json; got ${JSON.stringify(locs)}`,
    );
  });

  test('the preview command opens the convergence preview webview', async () => {
    const { ws } = ctx();
    await call('open', { path: ws.path('scripts/migrate.qmp'), select: ws.find('scripts/migrate.qmp', 'downtime-limit') });
    await call('command', { command: 'qapi.openConvergencePreview' });
    const r = await call('waitWebviewTab', { viewType: 'qapi.convergencePreview' });
    assert.ok(r.found, `no preview tab; open tabs: ${r.tabs.join(', ')}`);
  });

  test('scenario files are validated and completed from schemas/scenario.schema.json (jsonValidation)', async () => {
    const { ws } = ctx();
    const rel = 'examples/scenarios/busy-thread-10.2.json';
    const path = ws.path(rel);
    await call('open', { path });
    try {
      // The same misspelt field `qapi-qmp converge` rejects (test/cli/scenario-schema.test.ts).
      await call('replace', { path, find: '"maxSeconds"', text: '"maxSecond"' });
      const bad = await call('waitDiagnostics', { path, message: 'maxSecond', expect: 'present' });
      assert.ok(bad.matched, `VS Code's JSON support did not flag the misspelt field:\n${show(bad.diagnostics)}`);
      await call('revert', { path });
      const good = await call('waitDiagnostics', { path, message: '', expect: 'absent' });
      assert.ok(good.matched, `the example scenario should be valid:\n${show(good.diagnostics)}`);
      // Completion offers the fields the schema names, with the facts' parameters.
      const inGuest = ws.find(rel, '"guest": {', { delta: '"guest": {'.length });
      const guestLabels = (await call('completion', { path, ...inGuest })).map((i) => i.label.replace(/^"|"$/g, ''));
      assert.ok(guestLabels.includes('zeroPagesAt'), `guest fields offered: ${guestLabels.join(', ')}`);
      const inParams = ws.find(rel, '"parameters": {', { delta: '"parameters": {'.length });
      const paramLabels = (await call('completion', { path, ...inParams })).map((i) => i.label.replace(/^"|"$/g, ''));
      assert.ok(
        paramLabels.includes('avail-switchover-bandwidth') && paramLabels.includes('multifd-channels'),
        `parameters offered: ${paramLabels.slice(0, 30).join(', ')}`,
      );
    } finally {
      await call('revert', { path });
    }
  });

  test('qapi.qemuVersion 7.2 vs 10.2 changes the diagnostics', async () => {
    const { ws } = ctx();
    const schema = ws.path('probe/qapi/long-line.json');
    const script = ws.path('scripts/migrate.qmp');
    await call('open', { path: schema });
    await call('open', { path: script });
    try {
      await call('config', { section: 'qapi', key: 'qemuVersion', value: '10.2' });
      const longLine10 = await call('waitDiagnostics', { path: schema, severity: 'error', expect: 'present' });
      assert.ok(longLine10.matched, 'a doc line over 70 characters is an error under 10.2 rules');
      const asb10 = await call('waitDiagnostics', { path: script, message: ASB, expect: 'absent' });
      assert.ok(asb10.matched, `10.2 knows ${ASB}:\n${show(asb10.diagnostics)}`);

      await call('config', { section: 'qapi', key: 'qemuVersion', value: '7.2' });
      const asb72 = await call('waitDiagnostics', { path: script, message: ASB, severity: 'error', expect: 'present' });
      assert.ok(asb72.matched, `QEMU 7.2 has no ${ASB}; the script should be flagged:\n${show(asb72.diagnostics)}`);
      const longLine72 = await call('waitDiagnostics', { path: schema, severity: 'error', expect: 'absent' });
      assert.ok(longLine72.matched, `7.2 rules have no doc line limit:\n${show(longLine72.diagnostics)}`);
    } finally {
      await call('config', { section: 'qapi', key: 'qemuVersion', value: undefined });
    }
  });
}
