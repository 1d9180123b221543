// Integration suite against the `vscode` API inside a real VS Code 1.100 (code-server)
// with the packaged .vsix installed: what the probe extension observes is asserted here.
import { after, before, describe } from 'node:test';
import { integrationCases } from './cases';
import { makeWorkspace, type Workspace } from './fixtures';
import { startSession, type Session } from './session';
import { tools } from './tools';

const missing = tools().missing;
const skip = missing.length ? `SKIP end-to-end: ${missing.join('; ')}` : false;

describe('VS Code integration (code-server 4.100.3, VS Code 1.100.3)', { skip }, () => {
  let ws: Workspace;
  let s: Session;
  before(async () => {
    ws = makeWorkspace('api');
    s = await startSession(ws.root, 'api');
  }, { timeout: 240_000 });
  after(async () => {
    await s?.dispose();
    ws?.dispose();
  });

  integrationCases(() => ({ bridge: s.bridge, ws }));
});
