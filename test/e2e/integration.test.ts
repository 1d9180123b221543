// Integration suite against the `vscode` API inside a real VS Code 1.100 (code-server)
// with the packaged .vsix installed: what the probe extension observes is asserted here.
import { describe } from 'node:test';
import { integrationCases } from './cases';
import { codeServerSkip, useSession } from './session';

describe('VS Code integration (code-server 4.100.3, VS Code 1.100.3)', { skip: codeServerSkip() }, () => {
  const session = useSession('api');
  integrationCases(() => ({ bridge: session().s.bridge, ws: session().ws }));
});
