// "Did you mean" for misspelt names (QMP commands, members, enum values; QAPI type names).
import { remember } from './memo';

function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

const memo = new WeakMap<object, Map<string, string[]>>();

/** Up to three known names close to `name`; underscore/hyphen and case slips first. Remembered per name list. */
export function suggest(name: string, known: Map<string, unknown> | Set<string>): string[] {
  let byName = memo.get(known);
  if (!byName) memo.set(known, (byName = new Map()));
  return remember(byName, name, () => compute(name, known.keys()));
}

function compute(name: string, known: Iterable<string>): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const n = norm(name);
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const scored: [number, string][] = [];
  for (const k of known) {
    const d = norm(k) === n ? 0 : distance(n, norm(k), limit);
    if (d <= limit) scored.push([d, k]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, 3)
    .map((s) => s[1]);
}

export function didYouMean(names: string[]): string {
  return names.length ? `; did you mean ${names.map((n) => `'${n}'`).join(' or ')}?` : '';
}
