// A grid of simulations over two parameters (say avail-switchover-bandwidth x
// downtime-limit): where the scenario converges, and when. The scenario is checked
// once; each cell changes only the two values, and no window list is kept.
import { runPrecopy } from './engine';
import { atLeastVersion, configure, ScenarioError, SIZE_MAX, type Config } from './scenario';
import type { Scenario } from './types';

/** Parameters a sweep can vary, and the engine field each one sets. */
const AXES = {
  'avail-switchover-bandwidth': (c: Config, v: number) => ({ ...c, availSwitchoverBandwidth: v }),
  'downtime-limit': (c: Config, v: number) => ({ ...c, downtimeLimitMs: v, downtimeSteps: [] }),
  'max-bandwidth': (c: Config, v: number) => ({ ...c, maxBandwidth: v }),
} as const;
export type SweepParameter = keyof typeof AXES;

export interface SweepAxis { parameter: SweepParameter; values: number[] }
export interface SweepResult {
  x: SweepAxis;
  y: SweepAxis;
  /** [yIndex][xIndex] */
  converged: boolean[][];
  switchoverSeconds: (number | null)[][];
}

function checkAxis(a: SweepAxis, name: string): void {
  if (!(a.parameter in AXES)) throw new ScenarioError(`${name}.parameter`, `${name}.parameter must be one of ${Object.keys(AXES).join(', ')}`);
  a.values.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0 || v > SIZE_MAX || (a.parameter === 'downtime-limit' && v > 2_000_000)) {
      throw new ScenarioError(`${name}.values[${i}]`, `${name}.values[${i}] is not a valid ${a.parameter}: ${v}`);
    }
  });
}

export function sweep(scenario: Scenario, x: SweepAxis, y: SweepAxis): SweepResult {
  checkAxis(x, 'x');
  checkAxis(y, 'y');
  const base = configure(scenario);
  for (const [a, name] of [[x, 'x'], [y, 'y']] as const) {
    if (a.parameter === 'avail-switchover-bandwidth' && !atLeastVersion(base.version, '8.2')) {
      throw new ScenarioError(`${name}.parameter`, `avail-switchover-bandwidth does not exist in QEMU ${base.version.major}.${base.version.minor} (it was added in 8.2)`);
    }
  }
  const converged: boolean[][] = [];
  const switchoverSeconds: (number | null)[][] = [];
  for (const yv of y.values) {
    const row = AXES[y.parameter](base, yv);
    const ok: boolean[] = [];
    const at: (number | null)[] = [];
    for (const xv of x.values) {
      const r = runPrecopy(AXES[x.parameter](row, xv), false);
      ok.push(r.mode !== null);
      at.push(r.switchoverMs === null ? null : r.switchoverMs / 1000);
    }
    converged.push(ok);
    switchoverSeconds.push(at);
  }
  return { x, y, converged, switchoverSeconds };
}
