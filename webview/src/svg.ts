// Draws a ChartModel as SVG elements. Colours come from CSS classes (VS Code's
// --vscode-charts-* variables), so a theme change restyles without a redraw.
import type { ChartModel, Panel } from './chart';

const NS = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function drawPanel(svg: SVGSVGElement, m: ChartModel, p: Panel, xLabels: boolean): void {
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
