// One home for the custom protocol: every method name beyond LSP is written once, in
// server/src/protocol/lsp.ts; everything else (server, client, tests) uses its typed object.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import * as protocol from '../../server/src/protocol/lsp';
import { REPO } from '../helpers/shared';

const HOME = 'server/src/protocol/lsp.ts';
const methods = (Object.values(protocol) as unknown[])
  .filter((v: unknown): v is { method: string } => typeof v === 'object' && v !== null && typeof (v as { method?: unknown }).method === 'string')
  .map((v) => v.method);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'workspace') return [];
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|mjs|cjs|js)$/.test(name) && !p.includes('/dist/') ? [p] : [];
  });
}

test('every custom method is declared once, in the protocol module, and spelled nowhere else', () => {
  assert.ok(
    methods.includes(protocol.ConvergencePreviewRequest.method) && methods.includes(protocol.StatusNotification.method),
    'the scan sees the declarations',
  );
  assert.equal(new Set(methods).size, methods.length, 'a method declared twice');
  const spelled: string[] = [];
  for (const f of ['server', 'client', 'webview', 'test', 'bench', 'scripts'].flatMap((d) => sources(join(REPO, d)))) {
    const rel = relative(REPO, f);
    if (rel === HOME) continue;
    const text = readFileSync(f, 'utf8');
    for (const m of methods) if (text.includes(`'${m}'`) || text.includes(`"${m}"`)) spelled.push(`${rel}: ${m}`);
  }
  assert.deepEqual(spelled, [], 'use the typed object from server/src/protocol/lsp.ts (X.method in raw JSON-RPC tests)');
});
