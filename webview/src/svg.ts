// Draws a ChartModel as SVG elements. Colours come from CSS classes (VS Code's
// --vscode-charts-* variables), so a theme change restyles without a redraw.
import type { ChartModel, Tick } from './chart';
import type { LiveChartModel } from './liveChart';

const NS = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** What drawPanel needs of a chart and a panel (the preview's and the live chart's share it). */
interface Axes {
  left: number;
  right: number;
  xTicks: Tick[];
}
interface PanelLike {
  title: string;
  top: number;
  bottom: number;
  yTicks: Tick[];
  series: { id: string; d: string }[];
}

function drawPanel(svg: SVGSVGElement, m: Axes, p: PanelLike, xLabels: boolean): void {
  svg.append(el('text', { x: m.left, y: p.top - 10, class: 'panel-title' }, p.title));
  p.yTicks.forEach((t, i) => {
    svg.append(el('line', { x1: m.left, x2: m.right, y1: t.pos, y2: t.pos, class: i === 0 ? 'axis' : 'grid' }));
    svg.append(el('text', { x: m.left - 8, y: t.pos + 4, class: 'tick y' }, t.label));
  });
  for (const t of m.xTicks) {
    svg.append(el('line', { x1: t.pos, x2: t.pos, y1: p.top, y2: p.bottom, class: 'grid' }));
    if (xLabels) svg.append(el('text', { x: t.pos, y: p.bottom + 18, class: 'tick x' }, t.label));
  }
  for (const s of p.series) svg.append(el('path', { d: s.d, class: `series ${s.id}`, 'data-series': s.id }));
}

/** Replaces the children of `svg` with the chart. */
export function drawChart(svg: SVGSVGElement, m: ChartModel, ariaLabel: string): void {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${m.width} ${m.height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', ariaLabel);
  drawPanel(svg, m, m.bytes, false);
  drawPanel(svg, m, m.bandwidth, true);

  const top = m.bytes.top,
    bottom = m.bandwidth.bottom;
  m.deadlines.forEach((d, i) => {
    const g = el('g', { class: 'deadline' });
    g.append(el('line', { x1: d.x, x2: d.x, y1: top, y2: bottom }));
    // Staggered under the switchover label, so neighbouring labels do not print over each other.
    g.append(el('text', { x: d.x - 4, y: top + 28 + (i % 3) * 14, 'text-anchor': 'end' }, d.label));
    svg.append(g);
  });
  if (m.switchover) {
    const s = m.switchover;
    const g = el('g', { class: 'switchover', 'data-seconds': s.seconds });
    g.append(el('line', { x1: s.x, x2: s.x, y1: top, y2: bottom }));
    g.append(el('circle', { cx: s.x, cy: s.y, r: 5 }));
    // At the top of the plot, clear of the curves, on the side with room.
    const anchorEnd = s.x > (m.left + m.right) / 2;
    g.append(el('text', { x: s.x + (anchorEnd ? -6 : 6), y: top + 12, 'text-anchor': anchorEnd ? 'end' : 'start' }, s.label));
    svg.append(g);
  }
}

/** Replaces the children of `svg` with the live chart (live mode). */
export function drawLiveChart(svg: SVGSVGElement, m: LiveChartModel, ariaLabel: string): void {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${m.width} ${m.height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', ariaLabel);
  m.panels.forEach((p, i) => drawPanel(svg, m, p, i === m.panels.length - 1));
  const first = m.panels[0],
    top = first.top,
    bottom = m.panels[m.panels.length - 1].bottom;
  // Dirty syncs: ticks under the first panel, numbered while there is room.
  const g = el('g', { class: 'syncs' });
  let lastLabel = -Infinity;
  for (const s of m.syncs) {
    g.append(el('line', { x1: s.x, x2: s.x, y1: first.bottom - 6, y2: first.bottom, 'data-count': s.count }));
    if (s.x - lastLabel > 18) {
      g.append(el('text', { x: s.x, y: first.bottom + 12, 'text-anchor': 'middle' }, String(s.count)));
      lastLabel = s.x;
    }
  }
  svg.append(g);
  m.markers.forEach((k, i) => {
    const mg = el('g', { class: `marker m-${k.kind}`, 'data-seconds': k.seconds });
    mg.append(el('line', { x1: k.x, x2: k.x, y1: top, y2: bottom }));
    const anchorEnd = k.x > (m.left + m.right) / 2;
    mg.append(el('text', { x: k.x + (anchorEnd ? -5 : 5), y: top + 12 + i * 14, 'text-anchor': anchorEnd ? 'end' : 'start' }, k.label));
    svg.append(mg);
  });
}
