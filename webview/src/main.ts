// The preview page's script: restores the last state, says `ready`, then draws every
// valid `update` the extension sends. Invalid messages are logged back, never thrown.
import './preview.css';
import { describeRejected, isToPage, type PageState, type ToExtension, type ToPage } from '../../server/src/protocol/page';
import { PreviewView } from './view';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: ToExtension) => vscode.postMessage(m);

const view = new PreviewView(document.getElementById('app') ?? document.body, {
  setAssumptions: (assumptions) => post({ type: 'setAssumptions', assumptions }),
  apply: (change) => post({ type: 'applyRecommendation', ...change }),
});

function handle(m: ToPage): void {
  switch (m.type) {
    case 'update':
    case 'empty':
      if (m.type === 'update') view.show(m);
      else view.showEmpty(m);
      vscode.setState({ last: m } satisfies PageState);
      break;
    case 'theme':
      document.body.dataset.theme = m.kind;
      break;
  }
}

function receive(data: unknown): void {
  if (!isToPage(data)) {
    post({ type: 'log', level: 'warn', message: describeRejected(data) });
    return;
  }
  try {
    handle(data);
  } catch (e) {
    post({ type: 'log', level: 'error', message: `preview failed to draw: ${(e as Error)?.message ?? e}` });
  }
}

const saved = vscode.getState() as PageState | undefined;
if (saved?.last) receive(saved.last);
window.addEventListener('message', (e: MessageEvent) => receive(e.data));
post({ type: 'ready' });
