// The preview page's script: restores the last state, says `ready`, then draws every
// valid `update` the extension sends. Invalid messages are logged back, never thrown.
import './preview.css';
import { describeRejected, isToPage, type PageState, type ToExtension, type ToPage } from '../../server/src/protocol/page';
import { LiveModeView } from './liveView';
import { PreviewView } from './view';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: ToExtension) => vscode.postMessage(m);

// Two modes in one page: the simulation at the cursor, and live mode (a watched or replayed migration).
const app = document.getElementById('app') ?? document.body;
const scriptMode = document.createElement('div');
scriptMode.className = 'script-mode';
app.append(scriptMode);
const view = new PreviewView(scriptMode, {
  setAssumptions: (assumptions) => post({ type: 'setAssumptions', assumptions }),
  apply: (change) => post({ type: 'applyRecommendation', ...change }),
});
const live = new LiveModeView(
  {
    apply: (change) => post({ type: 'liveApply', ...change }),
    stop: () => post({ type: 'liveStop' }),
    save: () => post({ type: 'liveSave' }),
  },
  (text) => view.announceText(text),
);
live.root.hidden = true;
app.append(live.root);
// The aria-live region stays visible in both modes (a hidden one announces nothing).
const region = scriptMode.querySelector('[aria-live]');
if (region) app.append(region);

function mode(isLive: boolean): void {
  live.root.hidden = !isLive;
  scriptMode.hidden = isLive;
}

function handle(m: ToPage): void {
  switch (m.type) {
    case 'update':
    case 'empty':
      mode(false);
      if (m.type === 'update') view.show(m);
      else view.showEmpty(m);
      vscode.setState({ last: m } satisfies PageState);
      break;
    case 'live':
      mode(true);
      live.show(m.view);
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
