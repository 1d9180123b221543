// Offsets and lines of a text: where each line starts, and the line an offset is on.
// One binary search for the C sources, the QMP script reader and the corpus tools.

/** The offset at which each line of `text` starts (line 0 at 0). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line holding `offset`, given the line starts of its text. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0,
    hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
