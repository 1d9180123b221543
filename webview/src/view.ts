// The page's DOM: verdict, chart, deadlines, recommendations, workload controls and
// the parameters in force. Every text from the document goes in through textContent.
import type { MigrationParameters, Recommendation } from '../../server/src/simulator/types';
import { buildChart } from './chart';
import { formatBytes, formatMs, formatRate, formatSeconds, verdictSentence, verdictTitle } from './format';
import type { ApplyRecommendationMessage, Assumptions, EmptyMessage, UpdateMessage } from '../../server/src/protocol/page';
import { drawChart } from './svg';

export interface ViewActions {
  setAssumptions(a: Assumptions): void;
  apply(change: Omit<ApplyRecommendationMessage, 'type'>): void;
}

type Key = keyof Assumptions;
interface Control {
  key: Key;
  label: string;
  unit: string;
  toUnit: (v: number) => number;
  fromUnit: (v: number) => number;
  step: string;
  max?: number;
}
const GiB = 2 ** 30,
  MiB = 2 ** 20;
const CONTROLS: Control[] = [
  { key: 'ramBytes', label: 'Guest RAM', unit: 'GiB', toUnit: (v) => v / GiB, fromUnit: (v) => v * GiB, step: '0.5' },
  { key: 'workingSetBytes', label: 'Working set', unit: 'GiB', toUnit: (v) => v / GiB, fromUnit: (v) => v * GiB, step: '0.25' },
  { key: 'dirtyBytesPerSecond', label: 'Dirty rate', unit: 'MiB/s', toUnit: (v) => v / MiB, fromUnit: (v) => v * MiB, step: '10' },
  { key: 'linkBytesPerSecond', label: 'Link', unit: 'Gbit/s', toUnit: (v) => (v * 8) / 1e9, fromUnit: (v) => (v * 1e9) / 8, step: '1' },
  { key: 'sendingEfficiency', label: 'Sending efficiency', unit: '%', toUnit: (v) => v * 100, fromUnit: (v) => v / 100, step: '5', max: 100 },
];

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; text?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  e.append(...children);
  return e;
}

const round = (v: number) => Number(v.toPrecision(4));

/**
 * A parameter value as the page shows it, by the unit the migration facts give it (the
 * update's `units`): sizes and rates in binary units, times in ms; no unit, the number.
 */
export function describeParameter(value: MigrationParameters[string], unit: string | undefined): string {
  if (typeof value !== 'number') return String(value);
  switch (unit) {
    case 'B/s':
      return value === 0 ? '0 (no limit)' : formatRate(value);
    case 'B':
      return formatBytes(value);
    case 'ms':
      return formatMs(value);
    case '%':
      return `${value} %`;
    case undefined:
      return String(value);
    default:
      return `${value} ${unit}`;
  }
}

/** Why a workload value cannot be simulated (the simulator's own rules), or undefined. */
export function checkAssumption(key: Key, value: number, m: UpdateMessage): string | undefined {
  if (!Number.isFinite(value) || value < 0) return 'Enter a number, 0 or more.';
  if ((key === 'ramBytes' || key === 'linkBytesPerSecond') && value === 0) return 'Must be more than 0.';
  if (key === 'sendingEfficiency' && (value <= 0 || value > 1)) return 'Between 1 and 100 %.';
  const ram = key === 'ramBytes' ? value : m.scenario.guest.ramBytes;
  const ws = key === 'workingSetBytes' ? value : m.scenario.guest.workingSetBytes;
  if (ws > ram) return 'The working set cannot be larger than the guest RAM.';
  return undefined;
}

export class PreviewView {
  private readonly title = h('h1', { class: 'verdict' });
  private readonly source = h('p', { class: 'source' });
  /** How sure the verdict is: the simulator's errors measured against real QEMU (result.fidelity). */
  private readonly fidelity = h('p', { class: 'fidelity' });
  private readonly reason = h('p', { class: 'reason' });
  private readonly figures = h('dl', { class: 'figures' });
  private readonly svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  private readonly legend = h('ul', { class: 'legend' });
  private readonly notes = h('ul', { class: 'notes' });
  private readonly deadlines = h('ul', { class: 'deadlines' });
  private readonly recs = h('ul', { class: 'recommendations' });
  private readonly params = h('tbody');
  private readonly announce = h('div', { class: 'sr-only' });
  private readonly inputs = new Map<Key, HTMLInputElement>();
  private readonly results: HTMLElement;
  private readonly empty = h('p', { class: 'empty' });
  private current?: UpdateMessage;

  constructor(
    root: HTMLElement,
    private readonly actions: ViewActions,
  ) {
    this.announce.setAttribute('aria-live', 'polite');
    this.announce.setAttribute('role', 'status');
    this.svg.setAttribute('class', 'chart');
    for (const [id, label] of [
      ['pending', 'pending dirty memory'],
      ['threshold', 'switchover threshold (bandwidth × downtime-limit)'],
      ['measured', 'measured bandwidth'],
      ['assumed', 'bandwidth the threshold assumes'],
      ['switchover', 'switchover'],
      ['deadline', 'orchestrator deadline'],
    ]) {
      this.legend.append(h('li', {}, h('span', { class: `swatch ${id}` }), document.createTextNode(label)));
    }
    this.results = h(
      'div',
      { class: 'results' },
      this.reason,
      this.figures,
      h('figure', {}, this.svg, h('figcaption', {}, this.legend, this.notes)),
      h('section', {}, h('h2', { text: 'Orchestrator deadlines' }), this.deadlines),
      h('section', {}, h('h2', { text: 'Recommendations' }), this.recs),
      h('section', {}, h('h2', { text: 'Workload assumptions' }), this.controls()),
      h(
        'section',
        {},
        h('h2', { text: 'Parameters in force' }),
        h('table', { class: 'params' }, h('thead', {}, h('tr', {}, h('th', { text: 'Parameter' }), h('th', { text: 'Value' }))), this.params),
      ),
    );
    root.append(h('header', {}, this.title, this.fidelity, this.source), this.empty, this.results, this.announce);
    this.showEmpty({ type: 'empty', reason: 'Put the cursor in a QMP script to see whether its migration converges.' });
    new ResizeObserver(() => this.redraw()).observe(this.svg);
  }

  private controls(): HTMLElement {
    const form = h('form', { class: 'assumptions' });
    form.addEventListener('submit', (e) => e.preventDefault());
    for (const c of CONTROLS) {
      const input = h('input');
      Object.assign(input, { type: 'number', min: '0', step: c.step, id: `a-${c.key}`, name: c.key });
      if (c.max !== undefined) input.max = String(c.max);
      input.addEventListener('change', () => this.onControl(c, input));
      const label = h('label', { text: c.label });
      label.htmlFor = input.id;
      this.inputs.set(c.key, input);
      form.append(h('div', { class: 'control' }, label, h('span', { class: 'field' }, input, h('span', { class: 'unit', text: c.unit }))));
    }
    const reset = h('button', { class: 'secondary', text: 'Use the script’s values' });
    reset.type = 'button';
    reset.addEventListener('click', () => this.actions.setAssumptions({}));
    form.append(reset);
    return form;
  }

  private onControl(c: Control, input: HTMLInputElement): void {
    const value = c.fromUnit(input.valueAsNumber);
    const problem = this.current ? checkAssumption(c.key, value, this.current) : 'no simulation to change yet';
    input.title = problem ?? '';
    if (problem) {
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    input.removeAttribute('aria-invalid');
    this.actions.setAssumptions({ ...this.current?.overrides, [c.key]: value });
  }

  /** Says something through the page's one aria-live region (live mode uses it too). */
  announceText(text: string): void {
    this.announce.textContent = text;
  }

  showEmpty(m: EmptyMessage): void {
    this.current = undefined;
    this.title.textContent = 'Convergence preview';
    this.source.textContent = '';
    this.fidelity.hidden = true;
    this.empty.textContent = m.reason;
    this.empty.hidden = false;
    this.results.hidden = true;
    this.announce.textContent = m.reason;
  }

  show(m: UpdateMessage): void {
    this.current = m;
    const r = m.result;
    this.empty.hidden = true;
    this.results.hidden = false;
    this.title.textContent = verdictTitle(r);
    this.title.className = `verdict ${r.converged ? 'ok' : 'bad'}`;
    this.source.textContent = `${m.source.file}, line ${m.source.line + 1} · QEMU ${m.scenario.qemuVersion}`;
    this.fidelity.textContent = r.fidelity?.message ?? '';
    this.fidelity.dataset.level = r.fidelity?.level ?? '';
    this.fidelity.hidden = !r.fidelity;
    this.reason.textContent = r.reason;
    this.showFigures(m);
    this.redraw();
    this.notes.replaceChildren(...(r.notes ?? []).map((n) => h('li', { text: n })));
    this.showDeadlines(m);
    this.showRecommendations(r.recommendations, m.pending === true, m.units);
    this.showControls(m);
    this.showParameters(m);
    this.announce.textContent = verdictSentence(r);
  }

  private redraw(): void {
    if (!this.current) return;
    const width = Math.max(360, Math.round(this.svg.clientWidth || 760));
    // Narrow panels (beside an editor) keep a usable plot height.
    drawChart(this.svg, buildChart(this.current.result, width, Math.max(320, Math.round(width * 0.5))), verdictSentence(this.current.result));
  }

  private showFigures(m: UpdateMessage): void {
    const r = m.result;
    const over = r.downtimeMs !== null && r.downtimeMs > r.downtimeLimitMs;
    const rows: [string, string, string?, string?][] = [
      ['Converged', r.converged ? 'yes' : 'no', r.converged ? 'ok' : 'bad'],
      ['Switchover', r.switchoverSeconds === null ? 'never' : formatSeconds(r.switchoverSeconds)],
      [
        'Downtime',
        `${r.downtimeMs === null ? 'none' : formatMs(r.downtimeMs)} · limit ${formatMs(r.downtimeLimitMs)}`,
        over ? 'bad' : undefined,
        'downtime-limit',
      ],
      ['Bitmap syncs', String(r.dirtySyncCount)],
      ['Sent', formatBytes(r.transferredBytes)],
    ];
    this.figures.replaceChildren();
    for (const [k, v, cls, param] of rows) {
      const dd = h('dd', { text: v, class: cls });
      const wrap = h('div', { class: param && param === m.focus ? 'focus' : '' }, h('dt', { text: k }), dd);
      this.figures.append(wrap);
    }
  }

  /** One entry per orchestrator; long ramps (Nova's ten steps) fold all but their last event. */
  private showDeadlines(m: UpdateMessage): void {
    const r = m.result;
    this.deadlines.replaceChildren();
    if (!r.orchestrators.length) this.deadlines.append(h('li', { text: 'None given for this scenario.' }));
    const byName = new Map<string, typeof r.orchestrators>();
    for (const o of r.orchestrators) byName.set(o.name, [...(byName.get(o.name) ?? []), o]);
    for (const [name, marks] of byName) {
      const item = (o: (typeof marks)[number]) => {
        const li = h('li', { text: `${formatSeconds(o.seconds)}: ${o.action}` });
        if (r.switchoverSeconds !== null) {
          const after = o.seconds >= r.switchoverSeconds;
          li.append(h('span', { class: `badge ${after ? 'ok' : 'bad'}`, text: after ? 'after the switchover' : 'before the switchover' }));
        }
        return li;
      };
      const group = h('li', {}, h('strong', { text: name }));
      if (marks.length > 3) {
        const folded = marks.slice(0, -1);
        group.append(
          h(
            'details',
            {},
            h('summary', {
              text: `${folded.length} earlier events, ${formatSeconds(folded[0].seconds)} to ${formatSeconds(folded[folded.length - 1].seconds)}`,
            }),
            h('ul', {}, ...folded.map(item)),
          ),
        );
        group.append(h('ul', {}, item(marks[marks.length - 1])));
      } else {
        group.append(h('ul', {}, ...marks.map(item)));
      }
      this.deadlines.append(group);
    }
  }

  private showRecommendations(recs: Recommendation[], pending: boolean, units: UpdateMessage['units']): void {
    this.recs.replaceChildren();
    if (pending) this.recs.append(h('li', { class: 'searching', text: 'Simulating changes that would make it converge…' }));
    else if (!recs.length) this.recs.append(h('li', { text: 'Nothing to change.' }));
    for (const rec of recs) {
      const li = h('li', {}, h('p', { text: rec.message }));
      const changes = [
        ...Object.entries(rec.parameters ?? {}).map(([k, v]) => `${k} = ${describeParameter(v, units[k])}`),
        ...Object.entries(rec.capabilities ?? {}).map(([k, v]) => `${k} ${v ? 'on' : 'off'}`),
      ];
      if (changes.length) li.append(h('p', { class: 'change' }, ...changes.map((c) => h('code', { text: c }))));
      const outcome: string[] = [];
      if (rec.switchoverSeconds !== undefined) outcome.push(`switchover after ${formatSeconds(rec.switchoverSeconds)}`);
      if (rec.downtimeMs !== undefined) outcome.push(`downtime ${formatMs(rec.downtimeMs)}`);
      if (outcome.length) li.append(h('p', { class: 'outcome', text: `With this change: ${outcome.join(', ')}.` }));
      if (rec.parameters || rec.capabilities) {
        const b = h('button', { text: 'Apply to the script' });
        b.type = 'button';
        b.addEventListener('click', () => this.actions.apply({ parameters: rec.parameters, capabilities: rec.capabilities }));
        li.append(b);
      }
      this.recs.append(li);
    }
  }

  private showControls(m: UpdateMessage): void {
    const s = m.scenario;
    const values: Record<Key, number> = {
      ramBytes: s.guest.ramBytes,
      workingSetBytes: s.guest.workingSetBytes,
      dirtyBytesPerSecond: s.guest.dirtyBytesPerSecond,
      linkBytesPerSecond: s.link.bytesPerSecond,
      sendingEfficiency: s.link.sendingEfficiency,
    };
    for (const c of CONTROLS) {
      const input = this.inputs.get(c.key)!;
      // Never overwrite what the user is typing.
      if (document.activeElement !== input) input.value = String(round(c.toUnit(values[c.key])));
      input.classList.toggle('changed', m.overrides[c.key] !== undefined);
      input.removeAttribute('aria-invalid');
      input.title = m.overrides[c.key] !== undefined ? 'Changed here (not from the script)' : 'From the script, or the default';
    }
  }

  private showParameters(m: UpdateMessage): void {
    this.params.replaceChildren();
    const rows: [string, string][] = [
      ...Object.entries(m.inputs.parameters).map(([k, v]): [string, string] => [k, describeParameter(v, m.units[k])]),
      ...Object.entries(m.inputs.capabilities).map(([k, v]): [string, string] => [k, v ? 'on' : 'off']),
    ];
    if (!rows.length) this.params.append(h('tr', {}, h('td', { text: 'QEMU defaults (none set before the cursor)' }), h('td')));
    for (const [k, v] of rows) {
      const tr = h('tr', { class: k === m.focus ? 'focus' : '' }, h('td', {}, h('code', { text: k })), h('td', { text: v }));
      if (k === m.focus) tr.setAttribute('aria-current', 'true');
      this.params.append(tr);
    }
  }
}
