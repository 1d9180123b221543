// Live mode of the page: a migration watched on the connected QEMU (or replayed from a
// recording), drawn from the LiveView the server computed. Every text, QEMU's included,
// goes in through textContent; Apply now only names the recommendation it was shown.
import type { LiveApplyMessage, LiveView } from '../../server/src/protocol/page';
import { formatBytes, formatMs, formatRate, formatSeconds } from './format';
import { buildLiveChart } from './liveChart';
import { drawLiveChart } from './svg';

export interface LiveActions {
  apply(m: Omit<LiveApplyMessage, 'type'>): void;
  stop(): void;
  save(): void;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; text?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  e.append(...children);
  return e;
}

const LEGEND: [string, string][] = [
  ['remaining', 'remaining (QEMU)'],
  ['threshold', 'switchover threshold'],
  ['transferred', 'sent so far'],
  ['predicted', 'predicted from the live numbers'],
  ['measured', 'bandwidth QEMU measures'],
  ['link', 'link'],
  ['expected-downtime', 'expected downtime'],
  ['downtime-limit', 'downtime-limit'],
  ['throttle', 'CPU throttle'],
  ['applied', 'change applied'],
];

/** The headline: what the migration is doing, by the view. */
export function liveTitle(v: LiveView): { text: string; tone: 'ok' | 'bad' | '' } {
  if (v.phase === 'ended') {
    if (v.end?.status === 'completed')
      return { text: `Completed: switchover at ${v.end.switchoverAt === null ? '?' : formatSeconds(v.end.switchoverAt)}`, tone: 'ok' };
    return { text: `Migration ${v.end?.status ?? v.status}`, tone: 'bad' };
  }
  if (v.phase === 'waiting') return { text: 'Waiting for a migration', tone: '' };
  const stopped = v.phase === 'stopped' ? 'Stopped watching: ' : '';
  if (v.diagnosis?.stuck && !v.marks.some((m) => m.kind === 'applied' && m.t >= v.diagnosis!.at))
    return { text: `${stopped}Stuck: does not converge${v.diagnosis.seedCase ? " (the seed's case)" : ''}`, tone: 'bad' };
  const p = v.prediction;
  if (!p) return { text: `${stopped}Migrating: first pass (no prediction before the first dirty sync)`, tone: '' };
  if (p.converges && p.switchoverAt !== null) return { text: `${stopped}Migrating: predicted switchover at ${formatSeconds(p.switchoverAt)}`, tone: 'ok' };
  return { text: `${stopped}Migrating: predicted not to converge`, tone: 'bad' };
}

export class LiveModeView {
  readonly root = h('div', { class: 'live' });
  private readonly title = h('h1', { class: 'live-verdict' });
  private readonly source = h('p', { class: 'source' });
  private readonly note = h('p', { class: 'note' });
  private readonly diagnosis = h('p', { class: 'diagnosis' });
  private readonly figures = h('dl', { class: 'live-figures' });
  private readonly svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  private readonly recs = h('ul', { class: 'live-recommendations' });
  private readonly predictions = h('ol', { class: 'predictions' });
  private readonly predictionsSummary = h('summary');
  private readonly stopButton = h('button', { class: 'secondary stop' });
  private readonly saveButton = h('button', { class: 'secondary save', text: 'Save as recording…' });
  private current?: LiveView;

  constructor(
    private readonly actions: LiveActions,
    /** The page's one aria-live region. */
    private readonly announce: (text: string) => void,
  ) {
    this.svg.setAttribute('class', 'live-chart');
    this.stopButton.type = 'button';
    this.stopButton.addEventListener('click', () => this.actions.stop());
    this.saveButton.type = 'button';
    this.saveButton.addEventListener('click', () => this.actions.save());
    const legend = h('ul', { class: 'legend' });
    for (const [id, label] of LEGEND) legend.append(h('li', {}, h('span', { class: `swatch ${id}` }), document.createTextNode(label)));
    this.root.append(
      h('header', {}, this.title, this.source),
      this.note,
      this.diagnosis,
      this.figures,
      h(
        'figure',
        {},
        this.svg,
        h('figcaption', {}, legend, h('p', { class: 'notes', text: 'Numbers under the first panel: dirty bitmap syncs. Time: QEMU’s total-time.' })),
      ),
      h('section', {}, h('h2', { text: 'What would unblock it' }), this.recs),
      h('details', { class: 'prediction-list' }, this.predictionsSummary, this.predictions),
      h('div', { class: 'live-actions' }, this.stopButton, this.saveButton),
    );
    new ResizeObserver(() => this.redraw()).observe(this.svg);
  }

  show(v: LiveView): void {
    const before = this.current;
    this.current = v;
    const t = liveTitle(v);
    this.title.textContent = t.text;
    this.title.className = `live-verdict ${t.tone}`;
    this.source.textContent = `${v.title} · QEMU ${v.qemuVersion || '?'} · status ${v.status} · link ${
      v.linkBytesPerSecond === null ? 'unknown' : formatRate(v.linkBytesPerSecond)
    } (${v.linkNote})`;
    this.note.textContent = v.note;
    this.diagnosis.hidden = !v.diagnosis;
    this.diagnosis.textContent = v.diagnosis ? `At ${formatSeconds(v.diagnosis.at)}: ${v.diagnosis.message}` : '';
    this.diagnosis.classList.toggle('seed', v.diagnosis?.seedCase === true);
    this.showFigures(v);
    this.redraw();
    this.showRecommendations(v);
    this.predictionsSummary.textContent = `Predictions: ${v.predictions.length} (re-made at each dirty sync and after each change)`;
    this.predictions.replaceChildren(
      ...v.predictions.slice(-50).map((p) =>
        h('li', {
          text: `at ${formatSeconds(p.at)}: ${p.converges && p.switchoverAt !== null ? `switchover at ${formatSeconds(p.switchoverAt)}` : 'does not converge'}`,
        }),
      ),
    );
    this.saveButton.hidden = v.source !== 'live' || v.points.length === 0;
    this.stopButton.textContent = v.source === 'live' && (v.phase === 'migrating' || v.phase === 'waiting') ? 'Stop watching' : 'Back to the script';
    // Announce changes of the headline only (not every poll).
    if (!before || liveTitle(before).text !== t.text) this.announce(`${t.text}. ${v.diagnosis?.message ?? ''}`);
  }

  private redraw(): void {
    const v = this.current;
    if (!v) return;
    const width = Math.max(360, Math.round(this.svg.clientWidth || 760));
    drawLiveChart(this.svg, buildLiveChart(v, width, Math.max(420, Math.round(width * 0.75))), liveTitle(v).text);
  }

  private showFigures(v: LiveView): void {
    const p = v.points[v.points.length - 1];
    const rows: [string, string, string?][] = [
      ['Status', v.status],
      ['Remaining', p ? formatBytes(p.remainingBytes) : '–'],
      ['Sent', p ? formatBytes(p.transferredBytes) : '–'],
      ['Bandwidth', p ? formatRate(p.bytesPerSecond) : '–'],
      ['Dirty syncs', p ? String(p.dirtySyncCount) : '–'],
      ['Expected downtime', p?.expectedDowntimeMs != null ? `${formatMs(p.expectedDowntimeMs)} · limit ${formatMs(p.downtimeLimitMs)}` : '–'],
      ['Throttle', p ? `${p.throttlePercent} %` : '–'],
    ];
    if (v.end) {
      rows.push(['Downtime', v.end.downtimeMs === null ? '–' : formatMs(v.end.downtimeMs), 'ok']);
      if (v.end.predictedSwitchoverAt !== null) rows.push(['Last prediction', formatSeconds(v.end.predictedSwitchoverAt)]);
    } else if (v.prediction) {
      const q = v.prediction;
      rows.push([
        'Prediction',
        q.converges && q.switchoverAt !== null ? `switchover ${formatSeconds(q.switchoverAt)}` : 'does not converge',
        q.converges ? 'ok' : 'bad',
      ]);
    }
    this.figures.replaceChildren(...rows.map(([k, val, cls]) => h('div', {}, h('dt', { text: k }), h('dd', { text: val, class: cls }))));
  }

  private showRecommendations(v: LiveView): void {
    this.recs.replaceChildren();
    if (!v.recommendations.length) {
      this.recs.append(
        h('li', {
          class: 'searching',
          text: v.diagnosis?.stuck
            ? 'No change this QEMU has would make it converge (by the simulator).'
            : 'Nothing to change yet: recommendations come once the migration is seen stuck.',
        }),
      );
      return;
    }
    for (const r of v.recommendations) {
      const li = h('li', {}, h('p', { text: r.message }), h('p', { class: 'change' }, h('code', { text: r.change })));
      li.dataset.kind = r.kind;
      if (r.appliedAt !== undefined) {
        li.append(h('span', { class: 'badge ok', text: `applied at ${formatSeconds(r.appliedAt)}` }));
      } else if (r.command && r.arguments && v.canApply) {
        const b = h('button', { class: 'apply-now', text: 'Apply now' });
        b.type = 'button';
        b.title = `Sends ${r.command} to the connected QEMU (after you confirm)`;
        const args = r.arguments;
        b.addEventListener('click', () => {
          // One request per click; the next view from the server brings the button back (or the change applied).
          b.disabled = true;
          this.actions.apply({ kind: r.kind, arguments: args });
        });
        li.append(b);
      }
      if (r.notApplicable && r.appliedAt === undefined) li.append(h('p', { class: 'outcome', text: `Not applied live: ${r.notApplicable}.` }));
      this.recs.append(li);
    }
  }
}
